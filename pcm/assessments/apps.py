"""App configuration for pcm.assessments."""

from __future__ import annotations

from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "pcm.assessments"
    label = "assessments"
