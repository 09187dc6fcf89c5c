"""App configuration for pcm.notifications."""

from __future__ import annotations

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "pcm.notifications"
    label = "notifications"
