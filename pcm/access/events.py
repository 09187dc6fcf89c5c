"""Audit events of the access policy: emergency (break-glass) access to cases."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessEvent(models.TextChoices):
    BREAK_GLASS = "break_glass", _("Emergency access to a case granted")
    BREAK_GLASS_REFUSED = "break_glass_refused", _("Emergency access to a case refused")
    BREAK_GLASS_REVOKED = "break_glass_revoked", _("Emergency access to a case ended early")
