"""Step 6: closure with supervisor approval, satisfaction surveys, reopening and transfers."""
