"""Shared layout, home page, error pages and request helpers."""
