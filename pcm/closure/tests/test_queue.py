"""Closure approvals waiting in the supervisor's queue, in one query."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pcm.cases.models import Case, CaseStatus
from pcm.closure.models import ClosureRequest
from pcm.closure.queue import CLOSURE_REVIEW_TIME, closure_approvals
from pcm.closure.tests.conftest import request_closure


def test_it_lists_pending_closures_for_the_supervisor(personas, case, case_for):
    closure = request_closure(case)
    decided = case_for(personas.caseworker, status=CaseStatus.IMPLEMENTATION)
    request_closure(decided)
    ClosureRequest.objects.filter(case=decided).update(status="approved")
    now = timezone.now()
    items = closure_approvals(Case.objects.visible_to(personas.supervisor), now)
    assert [item.case for item in items] == [case]
    item = items[0]
    assert item.actor == "supervisor"
    assert item.kind == "closure_approval"
    assert item.due_at == closure.requested_at + CLOSURE_REVIEW_TIME
    assert not item.is_overdue(now)
    assert item.is_overdue(now + timedelta(days=4))
    assert item.url.endswith("#closure")


def test_it_lists_nothing_the_user_cannot_see(personas, case):
    request_closure(case)
    now = timezone.now()
    assert closure_approvals(Case.objects.visible_to(personas.other_supervisor), now) == []
    assert closure_approvals(Case.objects.visible_to(personas.outsider_supervisor), now) == []


def test_it_reads_in_one_query_whatever_the_number(personas, case_for):
    def count() -> int:
        cases = Case.objects.visible_to(personas.supervisor)
        with CaptureQueriesContext(connection) as queries:
            items = closure_approvals(cases, timezone.now())
            for item in items:
                str(item.case.person)
        return len(queries)

    request_closure(case_for(personas.caseworker, status=CaseStatus.FOLLOW_UP))
    few = count()
    for _ in range(6):
        request_closure(case_for(personas.caseworker, status=CaseStatus.IMPLEMENTATION))
    assert count() == few == 1
