"""App configuration for pcm.demo."""

from __future__ import annotations

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "pcm.demo"
    label = "demo"
