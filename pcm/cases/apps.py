"""App configuration for pcm.cases."""

from __future__ import annotations

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "pcm.cases"
    label = "cases"

    def ready(self) -> None:
        from pcm.cases import signals  # noqa: F401  (connects the receivers)
