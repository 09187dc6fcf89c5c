"""The case page's implementation and follow-up section: latest notes, totals, follow-ups."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pcm.cases.models import CaseStatus
from pcm.casework import actions
from pcm.casework.case_page import CASE_SECTION
from pcm.casework.details import NoteDetails
from pcm.casework.models import ContactMode
from pcm.casework.tests.factories import make_follow_up, make_note, make_support


def case_page(client, case) -> str:
    response = client.get(reverse("cases:detail", args=[case.public_id]))
    assert response.status_code == 200
    text: str = response.content.decode()
    return text


def test_it_shows_the_latest_notes_next_follow_up_and_totals(personas, case, client_for):
    make_note(case, contact_at=timezone.now() - timedelta(days=5), narrative="Old visit")
    wrong = make_note(case, contact_at=timezone.now() - timedelta(days=1), narrative="Wrong text")
    details = NoteDetails(wrong.contact_at, ContactMode.PHONE, 10, "Right text")
    actions.do_correct_note(wrong, details, reason="Typo", acting_user=personas.caseworker)
    make_support(case, amount=Decimal("50"), currency="USD")
    make_follow_up(case, due_on=timezone.localdate() - timedelta(days=2), purpose="Late check")
    page = case_page(client_for(personas.caseworker), case)
    section = page.split('id="casework"', 1)[1]
    assert "Right text" in section
    assert "Wrong text" not in section
    assert "Old visit" in section
    assert "50 USD" in section
    assert "Late check" in section
    assert "Overdue" in section
    assert "Follow-ups</h3>" in section
    assert "Add a case note" in section
    assert "Start follow-up" in section


def test_the_manager_sees_the_section_without_buttons(personas, case, client_for):
    make_note(case, narrative="A contact")
    section = case_page(client_for(personas.manager), case).split('id="casework"', 1)[1]
    # The note is listed, its text hidden: a manager does not see narratives by default.
    assert "A contact" not in section
    assert "Free text hidden for your role" in section
    assert "Add a case note" not in section
    assert "Record direct support" not in section
    assert "Case-work history" in section


def test_the_supervisor_writes_but_does_not_move_the_case(personas, case, client_for):
    section = case_page(client_for(personas.supervisor), case).split('id="casework"', 1)[1]
    assert "Add a case note" in section
    assert "Schedule a follow-up" in section
    assert "Start follow-up" not in section


def test_a_case_in_follow_up_offers_the_way_back_to_implementation(personas, case, client_for):
    case.status = CaseStatus.FOLLOW_UP
    case.save()
    section = case_page(client_for(personas.caseworker), case).split('id="casework"', 1)[1]
    assert "Back to implementation" in section
    assert "Start follow-up" not in section


def test_a_closed_case_shows_its_history_but_takes_nothing_new(personas, case, client_for):
    make_note(case, narrative="Last contact")
    case.status = CaseStatus.CLOSED
    case.save()
    section = case_page(client_for(personas.caseworker), case).split('id="casework"', 1)[1]
    assert "Last contact" in section
    assert "Add a case note" not in section


def test_the_section_reads_three_queries_whatever_the_number_of_records(personas, case, case_for):
    request = RequestFactory().get("/")
    request.user = personas.caseworker
    small = case
    make_note(small)
    make_support(small)
    make_follow_up(small)
    large = case_for(personas.caseworker, status=CaseStatus.IMPLEMENTATION)
    for _ in range(20):
        make_note(large)
        make_support(large)
        make_follow_up(large)
    counts = []
    for each in (small, large):
        each.team  # noqa: B018 - loaded with the case by get_case_for on the real page
        with CaptureQueriesContext(connection) as queries:
            CASE_SECTION(request, each)
        counts.append(len(queries))
    assert counts == [3, 3]
