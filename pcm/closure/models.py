"""Step 6 records: closure requests, reopenings, satisfaction surveys and transfers."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcm.cases.models import CaseStatus
from pcm.vault.fields import EncryptedTextField

# An agency-wide minimum: a case is "unreachable" only after this many recorded attempts.
MIN_CONTACT_ATTEMPTS = 3


class ClosureEvent(models.TextChoices):
    """Audit event types of step 6."""

    CLOSURE_REQUESTED = "closure_requested", _("Closure requested")
    CLOSURE_APPROVED = "closure_approved", _("Closure approved")
    CLOSURE_SENT_BACK = "closure_sent_back", _("Closure request sent back")
    SURVEY_RECORDED = "closure_survey_recorded", _("Satisfaction survey recorded")
    CASE_REOPENED = "case_reopened", _("Case reopened")
    TRANSFER_REQUESTED = "transfer_requested", _("Transfer to another agency requested")
    TRANSFER_ACCEPTED = "transfer_accepted", _("Transfer accepted by the receiving agency")
    TRANSFER_DECLINED = "transfer_declined", _("Transfer declined by the receiving agency")
    TRANSFER_SENT = "transfer_sent", _("Case transferred out to another agency")


class ClosureCriterion(models.TextChoices):
    """Why a case closes (guide, module 4, step 6)."""

    GOALS_MET = "goals_met", _("The case action plan's goals are met")
    RISK_REDUCED = "risk_reduced", _("The protection risk is reduced")
    SERVICE_USER_REQUEST = "service_user_request", _("The service user asked to close the case")
    RELOCATED = "relocated", _("The service user relocated out of the area")
    UNREACHABLE = "unreachable", _("Unreachable after several attempts")
    DECEASED = "deceased", _("The service user died")
    TRANSFERRED = "transferred", _("Transferred to an organisation outside PCM")


class ClosureStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the supervisor's approval")
    APPROVED = "approved", _("Approved")
    SENT_BACK = "sent_back", _("Sent back")


class SurveyOutcome(models.TextChoices):
    """What happened when the satisfaction survey was (or was not) offered."""

    ANSWERED = "answered", _("Offered, and the service user answered")
    DECLINED = "declined", _("Offered, and the service user declined")
    NOT_OFFERED = "not_offered", _("Not offered (e.g. unreachable or deceased)")


class ClosureRequest(models.Model):
    """A caseworker's request to close a case, and the supervisor's decision on it."""

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="closure_requests",
    )
    criterion = models.CharField(
        _("closure criterion"), max_length=30, choices=ClosureCriterion.choices
    )
    summary = EncryptedTextField(_("closing summary"))
    contact_attempts = models.PositiveSmallIntegerField(
        _("contact attempts"), null=True, blank=True
    )
    # The step the case was in, so that sending the request back returns it there.
    from_status = models.CharField(_("requested from"), max_length=20, choices=CaseStatus.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ClosureStatus.choices, default=ClosureStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = EncryptedTextField(_("supervisor's comment"), blank=True)
    # The survey: None until the caseworker records whether it was offered and accepted.
    survey_offered = models.BooleanField(_("survey offered"), null=True, blank=True)
    survey_accepted = models.BooleanField(_("survey accepted"), null=True, blank=True)
    # One-way marker: answers exist somewhere, but nothing here says which they are.
    survey_given = models.BooleanField(_("survey answered"), default=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("closure request")
        verbose_name_plural = _("closure requests")
        ordering = ["case_id", "-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="pending"),
                name="closure_one_pending_per_case",
            )
        ]
        indexes = [
            # The supervisors' queue reads pending requests by age.
            models.Index(
                fields=["requested_at"],
                condition=models.Q(status="pending"),
                name="closure_pending_age_idx",
            )
        ]

    def __str__(self) -> str:
        return f"closure request {self.pk} of case {self.case_id}"

    @property
    def is_pending(self) -> bool:
        return self.status == ClosureStatus.PENDING

    @property
    def survey_recorded(self) -> bool:
        return self.survey_offered is not None

    @property
    def survey_outcome(self) -> SurveyOutcome | None:
        if self.survey_offered is None:
            return None
        if not self.survey_offered:
            return SurveyOutcome.NOT_OFFERED
        return SurveyOutcome.ANSWERED if self.survey_given else SurveyOutcome.DECLINED


class CaseReopening(models.Model):
    """A closed case opened again, with the reason; the closure before it stays on record."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="reopenings"
    )
    reason = EncryptedTextField(_("reason for reopening"))
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reopened_at = models.DateTimeField(_("reopened at"), default=timezone.now)

    class Meta:
        verbose_name = _("case reopening")
        verbose_name_plural = _("case reopenings")
        ordering = ["case_id", "-reopened_at", "-id"]

    def __str__(self) -> str:
        return f"reopening {self.pk} of case {self.case_id}"


