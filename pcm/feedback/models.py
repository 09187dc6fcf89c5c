"""The feedback and complaints register of an agency, and who handles its restricted entries.

Service users (or anyone in the community) give feedback, complain, compliment or ask; staff
record each entry, acknowledge it, respond and close it. Entries that are sensitive or about
staff are *restricted*: only the agency's complaints handlers (`ComplaintsHandler`) read them.
The free text (what was said, how to reply, the response) is encrypted at rest.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pcm.vault.fields import EncryptedTextField

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Kind(models.TextChoices):
    FEEDBACK = "feedback", _("Feedback")
    COMPLAINT = "complaint", _("Complaint")
    COMPLIMENT = "compliment", _("Compliment")
    QUESTION = "question", _("Question")


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    HOTLINE = "hotline", _("Phone or hotline")
    SUGGESTION_BOX = "suggestion_box", _("Suggestion box")
    MESSAGING = "messaging", _("SMS or messaging")
    EMAIL = "email", _("E-mail")
    COMMUNITY_MEETING = "community_meeting", _("Community meeting")
    OTHER = "other", _("Other")


class Category(models.TextChoices):
    QUALITY = "quality", _("Quality of service")
    ACCESS = "access", _("Access to services")
    STAFF_CONDUCT = "staff_conduct", _("Staff conduct")
    DATA_PROTECTION = "data_protection", _("Data protection and privacy")
    SAFETY = "safety", _("Safety")
    INFORMATION = "information", _("Information request")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    RESPONDED = "responded", _("Responded")
    CLOSED = "closed", _("Closed")


# The time within which an entry should be closed (the MEAL indicator "closed within 30 days").
CLOSE_TARGET_DAYS = 30

OPEN_STATUSES = (Status.RECEIVED, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.RESPONDED)


class FeedbackEvent(models.TextChoices):
    """Audit event types of the register (pcm.audit records them beside the core types)."""

    RECORDED = "feedback_recorded", _("Feedback or complaint recorded")
    CHANGED = "feedback_changed", _("Feedback or complaint changed")
    STATUS_CHANGED = "feedback_status_changed", _("Feedback or complaint moved to another status")
    RESTRICTED_VIEWED = "feedback_restricted_viewed", _("Restricted complaint read")
    VIEWED = "feedback_viewed", _("Feedback linked to a case read")
    HANDLER_ADDED = "complaints_handler_added", _("Complaints handler added")
    HANDLER_REMOVED = "complaints_handler_removed", _("Complaints handler removed")


def _step_user(label: StrOrPromise) -> models.ForeignKey:  # type: ignore[type-arg]
    """Who took a step of the entry's handling (empty until it is taken)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=label,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )


class FeedbackEntry(models.Model):
    """One piece of feedback, complaint, compliment or question, and how it was addressed."""

    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=24, choices=Channel.choices)
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    received_on = models.DateField(_("received on"))
    location = models.ForeignKey(
        "locations.Location",
        verbose_name=_("location"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Not called `case`: the audit trail would then file every event of a restricted entry
    # under the case, where the case's team reads its access history (see actions._audit).
    linked_case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = EncryptedTextField(_("what was said"))
    wants_reply = models.BooleanField(_("wants a reply"), default=False)
    reply_by = EncryptedTextField(
        _("how to reply"),
        blank=True,
        help_text=_("Only a way the person chose as safe, e.g. 'call back after 5 pm'."),
    )
    sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_(
            "E.g. sexual exploitation and abuse, fraud, a safety risk: only the complaints "
            "handlers will see it."
        ),
    )
    about_staff = models.BooleanField(
        _("about staff"),
        default=False,
        help_text=_("About the conduct of a staff member: only the complaints handlers see it."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    acknowledged_on = models.DateField(_("acknowledged on"), null=True, blank=True)
    acknowledged_by = _step_user(_("acknowledged by"))
    in_progress_on = models.DateField(_("work started on"), null=True, blank=True)
    in_progress_by = _step_user(_("work started by"))
    response = EncryptedTextField(_("response"), blank=True)
    responded_on = models.DateField(_("responded on"), null=True, blank=True)
    responded_by = _step_user(_("responded by"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = _step_user(_("closed by"))
    # Incremented by every change; a save that started from an older version is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("feedback entry")
        verbose_name_plural = _("feedback entries")
        ordering = ["-received_on", "-pk"]
        indexes = [
            models.Index(fields=["agency", "-received_on"], name="feedback_agency_received_idx"),
            models.Index(fields=["agency", "closed_on"], name="feedback_agency_closed_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"

    @property
    def is_restricted(self) -> bool:
        """Sensitive or about staff: only the agency's complaints handlers read it."""
        return self.sensitive or self.about_staff

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED

    @property
    def days_to_close(self) -> int | None:
        """Days from receipt to closure; None while open."""
        if self.closed_on is None:
            return None
        return (self.closed_on - self.received_on).days

    def days_open(self, today: date) -> int:
        return (today - self.received_on).days


def restricted_q() -> models.Q:
    """The entries only the complaints handlers read."""
    return models.Q(sensitive=True) | models.Q(about_staff=True)


class ComplaintsHandler(models.Model):
    """A member of an agency's restricted group that handles sensitive and staff complaints."""

    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added at"))

    class Meta:
        verbose_name = _("complaints handler")
        verbose_name_plural = _("complaints handlers")
        constraints = [
            models.UniqueConstraint(fields=["agency", "user"], name="complaints_handler_unique")
        ]

    def __str__(self) -> str:
        return str(self.user)
