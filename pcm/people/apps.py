"""App configuration for pcm.people."""

from __future__ import annotations

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "pcm.people"
    label = "people"
