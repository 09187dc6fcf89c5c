"""Audit events of pcm.cases defined outside the core list (pcm.audit.models.AuditEventType)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdentityEvent(models.TextChoices):
    """A case's identity hidden in lists, or shown again (pcm.cases.identity)."""

    HIDDEN_IN_LISTS = "identity_hidden_in_lists", _("Identity hidden in lists")
    SHOWN_IN_LISTS = "identity_shown_in_lists", _("Identity shown in lists again")
