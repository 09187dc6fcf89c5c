"""Service users: the people PCM supports."""
