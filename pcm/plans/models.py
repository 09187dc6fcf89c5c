"""Case action plans (versioned, never overwritten) and safety plans.

A case has one `CasePlan`, the head that points at its current version and holds the next
review date. Every change of goals or actions is a new `PlanVersion` (a draft copied from the
last one) that is submitted, approved or agreed, and then supersedes the one before. Action
status updates during implementation are made on the current version itself, each action
with its own optimistic lock.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcm.vault.fields import EncryptedTextField


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    SENT_BACK = "sent_back", _("Sent back")
    AGREED = "agreed", _("Agreed with the service user")
    APPROVED = "approved", _("Approved")
    SUPERSEDED = "superseded", _("Superseded")


# The statuses of the version in force; at most one version of a case has one of them.
CURRENT_STATUSES = (PlanStatus.AGREED, PlanStatus.APPROVED)


class ActionOwner(models.TextChoices):
    SERVICE_USER = "service_user", _("Service user")
    CASEWORKER = "caseworker", _("Caseworker")
    REFERRAL = "referral", _("Referral")


class ActionStatus(models.TextChoices):
    TO_DO = "to_do", _("To do")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_ACTION_STATUSES = (ActionStatus.TO_DO, ActionStatus.IN_PROGRESS)


class ActionSource(models.TextChoices):
    PLAN = "plan", _("Case action plan")
    CONFERENCE = "conference", _("Case conference")


class CasePlan(models.Model):
    """The head of a case's plan: which version is in force, and when it is next reviewed."""

    case = models.OneToOneField(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="plan"
    )
    current_version = models.ForeignKey(
        "plans.PlanVersion",
        verbose_name=_("current version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    # Incremented by every change of the head (new current version, review recorded).
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("case action plan")
        verbose_name_plural = _("case action plans")
        # The "plan reviews due" queue reads one row per case through the unique index on
        # `case`; no other index would serve it better.

    def __str__(self) -> str:
        return f"plan of case {self.case_id}"


class PlanVersion(models.Model):
    """One version of a case's plan, with who prepared, submitted and decided it, and when."""

    plan = models.ForeignKey(CasePlan, on_delete=models.CASCADE, related_name="versions")
    # Denormalised from the plan so the queues reach versions from the case in one join;
    # indexed by plan_approval_waiting_idx, which starts with it.
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("last saved at"), default=timezone.now)
    review_on = models.DateField(_("review by"), null=True, blank=True)
    agreed_with_service_user = models.BooleanField(_("agreed with the service user"), default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = EncryptedTextField(_("supervisor's comment"), blank=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    # Incremented by every change of this version; a save from an older one is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique"),
        ]
        indexes = [
            # The "plan approvals waiting" queue. Compound rather than partial: SQLite cannot
            # use a partial index when the status comes as a bound parameter.
            models.Index(fields=["case", "status"], name="plan_approval_waiting_idx"),
        ]

    def __str__(self) -> str:
        return f"plan v{self.number} of case {self.case_id}"

    @property
    def is_current(self) -> bool:
        return self.status in CURRENT_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status == PlanStatus.DRAFT


class PlanGoal(models.Model):
    """A goal agreed with the service user, in their words where possible."""

    plan_version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="goals")
    position = models.PositiveSmallIntegerField(_("number"))
    description = EncryptedTextField(_("goal"))

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["plan_version", "position"]

    def __str__(self) -> str:
        return f"goal {self.position} of {self.plan_version_id}"


class PlanAction(models.Model):
    """Something to do towards a goal: who does it, by when, and how far it has got."""

    plan_version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="actions")
    # Denormalised from the version so the queues reach actions from the case directly;
    # indexed by plan_action_due_idx, which starts with it.
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # The same action across versions: a copy into a new draft keeps it.
    key = models.UUIDField(default=uuid.uuid4, editable=False)
    goal = models.ForeignKey(
        PlanGoal,
        verbose_name=_("goal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    position = models.PositiveSmallIntegerField(_("number"), default=0)
    description = EncryptedTextField(_("action"))
    owner = models.CharField(_("who does it"), max_length=20, choices=ActionOwner.choices)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.TO_DO
    )
    source = models.CharField(
        _("source"), max_length=20, choices=ActionSource.choices, default=ActionSource.PLAN
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    # Incremented by every change of this action; a save from an older one is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        ordering = ["plan_version", "position", "id"]
        indexes = [
            # The "plan actions due" queue: a case's open actions by due date. Compound rather
            # than partial: SQLite cannot use a partial index when the statuses are parameters.
            models.Index(fields=["case", "status", "due_on"], name="plan_action_due_idx"),
        ]

    def __str__(self) -> str:
        return f"action {self.position} of {self.plan_version_id}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES

    def is_overdue(self, today: date) -> bool:
        """Derived, never stored: still open and the due date has passed."""
        return self.is_open and self.due_on is not None and self.due_on < today


class PlanReview(models.Model):
    """A review of the plan in force: what came of it and when the next one is due."""

    plan = models.ForeignKey(CasePlan, on_delete=models.CASCADE, related_name="reviews")
    plan_version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="+")
    outcome = EncryptedTextField(_("outcome"))
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), default=timezone.now)

    class Meta:
        verbose_name = _("plan review")
        verbose_name_plural = _("plan reviews")
        ordering = ["plan", "-reviewed_at", "-id"]

    def __str__(self) -> str:
        return f"review of {self.plan_id} at {self.reviewed_at:%Y-%m-%d}"


from pcm.plans.safety import EmergencyContact, SafetyPlan  # noqa: E402

__all__ = [
    "CasePlan",
    "EmergencyContact",
    "PlanAction",
    "PlanGoal",
    "PlanReview",
    "PlanVersion",
    "SafetyPlan",
]
