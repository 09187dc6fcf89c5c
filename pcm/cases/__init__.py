"""Cases: the six steps of protection case management."""
