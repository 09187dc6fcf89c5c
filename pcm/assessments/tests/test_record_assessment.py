"""The action: who may record an assessment, in which steps, and what it changes on the case."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from pcm.assessments.actions import do_record_assessment
from pcm.assessments.models import (
    Assessment,
    AssessmentEvent,
    IdentifiedRisk,
    ImmediateSafety,
    PerpetratorType,
)
from pcm.assessments.tests.factories import data
from pcm.audit.models import AuditEvent, AuditEventType
from pcm.cases.models import CaseStatus, RiskLevel
from pcm.cases.taxonomy import RiskType
from pcm.core.errors import ActionRefused


@pytest.fixture
def case(personas, case_for):
    return case_for(personas.caseworker, status=CaseStatus.ASSESSMENT)


def test_it_records_the_assessment_and_moves_the_case_to_planning(personas, case):
    assessment = do_record_assessment(case, data(case), acting_user=personas.caseworker)
    case.refresh_from_db()
    assert case.status == CaseStatus.PLANNING
    assert case.version == 2
    assert assessment.recorded_by == personas.caseworker
    assert assessment.phq9_total == 4
    risk = IdentifiedRisk.objects.get(assessment=assessment)
    assert risk.perpetrator == PerpetratorType.ARMED_ACTOR
    assert risk.risk_type.agency_id == case.agency_id
    events = set(AuditEvent.objects.values_list("event_type", flat=True))
    assert {AssessmentEvent.RECORDED, AuditEventType.CASE_STEP_CHANGED} <= events
    recorded = AuditEvent.objects.get(event_type=AssessmentEvent.RECORDED)
    assert recorded.detail == {"case": case.pk}  # ids only, never the answers


@pytest.mark.parametrize(
    "status", [CaseStatus.PLANNING, CaseStatus.IMPLEMENTATION, CaseStatus.FOLLOW_UP]
)
def test_it_repeats_later_in_the_case_without_changing_the_step(personas, case_for, status):
    case = case_for(personas.caseworker, status=status)
    first = do_record_assessment(case, data(case), acting_user=personas.caseworker)
    second = do_record_assessment(case, data(case), acting_user=personas.caseworker)
    case.refresh_from_db()
    assert case.status == status
    assert list(Assessment.objects.filter(case=case)) == [second, first]


def test_it_sets_the_cases_risk_level(personas, case):
    do_record_assessment(
        case, data(case, risk_level=RiskLevel.HIGH), acting_user=personas.caseworker
    )
    case.refresh_from_db()
    assert case.risk_level == RiskLevel.HIGH
    event = AuditEvent.objects.get(event_type=AuditEventType.CASE_RISK_CHANGED)
    assert event.detail == {"from": "medium", "to": "high"}


def test_it_answers_the_first_response_deadline_once(personas, case):
    due = timezone.now() + timedelta(hours=5)
    case.first_response_due_at = due
    case.save()
    do_record_assessment(case, data(case), acting_user=personas.caseworker)
    case.refresh_from_db()
    answered = case.first_response_at
    assert answered is not None
    assert case.first_response_due_at == due
    do_record_assessment(case, data(case), acting_user=personas.caseworker)
    case.refresh_from_db()
    assert case.first_response_at == answered


def test_the_response_is_judged_by_the_deadline_known_before_the_assessment(personas, case):
    """The response is recorded before the new risk level applies, so the deadline stays."""
    due = timezone.now() + timedelta(days=2)
    case.first_response_due_at = due
    case.save()
    do_record_assessment(
        case, data(case, risk_level=RiskLevel.HIGH), acting_user=personas.caseworker
    )
    case.refresh_from_db()
    assert case.risk_level == RiskLevel.HIGH
    assert case.first_response_at is not None
    assert case.first_response_due_at == due


def test_the_teams_supervisor_may_record_it(personas, case):
    do_record_assessment(case, data(case), acting_user=personas.supervisor)
    assert Assessment.objects.get(case=case).recorded_by == personas.supervisor


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (CaseStatus.INTAKE, "Record consent and complete the intake first"),
        (CaseStatus.CLOSURE_REQUESTED, "waiting for its closure to be approved"),
        (CaseStatus.CLOSED, "This case is closed"),
        (CaseStatus.TRANSFERRED, "transferred to another agency"),
    ],
)
def test_it_refuses_a_case_outside_the_steps_that_take_assessments(
    personas, case_for, status, message
):
    case = case_for(personas.caseworker, status=status)
    with pytest.raises(ActionRefused, match=message):
        do_record_assessment(case, data(case), acting_user=personas.caseworker)
    case.refresh_from_db()
    assert case.status == status
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    "who", ["other_caseworker", "other_supervisor", "manager", "meal_officer", "outsider"]
)
def test_it_refuses_anyone_but_the_caseworker_and_the_supervisor(personas, case, who):
    with pytest.raises(ActionRefused, match="Only the case's caseworker or their supervisor"):
        do_record_assessment(case, data(case), acting_user=getattr(personas, who))
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSESSMENT
    assert not Assessment.objects.exists()


def test_it_refuses_a_risk_type_of_another_agency_or_no_longer_in_use(personas, case):
    foreign = RiskType.objects.filter(agency=personas.other_agency)[0]
    retired = RiskType.objects.filter(agency=personas.agency).order_by("-code")[0]
    retired.is_active = False
    retired.save()
    for risk in (foreign, retired):
        with pytest.raises(ActionRefused, match="your agency's list in use"):
            do_record_assessment(
                case,
                data(case, risks=[(risk, PerpetratorType.UNKNOWN)]),
                acting_user=personas.caseworker,
            )
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"phq9": (1,) * 8}, "nine PHQ-9 questions"),
        ({"phq9": (0,) * 8 + (4,)}, "nine PHQ-9 questions"),
        ({"wg": ["none"] * 5}, "six Washington Group questions"),
        ({"immediate_safety": ImmediateSafety.NOT_SAFE}, "unsafe now"),
    ],
)
def test_it_refuses_incomplete_screens(personas, case, changes, message):
    with pytest.raises(ActionRefused, match=message):
        do_record_assessment(case, data(case, **changes), acting_user=personas.caseworker)
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSESSMENT
    assert not Assessment.objects.exists()


def test_it_refuses_the_same_risk_twice(personas, case):
    risk = RiskType.objects.filter(agency=personas.agency)[0]
    twice = [(risk, PerpetratorType.UNKNOWN), (risk, PerpetratorType.EMPLOYER)]
    with pytest.raises(ActionRefused, match="each protection risk once"):
        do_record_assessment(case, data(case, risks=twice), acting_user=personas.caseworker)
