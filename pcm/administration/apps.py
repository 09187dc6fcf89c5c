"""App configuration for pcm.administration."""

from __future__ import annotations

from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    name = "pcm.administration"
    label = "administration"
