"""Notifications: a short, non-identifying message to one user about a case that needs them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    CASE_ASSIGNED = "case_assigned", _("A case was assigned to you")
    CASE_TRANSFERRED = "case_transferred", _("A case was transferred to you")
    APPROVAL_REQUESTED = "approval_requested", _("Your approval is requested")
    APPROVAL_GIVEN = "approval_given", _("Your request was approved")
    SENT_BACK = "sent_back", _("Your request was sent back with a comment")
    DEADLINE_PASSED = "deadline_passed", _("A deadline has passed")
    SAFETY_ALERT = "safety_alert", _("Immediate safety alert")
    TRANSFER_REQUESTED = "transfer_requested", _("Another agency asks you to take a case")
    TRANSFER_ACCEPTED = "transfer_accepted", _("Your transfer request was accepted")
    TRANSFER_DECLINED = "transfer_declined", _("Your transfer request was declined")
    BREAK_GLASS = "break_glass", _("Someone used emergency access to a case")
    PURGE_REQUESTED = "purge_requested", _("An emergency purge awaits a second administrator")
    PURGE_CANCELLED = "purge_cancelled", _("An emergency purge request was cancelled")
    PURGE_DONE = "purge_done", _("The emergency purge destroyed all identifying data")
    REFERRAL_RECEIVED = "referral_received", _("A referral was sent to your service")
    REFERRAL_ANSWERED = "referral_answered", _("A provider answered a referral")
    REFERRAL_WITHDRAWN = "referral_withdrawn", _("A referral to your service was withdrawn")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40, choices=NotificationKind.choices)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set for notifications a scheduled job raises, so the same deadline is announced once.
    dedupe_key = models.CharField(max_length=120, blank=True)
    # Where to act, for what is not a case page (e.g. a referral in the provider portal): an
    # opaque address, never anything personal.
    link = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="notification_once_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"
