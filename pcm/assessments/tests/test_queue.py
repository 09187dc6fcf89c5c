"""The queue: cases in the assessment step with no assessment yet, due a week after opening."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pcm.assessments.queue import assessments_to_record
from pcm.assessments.tests.factories import make_assessment
from pcm.cases.models import Case, CaseStatus
from pcm.cases.queue import due_items


def test_it_lists_cases_in_assessment_without_one_due_a_week_after_opening(personas, case_for):
    now = timezone.now()
    opened = now - timedelta(days=10)
    waiting = case_for(personas.caseworker, status=CaseStatus.ASSESSMENT, opened_at=opened)
    assessed = case_for(personas.caseworker, status=CaseStatus.ASSESSMENT)
    make_assessment(assessed)
    for status in (CaseStatus.INTAKE, CaseStatus.PLANNING, CaseStatus.CLOSED):
        case_for(personas.caseworker, status=status)
    items = assessments_to_record(Case.objects.visible_to(personas.caseworker), now)
    assert [item.case for item in items] == [waiting]
    (item,) = items
    assert item.label == "Assessment to record"
    assert item.due_at == opened + timedelta(days=7)
    assert item.is_overdue(now)
    assert item.url == reverse("assessments:record", args=[waiting.public_id])


def test_it_takes_one_query_for_few_or_many_cases(personas, case_for):
    def queries(count):
        Case.objects.all().delete()
        for _ in range(count):
            case_for(personas.caseworker, status=CaseStatus.ASSESSMENT)
        with CaptureQueriesContext(connection) as captured:
            items = assessments_to_record(
                Case.objects.visible_to(personas.caseworker), timezone.now()
            )
            names = [item.case.person.given_name for item in items]
        assert len(names) == count
        return len(captured)

    assert queries(1) == queries(15) == 1


def test_it_joins_the_one_queue_of_the_caseworker_and_the_supervisor(personas, case_for):
    case = case_for(personas.caseworker, status=CaseStatus.ASSESSMENT)
    for user in (personas.caseworker, personas.supervisor):
        items = due_items(Case.objects.visible_to(user), timezone.now())
        assert ("assessment", case) in [(item.kind, item.case) for item in items]
    other = due_items(Case.objects.visible_to(personas.other_caseworker), timezone.now())
    assert case not in [item.case for item in other]
