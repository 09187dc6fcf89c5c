"""PCM: Protection Case Management information system."""
