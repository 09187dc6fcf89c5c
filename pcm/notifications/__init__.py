"""In-app notifications (and optional e-mails) of what needs someone's action."""
