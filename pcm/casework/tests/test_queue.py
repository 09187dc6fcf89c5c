"""The queue: follow-ups still to do, due within a week, overdue ones marked, in one query."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from pcm.cases.models import Case, CaseStatus
from pcm.cases.queue import due_items
from pcm.casework.queue import follow_ups_due
from pcm.casework.tests.factories import make_follow_up


def test_it_lists_follow_ups_due_this_week_and_marks_the_late_ones(
    personas, case, case_for, django_assert_num_queries
):
    today = timezone.localdate()
    late = make_follow_up(case, due_on=today - timedelta(days=3), purpose="Late")
    soon = make_follow_up(case, due_on=today + timedelta(days=2), purpose="Soon")
    make_follow_up(case, due_on=today + timedelta(days=30), purpose="Next month")
    make_follow_up(case, due_on=today - timedelta(days=1), done_at=timezone.now(), outcome="x")
    closed = case_for(personas.caseworker, status=CaseStatus.CLOSED)
    make_follow_up(closed, due_on=today - timedelta(days=1))
    make_follow_up(case_for(personas.other_caseworker), due_on=today)
    now = timezone.now()
    cases = Case.objects.visible_to(personas.caseworker)
    with django_assert_num_queries(1):
        items = follow_ups_due(cases, now)
        for item in items:
            item.case.person.given_name  # noqa: B018 - loaded in the same query
    by_url = {item.url: item for item in items}
    assert len(items) == 2
    late_item = next(item for item in items if f"/{late.pk}/" in item.url)
    soon_item = next(item for item in items if f"/{soon.pk}/" in item.url)
    assert late_item.is_overdue(now)
    assert not soon_item.is_overdue(now)
    assert late_item.kind == "follow_up"
    assert len(by_url) == 2


def test_a_follow_up_is_late_only_once_its_day_has_passed(personas, case):
    agency_today = timezone.localdate(timezone=ZoneInfo(case.agency.time_zone))
    make_follow_up(case, due_on=agency_today)
    [item] = follow_ups_due(Case.objects.filter(pk=case.pk), timezone.now())
    assert not item.is_overdue(timezone.now())
    assert item.is_overdue(timezone.now() + timedelta(days=2))


def test_the_supervisors_queue_includes_the_teams_follow_ups(personas, case):
    make_follow_up(case, due_on=timezone.localdate() - timedelta(days=1))
    items = due_items(Case.objects.visible_to(personas.supervisor), timezone.now())
    assert [item.kind for item in items if item.kind == "follow_up"] == ["follow_up"]
    assert not [
        item
        for item in due_items(Case.objects.visible_to(personas.other_supervisor), timezone.now())
        if item.kind == "follow_up"
    ]
