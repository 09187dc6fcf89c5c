"""The demo's supervision records: file checks with some overdue actions, sessions once each."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pcm.cases.models import Case, CaseStatus
from pcm.supervision.demo_data import enrich
from pcm.supervision.models import AgreedAction, CaseFileCheck, SupervisionSession
from pcm.supervision.queue import file_check_actions


def test_it_writes_checks_and_sessions_in_a_few_bulk_queries(personas, case_for, teammate):
    now = timezone.now()
    cases = [
        case_for(
            owner,
            status=status,
            opened_at=now - timedelta(days=90),
            closed_at=now - timedelta(days=5) if status == CaseStatus.CLOSED else None,
        )
        for owner in (personas.caseworker, teammate)
        for status in (CaseStatus.IMPLEMENTATION, CaseStatus.FOLLOW_UP, CaseStatus.CLOSED) * 20
    ]
    with CaptureQueriesContext(connection) as captured:
        enrich(cases, rng=random.Random(7), now=now)
    assert len(captured) <= 12
    checks = CaseFileCheck.objects.all()
    assert checks.count() > 10
    assert all(check.checked_by_id == personas.supervisor.pk for check in checks)
    assert all(check.checked_at <= now for check in checks)
    mine = Case.objects.visible_to(personas.supervisor)
    assert any(item.is_overdue(now) for item in file_check_actions(mine, now))
    sessions = SupervisionSession.objects.all()
    assert {session.caseworker_id for session in sessions} == {
        personas.caseworker.pk,
        teammate.pk,
    }
    assert AgreedAction.objects.exists()
    discussed = {case.pk for session in sessions for case in session.cases_discussed.all()}
    assert discussed <= {case.pk for case in cases if case.status != CaseStatus.CLOSED}
    # A second batch of the same caseworkers' cases adds no more sessions.
    before = sessions.count()
    more = [case_for(personas.caseworker, status=CaseStatus.FOLLOW_UP) for _ in range(3)]
    enrich(more, rng=random.Random(8), now=now)
    assert SupervisionSession.objects.count() == before
