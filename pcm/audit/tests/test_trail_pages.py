"""The trail pages: who sees which entries, the filters, paging, and that reading is recorded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pcm.access import policy
from pcm.audit.actions import record_event
from pcm.audit.chain import verify_chain
from pcm.audit.models import AuditEvent, AuditEventType
from pcm.audit.views import PAGE_SIZE
from pcm.plans.events import PlanEvent

TRAIL = reverse("audit:trail")


def _record(event_type, actor, target=None, **kwargs) -> AuditEvent:
    with transaction.atomic():
        return record_event(event_type, actor=actor, target=target, **kwargs)


@pytest.fixture
def trail(personas, case_for):
    """Entries of the personas' agency about two cases, and one of another agency."""
    mine = case_for(personas.caseworker, number="APN-IQ-2026-00001")
    theirs = case_for(personas.other_caseworker, number="APN-IQ-2026-00002")
    foreign = case_for(personas.outsider, number="KLR-UA-2026-00003")
    _record(AuditEventType.CASE_VIEWED, personas.caseworker, mine)
    _record(
        AuditEventType.RECORD_CHANGED,
        personas.caseworker,
        mine,
        fields=["risk_level", "status"],
    )
    _record(AuditEventType.CASE_VIEWED, personas.other_caseworker, theirs)
    _record(AuditEventType.CASE_VIEWED, personas.outsider, foreign)
    _record(AuditEventType.SIGN_IN, personas.manager, personas.manager)
    return mine, theirs, foreign


def _body(response) -> str:
    assert response.status_code == 200
    return str(response.content.decode())


def test_the_auditor_sees_the_agencys_whole_trail_and_nothing_of_other_agencies(
    personas, trail, client_for
):
    mine, theirs, foreign = trail
    body = _body(client_for(personas.auditor).get(TRAIL))
    assert mine.number in body and theirs.number in body
    assert foreign.number not in body
    assert "Layla Hassan" in body and "Karim Saleh" in body and "Nadia Rahman" in body
    assert "Olena" not in body
    assert "Case viewed" in body and "Signed in" in body
    # Changed fields by their names, never the service users' names.
    assert "risk level" in body.lower()
    for case in (mine, theirs):
        assert case.person.given_name not in body
        assert case.person.family_name not in body


def test_the_administrator_sees_the_agencys_trail_too(personas, trail, client_for):
    mine, theirs, foreign = trail
    body = _body(client_for(personas.administrator).get(TRAIL))
    assert mine.number in body and theirs.number in body and foreign.number not in body


def test_a_supervisor_sees_only_the_trail_of_their_teams_cases(personas, trail, client_for):
    mine, theirs, foreign = trail
    response = client_for(personas.supervisor).get(TRAIL)
    body = _body(response)
    assert mine.number in body
    assert theirs.number not in body and foreign.number not in body
    shown = {(row.who, row.event) for row in response.context["page"].rows}
    assert shown == {("Layla Hassan", "Case viewed"), ("Layla Hassan", "Record changed")}


@pytest.mark.parametrize("role", ["caseworker", "manager", "meal_officer", "provider_focal_point"])
def test_other_roles_are_refused_the_trail(personas, trail, client_for, role):
    user = personas.by_role()[role]
    assert client_for(user).get(TRAIL).status_code == 403


def test_the_filters_narrow_the_trail(personas, trail, client_for):
    mine, theirs, _foreign = trail
    client = client_for(personas.auditor)
    by_case = _body(client.get(TRAIL, {"case": mine.number.lower()}))
    assert mine.number in by_case and theirs.number not in by_case
    by_user = _body(client.get(TRAIL, {"user": personas.other_caseworker.pk}))
    assert theirs.number in by_user and mine.number not in by_user
    by_type = _body(client.get(TRAIL, {"event_type": AuditEventType.SIGN_IN}))
    assert "Nadia Rahman" in by_type and mine.number not in by_type
    today = timezone.localdate()
    in_range = _body(client.get(TRAIL, {"date_from": today - dt.timedelta(days=1)}))
    assert mine.number in in_range
    past = _body(client.get(TRAIL, {"date_from": "2020-01-01", "date_to": "2020-01-31"}))
    assert mine.number not in past and "No entries match." in past


def test_the_date_range_follows_the_users_time_zone(personas, client_for):
    """An entry at 23:30 in Baghdad (20:30 UTC) belongs to that Baghdad day."""
    event = _record(AuditEventType.SIGN_IN, personas.caseworker, personas.caseworker)
    baghdad = dt.timezone(dt.timedelta(hours=3))
    day = event.at.astimezone(baghdad).date()
    body = _body(client_for(personas.auditor).get(TRAIL, {"date_from": day, "date_to": day}))
    assert "Layla Hassan" in body


