"""App configuration for pcm.jobs."""

from __future__ import annotations

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "pcm.jobs"
    label = "jobs"
