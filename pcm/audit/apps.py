"""App configuration for pcm.audit."""

from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "pcm.audit"
    label = "audit"
