"""A service user's data access history (a data subject request) and a case's access history."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import transaction
from django.urls import reverse

from pcm.audit.actions import record_event
from pcm.audit.chain import verify_chain
from pcm.audit.models import AuditEvent, AuditEventType
from pcm.casework.models import CaseworkEvent
from tests.factories import CaseFactory

LOOKUP = reverse("audit:subject_lookup")


def _record(event_type, actor, target=None, **kwargs) -> AuditEvent:
    with transaction.atomic():
        return record_event(event_type, actor=actor, target=target, **kwargs)


@pytest.fixture
def subject(personas, case_for):
    """A service user with two cases, and someone else's case beside them."""
    first = case_for(personas.caseworker, number="APN-IQ-2026-00011")
    second = CaseFactory.create(
        assigned_to=personas.other_caseworker, person=first.person, number="APN-IQ-2026-00012"
    )
    other = case_for(personas.caseworker, number="APN-IQ-2026-00013")
    _record(AuditEventType.PERSON_REGISTERED, personas.caseworker, first.person, fields=["phone"])
    _record(AuditEventType.CASE_VIEWED, personas.manager, first)
    _record(
        CaseworkEvent.NOTE_WRITTEN,
        personas.caseworker,
        None,
        fields=["narrative", "mode"],
        detail={"case": first.pk},
    )
    _record(AuditEventType.CASE_VIEWED, personas.other_caseworker, second)
    _record(AuditEventType.CASE_VIEWED, personas.supervisor, other)
    return first, second, other


def _subject_url(case, name: str = "audit:subject") -> str:
    return reverse(name, kwargs={"public_id": case.public_id})


def test_the_auditor_finds_the_history_by_case_number(personas, subject, client_for):
    first, _second, _other = subject
    response = client_for(personas.auditor).get(LOOKUP, {"case": first.number.lower()})
    assert response.status_code == 302
    assert response["Location"] == _subject_url(first)
    assert first.person.given_name not in response["Location"]


@pytest.mark.parametrize("number", ["APN-IQ-2026-99999", "KLR-UA-2026-00003", ""])
def test_an_unknown_or_foreign_case_number_is_explained(personas, client_for, case_for, number):
    case_for(personas.outsider, number="KLR-UA-2026-00003")
    response = client_for(personas.auditor).get(LOOKUP, {"case": number})
    assert response.status_code == 200
    body = response.content.decode()
    expected = "No case of your agency has this number." if number else "This field is required."
    assert expected in body
    assert f'value="{number}"' in body


def test_the_history_covers_the_person_and_all_their_cases_and_nothing_else(
    personas, subject, client_for
):
    first, second, other = subject
    response = client_for(personas.auditor).get(_subject_url(second))
    assert response.status_code == 200
    rows = response.context["page"].rows
    shown = {(row.who, row.event, row.case_number) for row in rows}
    assert shown == {
        ("Layla Hassan", "Service user registered", ""),
        ("Nadia Rahman", "Case viewed", first.number),
        ("Layla Hassan", "Case note written", first.number),
        ("Karim Saleh", "Case viewed", second.number),
    }
    body = response.content.decode()
    assert first.number in body and second.number in body and other.number not in body
    assert first.person.given_name not in body and first.person.family_name not in body
    note = next(row for row in rows if row.event == "Case note written")
    assert note.role == "Caseworker"


def test_viewing_the_history_is_recorded(personas, subject, client_for):
    first, _second, _other = subject
    client_for(personas.auditor).get(_subject_url(first))
    event = AuditEvent.objects.get(event_type=AuditEventType.ACCESS_HISTORY_VIEWED)
    assert (event.actor, event.case_id, event.person_id) == (
        personas.auditor,
        first.pk,
        first.person_id,
    )
    # So the next history shows it: reading someone's history is a reading of their data.
    again = client_for(personas.administrator).get(_subject_url(first))
    assert ("Aisha Nouri", "Data access history viewed") in {
        (row.who, row.event) for row in again.context["page"].rows
    }


