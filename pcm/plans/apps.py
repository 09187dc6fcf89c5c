"""App configuration for pcm.plans."""

from __future__ import annotations

from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "pcm.plans"
    label = "plans"
