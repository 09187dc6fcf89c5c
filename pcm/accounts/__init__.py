"""Agencies, offices, teams, users, roles and sign-in."""