def test_the_history_downloads_as_csv_and_the_download_is_recorded(personas, subject, client_for):
    first, second, other = subject
    response = client_for(personas.administrator).get(_subject_url(first, "audit:subject_csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert first.number in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    content = response.content.decode()
    table = list(csv.reader(io.StringIO(content)))
    assert table[0] == ["When", "Who", "Role", "Event", "Case number", "Record", "Fields"]
    assert len(table) == 5
    assert ["Nadia Rahman", "Manager", "Case viewed", first.number] == table[2][1:5]
    assert first.person.given_name not in content and other.number not in content
    assert second.number in content
    export = AuditEvent.objects.get(event_type=AuditEventType.ACCESS_HISTORY_EXPORTED)
    assert export.actor == personas.administrator
    assert export.detail == {"rows": 4, "format": "csv"}
    assert export.case_id == first.pk
    assert verify_chain().ok


def test_csv_cells_cannot_run_as_formulas(personas, case_for, client_for):
    case = case_for(personas.caseworker)
    personas.caseworker.first_name = "=HYPERLINK(1)"
    personas.caseworker.save()
    _record(AuditEventType.CASE_VIEWED, personas.caseworker, case)
    content = client_for(personas.auditor).get(_subject_url(case, "audit:subject_csv"))
    assert "'=HYPERLINK(1)" in content.content.decode()


@pytest.mark.parametrize("name", ["audit:subject", "audit:subject_csv"])
def test_another_agencys_service_user_is_not_found(personas, case_for, client_for, name):
    foreign = case_for(personas.outsider)
    assert client_for(personas.auditor).get(_subject_url(foreign, name)).status_code == 404


@pytest.mark.parametrize("role", ["caseworker", "supervisor", "manager", "meal_officer"])
def test_only_auditors_and_administrators_answer_subject_requests(
    personas, subject, client_for, role
):
    first, _second, _other = subject
    client = client_for(personas.by_role()[role])
    assert client.get(LOOKUP).status_code == 403
    assert client.get(_subject_url(first)).status_code == 404
    assert client.get(_subject_url(first, "audit:subject_csv")).status_code == 404
    assert not AuditEvent.objects.filter(
        event_type__in=[
            AuditEventType.ACCESS_HISTORY_VIEWED,
            AuditEventType.ACCESS_HISTORY_EXPORTED,
        ]
    ).exists()


def _case_page(client, case) -> str:
    response = client.get(reverse("cases:detail", kwargs={"public_id": case.public_id}))
    assert response.status_code == 200
    return str(response.content.decode())


def _history(case) -> str:
    return reverse("audit:case_history", kwargs={"public_id": case.public_id})


def test_the_case_page_offers_its_access_history_to_the_teams_supervisor(
    personas, subject, client_for
):
    first, _second, _other = subject
    client = client_for(personas.supervisor)
    page = _case_page(client, first)
    assert 'id="case-access-history"' in page
    assert f'hx-get="{_history(first)}"' in page
    # The history loads into the section on demand.
    response = client.get(_history(first), headers={"HX-Request": "true"})
    assert response.status_code == 200
    part = response.content.decode()
    assert "<html" not in part
    assert "Nadia Rahman, Manager" in part
    assert "Case note written" in part and "narrative" in part.lower()
    assert "Omar Khalil, Supervisor" in part  # his reading of the case page
    assert first.person.given_name not in part
    read = AuditEvent.objects.filter(
        event_type=AuditEventType.ACCESS_HISTORY_VIEWED, actor=personas.supervisor
    ).get()
    assert read.case_id == first.pk and read.detail == {"scope": "case"}


def test_without_javascript_the_history_is_a_page_of_its_own(personas, subject, client_for):
    first, _second, _other = subject
    response = client_for(personas.supervisor).get(_history(first))
    body = response.content.decode()
    assert "<html" in body and first.number in body and "Nadia Rahman" in body


@pytest.mark.parametrize("role", ["caseworker", "manager"])
def test_others_who_see_the_case_do_not_see_its_access_history(personas, subject, client_for, role):
    first, _second, _other = subject
    client = client_for(personas.by_role()[role])
    assert 'id="case-access-history"' not in _case_page(client, first)
    assert client.get(_history(first)).status_code == 403


def test_another_teams_supervisor_does_not_find_the_case(personas, subject, client_for):
    first, _second, _other = subject
    assert client_for(personas.other_supervisor).get(_history(first)).status_code == 404


def test_the_case_history_is_paged(personas, case_for, client_for):
    case = case_for(personas.caseworker)
    for _ in range(60):
        _record(AuditEventType.CASE_VIEWED, personas.caseworker, case)
    client = client_for(personas.supervisor)
    first = client.get(_history(case), headers={"HX-Request": "true"})
    assert len(first.context["page"].rows) == 50
    older = f"{_history(case)}?{first.context['page'].older}"
    assert older in first.content.decode().replace("&amp;", "&")
    assert len(client.get(older).context["page"].rows) == 10
