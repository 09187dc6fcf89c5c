"""App configuration for pcm.meal."""

from __future__ import annotations

from django.apps import AppConfig


class MealConfig(AppConfig):
    name = "pcm.meal"
    label = "meal"
