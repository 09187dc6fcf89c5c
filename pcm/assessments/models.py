"""Protection risk assessments: append-only records of a case, newest first, never edited."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.expressions import CombinedExpression
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcm.assessments.scoring import (
    PHQ9_ITEM_COUNT,
    PHQ9_ITEMS,
    PHQ9_MAX_ANSWER,
    SELF_HARM_ITEM,
    WG_DOMAINS,
    Difficulty,
    Phq9Answer,
    Phq9Severity,
    phq9_severity,
    phq9_total,
    wg_has_disability,
)
from pcm.cases.models import RiskLevel
from pcm.vault.fields import EncryptedTextField


class AssessmentEvent(models.TextChoices):
    """What the audit trail records about assessments (ids only, never the answers)."""

    RECORDED = "assessment_recorded", _("Assessment recorded")
    VIEWED = "assessment_viewed", _("Assessment viewed")
    SAFETY_ALERT_RAISED = "assessment_safety_alert", _("Immediate safety alert raised")


class PerpetratorType(models.TextChoices):
    """Who poses a protection risk."""

    FAMILY_MEMBER = "family_member", _("Family member")
    INTIMATE_PARTNER = "intimate_partner", _("Intimate partner or former partner")
    COMMUNITY_MEMBER = "community_member", _("Community member")
    ARMED_ACTOR = "armed_actor", _("Armed actor")
    AUTHORITIES = "authorities", _("Authorities")
    EMPLOYER = "employer", _("Employer")
    UNKNOWN = "unknown", _("Unknown")
    OTHER = "other", _("Other")


class NeedSector(models.TextChoices):
    HEALTH = "health", _("Health")
    MHPSS = "mhpss", _("Mental health and psychosocial support")
    LEGAL = "legal", _("Legal assistance")
    SHELTER = "shelter", _("Shelter")
    FOOD = "food", _("Food")
    CASH_LIVELIHOODS = "cash_livelihoods", _("Cash and livelihoods")
    EDUCATION = "education", _("Education")
    DOCUMENTATION = "documentation", _("Civil documentation")
    WASH = "wash", _("Water, sanitation and hygiene")
    OTHER = "other", _("Other")


class ImmediateSafety(models.TextChoices):
    SAFE = "safe", _("Safe now")
    NOT_SAFE = "not_safe", _("Not safe now")


PHQ9_FIELDS = tuple(f"phq9_{number}" for number in range(1, PHQ9_ITEM_COUNT + 1))
WG_FIELDS = tuple(name for name, _domain, _question in WG_DOMAINS)


def phq9_total_expression(prefix: str = "") -> CombinedExpression:
    """The PHQ-9 total as a database expression (PREFIX e.g. "assessments__" from a case)."""
    first, *rest = (F(f"{prefix}{name}") for name in PHQ9_FIELDS)
    total = first + rest[0]
    for item in rest[1:]:
        total = total + item
    return total


def _phq9_field(number: int) -> models.PositiveSmallIntegerField[int, int]:
    """Item NUMBER (from 1) of the PHQ-9, named by its text."""
    return models.PositiveSmallIntegerField(PHQ9_ITEMS[number - 1], choices=Phq9Answer.choices)


def _wg_field(index: int) -> models.CharField[str, str]:
    """Domain INDEX (from 0) of the WG-SS, named by the domain."""
    return models.CharField(WG_DOMAINS[index][1], max_length=10, choices=Difficulty.choices)


class Assessment(models.Model):
    """One protection risk assessment of a case (guide, module 4, step 2)."""

    # Indexed by assessment_case_recent_idx, which starts with the case.
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="assessments", db_index=False
    )
    needs = models.JSONField(_("needs by sector"), default=list)
    needs_note = EncryptedTextField(_("about the needs"), blank=True)
    strengths = EncryptedTextField(_("strengths and coping"), blank=True)
    support_network = EncryptedTextField(_("support network"), blank=True)
    immediate_safety = models.CharField(
        _("immediate safety"), max_length=10, choices=ImmediateSafety.choices
    )
    safety_note = EncryptedTextField(_("about immediate safety"), blank=True)
    phq9_1 = _phq9_field(1)
    phq9_2 = _phq9_field(2)
    phq9_3 = _phq9_field(3)
    phq9_4 = _phq9_field(4)
    phq9_5 = _phq9_field(5)
    phq9_6 = _phq9_field(6)
    phq9_7 = _phq9_field(7)
    phq9_8 = _phq9_field(8)
    phq9_9 = _phq9_field(9)
    wg_seeing = _wg_field(0)
    wg_hearing = _wg_field(1)
    wg_mobility = _wg_field(2)
    wg_cognition = _wg_field(3)
    wg_self_care = _wg_field(4)
    wg_communication = _wg_field(5)
    risk_level = models.CharField(_("overall risk level"), max_length=10, choices=RiskLevel.choices)
    summary = EncryptedTextField(_("summary"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("protection risk assessment")
        verbose_name_plural = _("protection risk assessments")
        ordering = ["-recorded_at", "-id"]
        indexes = [
            # The case page's latest assessments, the queue's "none yet" and MEAL's first/latest.
            models.Index(fields=["case", "-recorded_at"], name="assessment_case_recent_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    **{f"{name}__lte": PHQ9_MAX_ANSWER for name in PHQ9_FIELDS},
                ),
                name="assessment_phq9_answers_0_to_3",
            ),
        ]

    def __str__(self) -> str:
        return f"assessment {self.pk} of case {self.case_id}"

    @property
    def phq9_answers(self) -> tuple[int, ...]:
        return tuple(int(getattr(self, name)) for name in PHQ9_FIELDS)

    @property
    def phq9_total(self) -> int:
        return phq9_total(self.phq9_answers)

    @property
    def phq9_severity(self) -> Phq9Severity:
        return phq9_severity(self.phq9_total)

    @property
    def self_harm_flag(self) -> bool:
        """PHQ-9 item 9 above 0: an immediate safety alert."""
        return self.phq9_answers[SELF_HARM_ITEM - 1] > 0

    @property
    def phq9_rows(self) -> list[tuple[int, str, str]]:
        """(item number, item text, answer label) for display."""
        return [
            (number, str(text), str(Phq9Answer(answer).label))
            for number, (text, answer) in enumerate(
                zip(PHQ9_ITEMS, self.phq9_answers, strict=True), start=1
            )
        ]

    @property
    def wg_answers(self) -> tuple[str, ...]:
        return tuple(str(getattr(self, name)) for name in WG_FIELDS)

    @property
    def has_disability(self) -> bool:
        return wg_has_disability(self.wg_answers)

    @property
    def wg_rows(self) -> list[tuple[str, str]]:
        """(domain, answer label) for display."""
        return [
            (str(domain), str(Difficulty(answer).label))
            for (_name, domain, _question), answer in zip(WG_DOMAINS, self.wg_answers, strict=True)
        ]

    @property
    def need_labels(self) -> list[str]:
        return [str(NeedSector(need).label) for need in self.needs if need in NeedSector.values]


class IdentifiedRisk(models.Model):
    """A protection risk an assessment identified, and who poses it."""

    # Indexed by the unique constraint, which starts with the assessment.
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="risks", db_index=False
    )
    risk_type = models.ForeignKey(
        "cases.RiskType",
        verbose_name=_("protection risk"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    perpetrator = models.CharField(
        _("who poses it"), max_length=20, choices=PerpetratorType.choices
    )

    class Meta:
        ordering = ["assessment_id", "risk_type__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "risk_type"], name="identified_risk_once_per_assessment"
            )
        ]

    def __str__(self) -> str:
        return f"risk {self.risk_type_id} in assessment {self.assessment_id}"
