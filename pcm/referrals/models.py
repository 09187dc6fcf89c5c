"""Referrals of a service user to a service of the directory, and who receives them.

A referral carries a frozen copy of what was shared (`payload`, the versioned JSON of
pcm.referrals.payload), taken when it was sent: the provider reads that copy and nothing else of
the case. Every step of its life is a ReferralStep, with who and when.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcm.vault.fields import EncryptedTextField


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    PROVIDED = "provided", _("Service provided")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Waiting for the provider's answer: the response deadline runs.
AWAITING_RESPONSE = (ReferralStatus.SENT, ReferralStatus.ACKNOWLEDGED)
# Still moving: neither closed nor withdrawn.
ACTIVE_STATUSES = (
    ReferralStatus.SENT,
    ReferralStatus.ACKNOWLEDGED,
    ReferralStatus.ACCEPTED,
    ReferralStatus.DECLINED,
    ReferralStatus.PROVIDED,
)


class Urgency(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediate (answer within 24 hours)")
    URGENT = "urgent", _("Urgent (answer within 3 days)")
    ROUTINE = "routine", _("Routine")


class Referral(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    # The referring agency (the case's, when it was sent).
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(
        "services.Service", verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    # The plan action this referral carries out (PlanAction.key: the same across versions).
    plan_action_key = models.UUIDField(null=True, blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices)
    reason = EncryptedTextField(_("reason for the referral"))
    note_for_provider = EncryptedTextField(_("note for the provider"), blank=True)
    # Keys of pcm.referrals.sharing.SHAREABLE_FIELDS that went with the referral.
    shared_fields = models.JSONField(_("information shared"), default=list)
    # The JSON document the provider receives (pcm.referrals.payload), frozen when sent.
    payload = EncryptedTextField()
    consent_version = models.PositiveIntegerField(null=True, blank=True)
    # Whether the provider answers in PCM (the service had focal points when it was sent);
    # otherwise the caseworker records the answers received on paper, by phone or e-mail.
    through_portal = models.BooleanField(default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    respond_by = models.DateTimeField(_("answer expected by"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    provided_at = models.DateTimeField(_("service provided at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    decline_reason = EncryptedTextField(_("why it was declined"), blank=True)
    outcome = EncryptedTextField(_("outcome"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["case", "status"], name="referral_case_status_idx"),
            models.Index(fields=["service", "status"], name="referral_service_status_idx"),
            models.Index(fields=["agency", "sent_at"], name="referral_agency_sent_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """What people quote on the phone and on paper: no personal data in it."""
        return f"R-{self.pk:06d}" if self.pk else "R-new"

    @property
    def awaiting_response(self) -> bool:
        return self.status in AWAITING_RESPONSE

    def is_late(self, now: datetime) -> bool:
        """Derived: still waiting for an answer after the expected response time."""
        return self.awaiting_response and self.respond_by < now

    @property
    def answered_late(self) -> bool:
        return self.responded_at is not None and self.responded_at > self.respond_by


class ReferralStep(models.Model):
    """One step of a referral's life: the status it reached, who and when."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(_("status"), max_length=16, choices=ReferralStatus.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    # Recorded by the caseworker for a provider that answered outside PCM.
    on_behalf_of_provider = models.BooleanField(default=False)
    note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        ordering = ["referral", "at", "id"]

    def __str__(self) -> str:
        return f"{self.status} of referral {self.referral_id}"


class FocalPoint(models.Model):
    """A provider's staff member who receives the referrals to one service in the portal."""

    service = models.ForeignKey(
        "services.Service", on_delete=models.CASCADE, related_name="focal_points"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="focal_point_of"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "user"], name="focal_point_unique")
        ]

    def __str__(self) -> str:
        return f"focal point {self.user_id} of service {self.service_id}"
