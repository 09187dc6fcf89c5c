"""App configuration for pcm.services."""

from __future__ import annotations

from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "pcm.services"
    label = "services"
