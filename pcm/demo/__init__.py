"""Synthetic demo data: the seed command and demo personas."""
