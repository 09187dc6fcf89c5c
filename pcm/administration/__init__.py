"""Administration pages: agencies, offices, teams and users (no case content)."""
