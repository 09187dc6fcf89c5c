"""Exports keep no table of their own: each is a background job (pcm.jobs) and audit events."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportEvent(models.TextChoices):
    REQUESTED = "export_requested", _("Export of personal data requested")
    EXPORTED = "export", _("Personal data exported")
