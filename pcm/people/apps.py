"""App configuration for pcm.people."""

from __future__ import annotations

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "pcm.people"
    label = "people"

    def ready(self) -> None:
        from pcm.people import signals  # noqa: F401  (connects the receivers)
