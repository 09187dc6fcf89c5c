"""App configuration for pcm.attachments."""

from __future__ import annotations

from django.apps import AppConfig


class AttachmentsConfig(AppConfig):
    name = "pcm.attachments"
    label = "attachments"

    def ready(self) -> None:
        from pcm.attachments import checks  # noqa: F401 - registers the system check
