"""Demo records for step 6: realistic closures, about 60% surveyed, pending requests, fast."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pcm.cases.models import Case, CaseStatus
from pcm.closure.demo_data import enrich
from pcm.closure.models import (
    ClosureCriterion,
    ClosureRequest,
    ClosureStatus,
    SatisfactionSurvey,
)
from tests.factories import CaseFactory


def make_cases(personas, count: int, status: CaseStatus) -> list[Case]:
    now = timezone.now()
    cases = []
    for index in range(count):
        opened = now - timedelta(days=200 + index % 50)
        case = CaseFactory.build(
            assigned_to=personas.caseworker,
            status=status,
            opened_at=opened,
            closed_at=opened + timedelta(days=60) if status == CaseStatus.CLOSED else None,
        )
        case.person.save()
        case.person_id = case.person.pk
        cases.append(case)
    return Case.objects.bulk_create(cases)


def test_it_closes_closed_cases_realistically(personas):
    closed = make_cases(personas, 300, CaseStatus.CLOSED)
    enrich(closed, rng=random.Random(7), now=timezone.now())
    requests = ClosureRequest.objects.all()
    assert requests.count() == 300
    assert set(requests.values_list("status", flat=True)) == {ClosureStatus.APPROVED}
    assert set(requests.values_list("decided_by", flat=True)) == {personas.supervisor.pk}
    criteria = Counter(requests.values_list("criterion", flat=True))
    mostly = criteria[ClosureCriterion.GOALS_MET] + criteria[ClosureCriterion.RISK_REDUCED]
    assert mostly > 0.6 * 300
    surveyed = SatisfactionSurvey.objects.count()
    assert 0.5 * 300 <= surveyed <= 0.7 * 300
    assert requests.filter(survey_given=True).count() == surveyed
    unreachable = requests.filter(criterion=ClosureCriterion.UNREACHABLE).first()
    assert unreachable is not None
    assert (unreachable.contact_attempts or 0) >= 3
    assert not requests.filter(criterion=ClosureCriterion.UNREACHABLE, survey_given=True).exists()


def test_it_leaves_closures_waiting_some_of_them_overdue(personas):
    waiting = make_cases(personas, 40, CaseStatus.CLOSURE_REQUESTED)
    now = timezone.now()
    enrich(waiting, rng=random.Random(3), now=now)
    pending = ClosureRequest.objects.filter(status=ClosureStatus.PENDING)
    assert pending.count() == 40
    assert pending.filter(requested_at__lt=now - timedelta(days=3)).exists()
    assert pending.filter(requested_at__gt=now - timedelta(days=3)).exists()
    assert all(request.summary for request in pending)


def test_it_writes_in_bulk(personas):
    def queries(count: int) -> int:
        cases = make_cases(personas, count, CaseStatus.CLOSED)
        cases += make_cases(personas, count, CaseStatus.CLOSURE_REQUESTED)
        cases += make_cases(personas, count, CaseStatus.IMPLEMENTATION)
        with CaptureQueriesContext(connection) as captured:
            enrich(cases, rng=random.Random(1), now=timezone.now())
        return len(captured)

    # Batches, never a query per record (SQLite caps the rows of one insert).
    assert queries(30) <= 4
    assert queries(300) <= 20
