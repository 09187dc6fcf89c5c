"""Break-glass grants: time-limited emergency access to one case, with a recorded reason."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcm.vault.fields import EncryptedTextField


class BreakGlassGrantQuerySet(models.QuerySet["BreakGlassGrant"]):
    def live(self) -> BreakGlassGrantQuerySet:
        """Grants in force now: not revoked and not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class BreakGlassGrant(models.Model):
    """A manager or administrator's emergency access to a case outside their usual view.

    It ends at `expires_at`, or earlier when revoked. The access policy counts only grants in
    force, to a case of the holder's own agency, held by a manager or an administrator."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="break_glass_grants",
        verbose_name=_("holder"),
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="+", verbose_name=_("case")
    )
    # Free text written by staff: it may mention people, so it is encrypted like case notes.
    reason = EncryptedTextField(_("reason"))
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    objects = BreakGlassGrantQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at", "-id"]
        indexes = [
            models.Index(fields=["user", "expires_at"], name="break_glass_user_idx"),
            models.Index(fields=["case", "expires_at"], name="break_glass_case_idx"),
        ]

    def __str__(self) -> str:
        return f"break-glass {self.pk} ({self.user_id} → case {self.case_id})"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def ended_at(self) -> datetime:
        """When the access ended (or ends): the revocation, else the expiry."""
        return self.revoked_at or self.expires_at
