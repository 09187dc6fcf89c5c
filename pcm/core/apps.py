"""App configuration for pcm.core."""

from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "pcm.core"
    label = "core"
