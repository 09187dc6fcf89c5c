"""Audit events of the agency's settings."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SettingsEvent(models.TextChoices):
    FIELD_VISIBILITY_CHANGED = "field_visibility_changed", _("What each role sees changed")
