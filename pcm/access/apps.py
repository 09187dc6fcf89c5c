"""App configuration for pcm.access."""

from __future__ import annotations

from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "pcm.access"
    label = "access"