def test_bad_filters_are_explained_and_the_good_ones_still_apply(personas, trail, client_for):
    mine, theirs, _foreign = trail
    client = client_for(personas.auditor)
    body = _body(client.get(TRAIL, {"date_from": "not a date", "case": mine.number}))
    assert "Enter a valid date." in body
    assert mine.number in body and theirs.number not in body
    assert 'value="not a date"' in body  # the input is kept
    backwards = _body(client.get(TRAIL, {"date_from": "2026-02-01", "date_to": "2026-01-01"}))
    assert "The end date is before the start date." in backwards
    unknown_user = _body(client.get(TRAIL, {"user": personas.outsider.pk}))
    assert "Select a valid choice" in unknown_user


def test_the_trail_is_paged_newest_first(personas, client_for, case_for):
    case = case_for(personas.caseworker)
    for _ in range(PAGE_SIZE + 7):
        _record(AuditEventType.CASE_VIEWED, personas.caseworker, case)
    client = client_for(personas.auditor)
    first = client.get(TRAIL, {"user": personas.caseworker.pk})
    rows = first.context["page"].rows
    assert len(rows) == PAGE_SIZE
    assert [r.sequence for r in rows] == sorted((r.sequence for r in rows), reverse=True)
    assert first.context["page"].newer == ""
    older = client.get(f"{TRAIL}?{first.context['page'].older}")
    assert len(older.context["page"].rows) == 7
    assert older.context["page"].older == ""
    assert f"user={personas.caseworker.pk}" in first.context["page"].older  # filters kept
    newer = client.get(f"{TRAIL}?{older.context['page'].newer}")
    assert [r.sequence for r in newer.context["page"].rows] == [r.sequence for r in rows]


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


def test_a_page_of_the_trail_costs_the_same_queries_whatever_its_length(
    personas, client_for, case_for
):
    case = case_for(personas.caseworker)
    client = client_for(personas.auditor)
    _record(AuditEventType.CASE_VIEWED, personas.caseworker, case)
    _record(AuditEventType.SIGN_IN, personas.caseworker, personas.caseworker)
    client.get(TRAIL)  # the first request of a session does more (session, keyring)
    few = _queries(client, TRAIL)
    users = [personas.caseworker, personas.supervisor, personas.manager, personas.other_caseworker]
    for index in range(40):
        user = users[index % len(users)]
        _record(AuditEventType.CASE_VIEWED, user, case_for(personas.caseworker))
        _record(AuditEventType.SIGN_IN, user, user)
    assert _queries(client, TRAIL) == few
    assert few <= 20, few


def test_reading_the_trail_is_recorded_with_its_filters(personas, trail, client_for):
    mine, _theirs, _foreign = trail
    client_for(personas.auditor).get(
        TRAIL,
        {"case": mine.number, "event_type": "case_viewed", "user": personas.caseworker.pk},
    )
    event = AuditEvent.objects.get(event_type=AuditEventType.AUDIT_TRAIL_VIEWED)
    assert event.actor == personas.auditor
    assert event.detail == {
        "case": mine.pk,
        "event_type": "case_viewed",
        "user": personas.caseworker.pk,
    }
    assert event.case_id == mine.pk  # so it shows in the case's own access history
    assert verify_chain().ok


def test_another_agencys_case_number_finds_nothing_and_is_not_linked(personas, trail, client_for):
    _mine, _theirs, foreign = trail
    body = _body(client_for(personas.auditor).get(TRAIL, {"case": foreign.number.lower()}))
    assert foreign.number not in body
    event = AuditEvent.objects.get(event_type=AuditEventType.AUDIT_TRAIL_VIEWED)
    # The reading is not tied to the other agency's case (it would show in its history).
    assert "case" not in event.detail
    assert event.case_id is None


def test_labels_of_every_apps_events_are_shown(personas, client_for, case_for):
    case = case_for(personas.caseworker)
    _record(PlanEvent.VIEWED, personas.caseworker, case)
    body = _body(client_for(personas.auditor).get(TRAIL))
    assert "Plan viewed" in body
    assert "plan_viewed" in body  # the filter's option value, not the row
    assert ">plan_viewed<" not in body


def test_the_menu_offers_the_trail_to_those_who_see_it(personas, client_for):
    home = reverse("accounts:security")
    auditor = client_for(personas.auditor).get(home).content.decode()
    assert TRAIL in auditor and reverse("audit:subject_lookup") in auditor
    supervisor = client_for(personas.supervisor).get(home).content.decode()
    assert TRAIL in supervisor and reverse("audit:subject_lookup") not in supervisor
    caseworker = client_for(personas.caseworker).get(home).content.decode()
    assert TRAIL not in caseworker


def test_the_auditor_sees_no_case(personas, case_for, client_for):
    case = case_for(personas.caseworker)
    assert not policy.cases_visible_to(personas.auditor).exists()
    assert not policy.people_visible_to(personas.auditor).exists()
    client = client_for(personas.auditor)
    url = reverse("cases:detail", kwargs={"public_id": case.public_id})
    assert client.get(url).status_code == 404
    assert client.get(reverse("cases:list")).status_code in (302, 403, 404)
