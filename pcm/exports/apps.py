"""App configuration for pcm.exports."""

from __future__ import annotations

from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "pcm.exports"
    label = "exports"
