"""Audit events: who did what to which record, and when — never the values of personal data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEventType(models.TextChoices):
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
    SIGN_OUT = "sign_out", _("Signed out")
    SIGN_OUT_EVERYWHERE = "sign_out_everywhere", _("Signed out everywhere")
    TWO_FACTOR_ENROLLED = "two_factor_enrolled", _("Enrolled two-factor authentication")
    TWO_FACTOR_VERIFIED = "two_factor_verified", _("Verified second factor")
    TWO_FACTOR_FAILED = "two_factor_failed", _("Second factor failed")
    TWO_FACTOR_RESET = "two_factor_reset", _("Two-factor authentication reset")
    BACKUP_CODES_REGENERATED = "backup_codes_regenerated", _("Backup codes regenerated")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    PERSON_REGISTERED = "person_registered", _("Service user registered")
    CASE_OPENED = "case_opened", _("Case opened")
    CASE_VIEWED = "case_viewed", _("Case viewed")
    CASE_REASSIGNED = "case_reassigned", _("Case reassigned")
    CASE_STEP_CHANGED = "case_step_changed", _("Case moved to another step")
    CASE_RISK_CHANGED = "case_risk_changed", _("Case risk level changed")
    RECORD_CREATED = "record_created", _("Record created")
    RECORD_CHANGED = "record_changed", _("Record changed")
    RECORD_DELETED = "record_deleted", _("Record deleted")
    CONSENT_RECORDED = "consent_recorded", _("Consent recorded or revised")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
    USER_UNLOCKED = "user_unlocked", _("Account unlocked")


class AuditEvent(models.Model):
    """One thing that happened. Names the record and the fields touched, not their contents."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Core events are AuditEventType; each app may define its own TextChoices of events.
    event_type = models.CharField(max_length=60)
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    target_type = models.CharField(max_length=40, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    fields = models.JSONField(default=list, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.event_type} {self.target_type}:{self.target_id}"
