"""App configuration for pcm.feedback."""

from __future__ import annotations

from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "pcm.feedback"
    label = "feedback"
