"""Audit events of pcm.accounts beyond the core sign-in events (pcm.audit.models)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReauthEvent(models.TextChoices):
    CONFIRMED = "reauth_confirmed", _("Confirmed their identity again")
    FAILED = "reauth_failed", _("Failed to confirm their identity again")
