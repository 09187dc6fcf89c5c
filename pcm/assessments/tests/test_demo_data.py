"""Demo assessments: by step, with improvement and a few alerts, written in bulk."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pcm.assessments import demo_data
from pcm.assessments.models import Assessment, IdentifiedRisk
from pcm.assessments.scoring import phq9_total
from pcm.cases.models import Case, CaseStatus

STATUSES = [
    CaseStatus.INTAKE,
    CaseStatus.ASSESSMENT,
    CaseStatus.PLANNING,
    CaseStatus.IMPLEMENTATION,
    CaseStatus.FOLLOW_UP,
    CaseStatus.CLOSED,
]


@pytest.fixture
def caseload(personas, case_for):
    def make(per_status):
        now = timezone.now()
        cases = []
        for status in STATUSES:
            for index in range(per_status):
                opened = now - timedelta(days=150 + index)
                closed = now - timedelta(days=5) if status == CaseStatus.CLOSED else None
                cases.append(
                    case_for(personas.caseworker, status=status, opened_at=opened, closed_at=closed)
                )
        return cases

    return make


def test_it_assesses_cases_past_intake_and_shows_improvement(caseload):
    cases = caseload(12)
    now = timezone.now()
    demo_data.enrich(cases, rng=random.Random(7), now=now)
    by_case: dict[Case, list[Assessment]] = {}
    for assessment in Assessment.objects.select_related("case").order_by("recorded_at"):
        by_case.setdefault(assessment.case, []).append(assessment)
        assert assessment.case.opened_at < assessment.recorded_at <= now
        assert assessment.recorded_by_id == assessment.case.assigned_to_id
        phq9_total(assessment.phq9_answers)
    for case in cases:
        held = by_case.get(case, [])
        if case.status == CaseStatus.INTAKE:
            assert not held
        elif case.status in (CaseStatus.PLANNING, CaseStatus.IMPLEMENTATION):
            assert len(held) == 1
        if case.status == CaseStatus.CLOSED:
            assert all(a.recorded_at <= case.closed_at for a in held)
        if held:
            assert held[-1].risk_level == case.risk_level
    twice = [held for held in by_case.values() if len(held) == 2]
    assert twice, "some cases in follow-up or closed are assessed again"
    assert all(held[1].phq9_total <= held[0].phq9_total for held in twice)
    waiting = [c for c in cases if c.status == CaseStatus.ASSESSMENT and c not in by_case]
    assert waiting, "some cases in assessment still wait for theirs (queue)"
    assert IdentifiedRisk.objects.exists()


def test_it_raises_self_harm_alerts_that_a_follow_up_assessment_clears(caseload, monkeypatch):
    monkeypatch.setattr(demo_data, "SHARE_SELF_HARM", 1.0)
    demo_data.enrich(caseload(6), rng=random.Random(1), now=timezone.now())
    held: dict[int, list[Assessment]] = {}
    for assessment in Assessment.objects.order_by("recorded_at"):
        held.setdefault(assessment.case_id, []).append(assessment)
    assert all(assessments[0].self_harm_flag for assessments in held.values())
    followed_up = [assessments for assessments in held.values() if len(assessments) == 2]
    assert followed_up
    assert not any(assessments[1].self_harm_flag for assessments in followed_up)


def test_it_writes_in_bulk_not_row_by_row(caseload):
    cases = caseload(20)
    with CaptureQueriesContext(connection) as captured:
        demo_data.enrich(cases, rng=random.Random(3), now=timezone.now())
    rows = Assessment.objects.count() + IdentifiedRisk.objects.count()
    assert rows > 100
    # One read of the taxonomy, then inserts in batches (SQLite caps parameters per query).
    assert len(captured) < rows / 10
