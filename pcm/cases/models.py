"""Cases: one service user's path through the six steps, owned by a team, held by a caseworker."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from pcm.accounts.models import User


class CaseStatus(models.TextChoices):
    """The step a case is in (guide, module 4)."""

    INTAKE = "intake", _("Intake")
    ASSESSMENT = "assessment", _("Assessment")
    PLANNING = "planning", _("Case action planning")
    IMPLEMENTATION = "implementation", _("Implementation")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSURE_REQUESTED = "closure_requested", _("Closure awaiting approval")
    CLOSED = "closed", _("Closed")
    TRANSFERRED = "transferred", _("Transferred to another agency")


# A closed case and the stub an agency keeps after a transfer take no more work.
FINISHED_STATUSES = (CaseStatus.CLOSED, CaseStatus.TRANSFERRED)
OPEN_STATUSES = [status for status in CaseStatus if status not in FINISHED_STATUSES]


class RiskLevel(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


# Highest risk first when cases are ordered by urgency.
RISK_ORDER = {RiskLevel.HIGH: 0, RiskLevel.MEDIUM: 1, RiskLevel.LOW: 2}


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user: User) -> CaseQuerySet:
        """The cases USER may see, by the access policy."""
        from pcm.access.policy import cases_visible_to

        return cases_visible_to(user, self)

    def open(self) -> CaseQuerySet:
        return self.exclude(status__in=FINISHED_STATUSES)


class Case(models.Model):
    """A protection case. Its number says which agency holds it, nothing about the person."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("case number"), max_length=40, unique=True)
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("service user"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.INTAKE
    )
    # Set by a supervisor for especially sensitive cases: lists show no name, only the number.
    identity_hidden = models.BooleanField(_("hide identity in lists"), default=False)
    # When retention or an erasure request erased the case's identifying content.
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    risk_level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices)
    team = models.ForeignKey(
        "accounts.Team", verbose_name=_("team"), on_delete=models.PROTECT, related_name="cases"
    )
    assigned_to = models.ForeignKey(
        "accounts.User",
        verbose_name=_("caseworker"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
    )
    opened_by = models.ForeignKey(
        "accounts.User", verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    # The first response is due within the agency's time for the risk level (pcm.cases.workflow).
    first_response_due_at = models.DateTimeField(_("first response due"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Incremented by every change; a save that started from an older version is refused.
    version = models.PositiveIntegerField(default=1)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["assigned_to", "-opened_at"], name="case_assignee_opened_idx"),
            models.Index(fields=["team", "-opened_at"], name="case_team_opened_idx"),
            models.Index(fields=["agency", "-opened_at"], name="case_agency_opened_idx"),
            models.Index(
                fields=["assigned_to", "first_response_due_at"],
                name="case_assignee_response_idx",
                condition=models.Q(first_response_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status not in FINISHED_STATUSES

    @property
    def awaiting_first_response(self) -> bool:
        return self.is_open and self.first_response_at is None

    @property
    def first_response_overdue(self) -> bool:
        """Derived, never stored: no first response yet and the deadline has passed."""
        return (
            self.awaiting_first_response
            and self.first_response_due_at is not None
            and self.first_response_due_at < timezone.now()
        )


class CaseNumberSequence(models.Model):
    """The last case number used by an agency in a year; numbers are never reused."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="case_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last_value}"


# Models defined beside the case, in their own modules, registered with the app here.
from pcm.cases.consent import Consent  # noqa: E402
from pcm.cases.household import HouseholdMember  # noqa: E402
from pcm.cases.intake import ContactRecord, IntakeScreening  # noqa: E402
from pcm.cases.taxonomy import RiskType  # noqa: E402

__all__ = [
    "Case",
    "CaseNumberSequence",
    "Consent",
    "ContactRecord",
    "HouseholdMember",
    "IntakeScreening",
    "RiskType",
]
