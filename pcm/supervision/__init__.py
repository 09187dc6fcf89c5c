"""Supervision: the today page, the team page, case file checks and supervision sessions."""
