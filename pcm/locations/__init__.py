"""Administrative areas (with P-codes) where people live and offices work."""
