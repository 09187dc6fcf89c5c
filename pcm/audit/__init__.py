"""The audit trail of who did what to which record."""
