"""Writes of assessments: recording one is the only change; assessments are never edited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pcm.accounts.models import User
from pcm.assessments.models import (
    PHQ9_FIELDS,
    WG_FIELDS,
    Assessment,
    AssessmentEvent,
    IdentifiedRisk,
    ImmediateSafety,
    NeedSector,
    PerpetratorType,
)
from pcm.assessments.rules import may_record_assessment, step_refusal
from pcm.assessments.scoring import Difficulty, phq9_self_harm_alert, wg_has_disability
from pcm.audit.actions import record_event
from pcm.cases import workflow
from pcm.cases.models import Case, CaseStatus, RiskLevel
from pcm.cases.taxonomy import RiskType
from pcm.core.errors import ActionRefused
from pcm.notifications.actions import notify
from pcm.notifications.models import NotificationKind


@dataclass(frozen=True)
class AssessmentData:
    """What the caseworker found, as the form (or an API) hands it to the action."""

    risks: Sequence[tuple[RiskType, PerpetratorType]]
    needs: Sequence[NeedSector]
    needs_note: str
    strengths: str
    support_network: str
    immediate_safety: ImmediateSafety
    safety_note: str
    phq9: Sequence[int]  # the nine answers, 0 to 3, in the questionnaire's order
    wg: Sequence[Difficulty]  # the six domains' answers, in WG_DOMAINS order
    risk_level: RiskLevel
    summary: str


def _check_data(case: Case, data: AssessmentData) -> None:
    """Refuse data a form would have caught, so every caller gets the same rules."""
    for risk_type, _perpetrator in data.risks:
        if risk_type.agency_id != case.agency_id or not risk_type.is_active:
            raise ActionRefused(_("Choose protection risks from your agency's list in use."))
    if len({risk_type.pk for risk_type, _perpetrator in data.risks}) != len(data.risks):
        raise ActionRefused(_("Name each protection risk once."))
    try:
        phq9_self_harm_alert(data.phq9)
    except ValueError:
        raise ActionRefused(_("Answer all nine PHQ-9 questions, each from 0 to 3.")) from None
    try:
        wg_has_disability(data.wg)
    except ValueError:
        raise ActionRefused(_("Answer all six Washington Group questions.")) from None
    if data.immediate_safety == ImmediateSafety.NOT_SAFE and not data.safety_note.strip():
        raise ActionRefused(_("Say what makes the person unsafe now."))


def do_record_assessment(case: Case, data: AssessmentData, *, acting_user: User) -> Assessment:
    """Record an assessment of CASE; it sets the case's risk level and ends the assessment step.

    The first assessment answers the first-response deadline if nothing else did. A case in
    the assessment step moves on to case action planning. An answer above 0 to PHQ-9 item 9
    raises an immediate safety alert to the caseworker and the team's supervisor.
    """
    with transaction.atomic(durable=True):
        # Read the case afresh, locked, so its step and version are the ones we change.
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("agency", "team", "assigned_to")
            .get(pk=case.pk)
        )
        if not may_record_assessment(acting_user, case):
            raise ActionRefused(
                _("Only the case's caseworker or their supervisor can record an assessment.")
            )
        refusal = step_refusal(case)
        if refusal is not None:
            raise ActionRefused(refusal)
        _check_data(case, data)
        now = timezone.now()
        assessment = Assessment.objects.create(
            case=case,
            needs=[NeedSector(need).value for need in data.needs],
            needs_note=data.needs_note,
            strengths=data.strengths,
            support_network=data.support_network,
            immediate_safety=data.immediate_safety,
            safety_note=data.safety_note,
            risk_level=data.risk_level,
            summary=data.summary,
            recorded_by=acting_user,
            recorded_at=now,
            **dict(zip(PHQ9_FIELDS, data.phq9, strict=True)),
            **dict(zip(WG_FIELDS, (Difficulty(answer).value for answer in data.wg), strict=True)),
        )
        IdentifiedRisk.objects.bulk_create(
            IdentifiedRisk(assessment=assessment, risk_type=risk_type, perpetrator=perpetrator)
            for risk_type, perpetrator in data.risks
        )
        record_event(
            AssessmentEvent.RECORDED,
            actor=acting_user,
            target=assessment,
            agency=case.agency,
            fields=["risks", "needs", "immediate_safety", "phq9", "wg_ss", "risk_level"],
            detail={"case": case.pk},
        )
        workflow.record_first_response(case, now)
        workflow.change_risk_level(case, data.risk_level, acting_user=acting_user)
        if case.status == CaseStatus.ASSESSMENT:
            workflow.move_case(case, to=CaseStatus.PLANNING, acting_user=acting_user)
        if assessment.self_harm_flag:
            _raise_safety_alert(case, assessment, acting_user)
    return assessment


def _raise_safety_alert(case: Case, assessment: Assessment, acting_user: User) -> None:
    """Tell the caseworker and the supervisor at once; the case page shows the alert too."""
    recipients = [case.assigned_to, case.team.supervisor]
    sent = notify(recipients, NotificationKind.SAFETY_ALERT, case=case, actor=acting_user)
    record_event(
        AssessmentEvent.SAFETY_ALERT_RAISED,
        actor=acting_user,
        target=assessment,
        agency=case.agency,
        detail={"case": case.pk, "notified": sorted(n.recipient_id for n in sent)},
    )
