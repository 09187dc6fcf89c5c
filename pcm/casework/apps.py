"""App configuration for pcm.casework."""

from __future__ import annotations

from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "pcm.casework"
    label = "casework"
