"""Well-being change for MEAL: the first PHQ-9 total minus the latest (positive: improved)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from pcm.assessments.tests.factories import make_assessment
from pcm.assessments.wellbeing import wellbeing_change, with_wellbeing
from pcm.cases.models import Case, CaseStatus


def scores(total: int) -> tuple[int, ...]:
    """Nine answers adding up to TOTAL, item 9 at 0."""
    answers = [min(3, max(0, total - 3 * index)) for index in range(8)]
    return (*answers, 0)


def test_it_needs_two_assessments(personas, case_for):
    case = case_for(personas.caseworker, status=CaseStatus.FOLLOW_UP)
    assert wellbeing_change(case) is None
    make_assessment(case, phq9=scores(18))
    assert wellbeing_change(case) is None


def test_it_compares_the_first_with_the_latest(personas, case_for):
    case = case_for(personas.caseworker, status=CaseStatus.FOLLOW_UP)
    start = timezone.now() - timedelta(days=90)
    make_assessment(case, phq9=scores(18), recorded_at=start)
    make_assessment(case, phq9=scores(20), recorded_at=start + timedelta(days=30))
    make_assessment(case, phq9=scores(7), recorded_at=start + timedelta(days=60))
    assert wellbeing_change(case) == 11
    make_assessment(case, phq9=scores(21))
    assert wellbeing_change(case) == -3


def test_it_annotates_a_whole_caseload_in_one_query(personas, case_for, django_assert_num_queries):
    improved = case_for(personas.caseworker, status=CaseStatus.CLOSED)
    start = timezone.now() - timedelta(days=30)
    make_assessment(improved, phq9=scores(15), recorded_at=start)
    make_assessment(improved, phq9=scores(5))
    untouched = case_for(personas.caseworker, status=CaseStatus.ASSESSMENT)
    with django_assert_num_queries(1):
        names = ("pk", "assessment_count", "first_phq9_total", "latest_phq9_total")
        rows = {pk: rest for pk, *rest in with_wellbeing(Case.objects.all()).values_list(*names)}
    assert rows[improved.pk] == [2, 15, 5]
    assert rows[untouched.pk] == [None, None, None]
