"""App configuration for pcm.supervision."""

from __future__ import annotations

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "pcm.supervision"
    label = "supervision"
