"""App configuration for pcm.closure."""

from __future__ import annotations

from django.apps import AppConfig


class ClosureConfig(AppConfig):
    name = "pcm.closure"
    label = "closure"
