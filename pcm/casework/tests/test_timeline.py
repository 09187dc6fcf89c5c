"""The case-work history: every record of the case, newest first, in a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pcm.audit.models import AuditEvent
from pcm.casework.models import CaseworkEvent
from pcm.casework.tests.conftest import OUTSIDERS, url
from pcm.casework.tests.factories import (
    make_conference,
    make_follow_up,
    make_note,
    make_step_change,
    make_support,
)
from pcm.casework.timeline import ENTRIES_PER_PAGE, timeline_page


def fill(case, each: int, agency) -> None:
    now = timezone.now()
    for index in range(each):
        make_note(case, contact_at=now - timedelta(days=index, hours=1), narrative=f"Note {index}")
        make_support(case, given_on=timezone.localdate() - timedelta(days=index))
        conference = make_conference(case, held_on=timezone.localdate() - timedelta(days=index))
        conference.agencies.add(agency)
        conference.actions.create(
            description="Call the landlord", owner="caseworker", due_on=timezone.localdate()
        )
        done = now - timedelta(days=index, hours=2)
        make_follow_up(case, due_on=done.date(), done_at=done, outcome="Stable.")
        make_step_change(case, reason=f"Reason {index}", changed_at=now - timedelta(days=index))


def test_it_lists_every_kind_of_record_newest_first(personas, case, client_for):
    now = timezone.now()
    make_note(case, contact_at=now - timedelta(days=3), narrative="Oldest note")
    make_support(case, given_on=timezone.localdate() - timedelta(days=2), purpose="Rent support")
    make_conference(case, held_on=timezone.localdate() - timedelta(days=1), decisions="Refer on")
    make_note(case, contact_at=now - timedelta(hours=1), narrative="Newest note")
    make_follow_up(case, due_on=timezone.localdate() + timedelta(days=5), purpose="Check in")
    page = client_for(personas.caseworker).get(url("timeline", case)).content.decode()
    order = [page.index(text) for text in ("Check in", "Newest note", "Refer on", "Rent support")]
    assert order == sorted(order)
    assert page.index("Rent support") < page.index("Oldest note")


def test_it_pages_the_history(personas, case):
    fill(case, 10, personas.agency)
    first, entries = timeline_page(case, 1)
    assert first.paginator.count == 50
    assert len(entries) == ENTRIES_PER_PAGE
    last, rest = timeline_page(case, 3)
    assert not last.has_next()
    assert len(rest) == 10
    seen = {(entry.kind, entry.record.pk) for entry in entries + timeline_page(case, 2)[1] + rest}
    assert len(seen) == 50


def count_queries(client, case) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("timeline", case))
    assert response.status_code == 200
    return len(queries)


def test_it_reads_a_page_in_the_same_number_of_queries_whatever_the_history(
    personas, case, case_for, client_for
):
    client = client_for(personas.caseworker)
    client.get(url("timeline", case))  # the first request of a session reads more
    small = case
    fill(small, 1, personas.agency)
    few = count_queries(client, small)
    large = case_for(personas.caseworker)
    fill(large, 30, personas.agency)
    many = count_queries(client, large)
    assert few == many, "every kind is on both first pages: the count must not grow"
    # sign-in 5, case 1, index 2, records 5 + 2 prefetched, audit 3 (chain head, entry, head
    # hash), open duplicate flags for the menu 1
    assert many <= 19


def test_the_manager_reads_the_history_and_the_read_is_recorded(personas, case, client_for):
    make_note(case, narrative="A visit.")
    response = client_for(personas.manager).get(url("timeline", case))
    page = response.content.decode()
    assert "A visit." not in page  # a manager does not see narratives by default
    assert "Free text hidden for your role" in page
    assert "Correct this note" not in page
    assert AuditEvent.objects.filter(
        event_type=CaseworkEvent.TIMELINE_VIEWED, actor=personas.manager, target_id=str(case.pk)
    ).exists()


@pytest.mark.parametrize("role", OUTSIDERS)
def test_it_answers_404_to_anyone_outside_the_case(personas, case, client_for, role):
    make_note(case, narrative="Private narrative")
    response = client_for(getattr(personas, role)).get(url("timeline", case))
    assert response.status_code == 404
    assert "Private narrative" not in response.content.decode()
