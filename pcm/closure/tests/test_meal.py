"""Satisfaction at closure for MEAL: the share of surveys with overall satisfaction of 4 or 5."""

from __future__ import annotations

from datetime import date

from pcm.closure.meal import satisfaction_rate
from pcm.closure.models import SatisfactionSurvey, WouldRecommend


def survey(agency, month: date, overall: int) -> SatisfactionSurvey:
    return SatisfactionSurvey.objects.create(
        agency=agency,
        month=month,
        overall_satisfaction=overall,
        treated_with_respect=4,
        felt_safe=4,
        involved_in_decisions=4,
        situation_improved=4,
        would_recommend=WouldRecommend.YES,
    )


def test_it_is_the_share_of_satisfied_service_users(personas):
    for overall in (5, 4, 4, 2):
        survey(personas.agency, date(2026, 3, 1), overall)
    assert satisfaction_rate(personas.agency, date(2026, 3, 1), date(2026, 3, 31)) == 0.75


def test_it_counts_whole_months_of_the_period_and_one_agency(personas):
    survey(personas.agency, date(2026, 1, 1), 1)
    survey(personas.agency, date(2026, 2, 1), 5)
    survey(personas.agency, date(2026, 4, 1), 1)
    survey(personas.other_agency, date(2026, 2, 1), 1)
    assert satisfaction_rate(personas.agency, date(2026, 2, 15), date(2026, 3, 10)) == 1.0
    assert satisfaction_rate(personas.agency, date(2026, 1, 20), date(2026, 2, 1)) == 0.5


def test_it_is_none_without_surveys(personas):
    assert satisfaction_rate(personas.agency, date(2026, 1, 1), date(2026, 12, 31)) is None
