"""App configuration for pcm.retention: anonymisation after the retention period, and the
rights of data subjects (export of their own data, erasure on request)."""

from __future__ import annotations

from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "pcm.retention"
    label = "retention"