class WouldRecommend(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_SURE = "not_sure", _("Not sure")


# A score of at least this on the overall question counts as "satisfied" (MEAL target 90%).
SATISFIED_SCORE = 4


class SatisfactionSurvey(models.Model):
    """The answers of one service user's satisfaction survey, unlinkable to them by design.

    Service users answer more honestly when they know their answers cannot come back to their
    case, and a complaint about a caseworker must never change how a case is handled. So the
    answers carry only what MEAL aggregates by — agency, team and the month of closure — and
    no foreign key to the case, the person or the caseworker. The closure request keeps only
    a one-way marker (`ClosureRequest.survey_given`) so the caseworker is not asked twice.
    To keep the two from being joined by time or order, a survey has no timestamp (the month
    only) and a random primary key rather than a sequence, and the audit event of the survey
    names the closure request, never the survey. The free comment asks for no names.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The first day of the month of closure.
    month = models.DateField(_("month of closure"))
    overall_satisfaction = models.PositiveSmallIntegerField(_("overall satisfaction"))
    treated_with_respect = models.PositiveSmallIntegerField(_("treated with dignity and respect"))
    felt_safe = models.PositiveSmallIntegerField(_("felt safe, information kept confidential"))
    involved_in_decisions = models.PositiveSmallIntegerField(_("involved in decisions"))
    situation_improved = models.PositiveSmallIntegerField(_("situation improved"))
    would_recommend = models.CharField(
        _("would recommend the service"), max_length=10, choices=WouldRecommend.choices
    )
    comment = EncryptedTextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        indexes = [models.Index(fields=["agency", "month"], name="survey_agency_month_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(overall_satisfaction__gte=1, overall_satisfaction__lte=5)
                & models.Q(treated_with_respect__gte=1, treated_with_respect__lte=5)
                & models.Q(felt_safe__gte=1, felt_safe__lte=5)
                & models.Q(involved_in_decisions__gte=1, involved_in_decisions__lte=5)
                & models.Q(situation_improved__gte=1, situation_improved__lte=5),
                name="survey_scores_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"survey {self.agency_id} {self.month:%Y-%m}"


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the receiving agency")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class TransferRequest(models.Model):
    """A request to move a case to another agency; the case stays with the sender until then.

    The receiving agency's supervisors see only the case number, risk level, reason and the
    sending agency before they accept: never anything about the person.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="transfer_requests",
    )
    # The number when the request was made; the case gets a new one if it is accepted.
    case_number = models.CharField(_("case number"), max_length=40)
    from_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("sending agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("receiving agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = EncryptedTextField(_("reason for the transfer"))
    status = models.CharField(
        _("status"), max_length=20, choices=TransferStatus.choices, default=TransferStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decline_reason = EncryptedTextField(_("reason for declining"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("transfer request")
        verbose_name_plural = _("transfer requests")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="pending"),
                name="transfer_one_pending_per_case",
            )
        ]
        indexes = [
            models.Index(
                fields=["to_agency", "requested_at"],
                condition=models.Q(status="pending"),
                name="transfer_incoming_idx",
            )
        ]

    def __str__(self) -> str:
        return f"transfer {self.public_id}"

    @property
    def is_pending(self) -> bool:
        return self.status == TransferStatus.PENDING


class TransferRecord(models.Model):
    """The stub a sending agency keeps of a case it transferred out: no personal data."""

    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    old_number = models.CharField(_("case number"), max_length=40, unique=True)
    transferred_at = models.DateTimeField(_("transferred on"), default=timezone.now)
    to_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("receiving agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("transferred case")
        verbose_name_plural = _("transferred cases")
        ordering = ["-transferred_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "-transferred_at"], name="transfer_record_agency_idx"),
            models.Index(fields=["team", "-transferred_at"], name="transfer_record_team_idx"),
        ]

    def __str__(self) -> str:
        return self.old_number
