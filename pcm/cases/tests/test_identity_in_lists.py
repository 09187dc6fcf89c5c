"""Hiding a sensitive case's identity in lists: set by its supervisor or a manager, audited,
and then every list shows only the number, to everyone; search by name no longer finds it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pcm.audit.models import AuditEvent
from pcm.cases.events import IdentityEvent
from pcm.cases.identity import do_set_identity_hidden
from pcm.cases.models import Case
from pcm.cases.search import search_cases
from pcm.core.errors import ActionRefused

LIST = reverse("cases:list")


def toggle_url(case):
    return reverse("cases:identity_in_lists", args=[case.public_id])


def detail(case):
    return reverse("cases:detail", args=[case.public_id])


@pytest.fixture
def case(personas, case_for):
    # Due soon, so it is on the caseworker's today page and the supervisor's lists.
    return case_for(personas.caseworker, first_response_due_at=timezone.now() + timedelta(hours=2))


def test_the_supervisor_hides_the_identity_and_it_is_audited(personas, case, client_for):
    response = client_for(personas.supervisor).post(
        toggle_url(case), {"hidden": "1", "reason": "sought"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.identity_hidden
    event = AuditEvent.objects.get(event_type=IdentityEvent.HIDDEN_IN_LISTS)
    assert event.actor == personas.supervisor
    assert event.detail == {"case": case.pk, "reason": "sought"}
    assert event.fields == ["identity_hidden"]
    client_for(personas.manager).post(toggle_url(case), {"hidden": "0"})
    case.refresh_from_db()
    assert not case.identity_hidden
    assert AuditEvent.objects.filter(event_type=IdentityEvent.SHOWN_IN_LISTS).count() == 1


def test_every_list_then_shows_only_the_number_even_to_the_caseworker(personas, case, client_for):
    do_set_identity_hidden(case, hidden=True, acting_user=personas.supervisor)
    name = case.person.full_name
    lists = [
        (personas.caseworker, LIST),
        (personas.caseworker, reverse("supervision:today")),
        (personas.supervisor, LIST),
        (personas.manager, LIST),
    ]
    for user, url in lists:
        page = client_for(user).get(url).content.decode()
        assert case.number in page, url
        assert "Identity protected" in page, url
        assert case.person.given_name not in page and name not in page, url
    # The case page itself still shows who it is to those whose role sees it.
    page = client_for(personas.caseworker).get(detail(case)).content.decode()
    assert name in page
    assert "Identity hidden in lists" in page
    assert name not in client_for(personas.manager).get(detail(case)).content.decode()


def test_search_by_name_no_longer_finds_it_but_the_number_does(personas, case, client_for):
    other = Case.objects.create(
        agency=case.agency,
        number="APN-IQ-2026-77777",
        person=case.person,
        risk_level=case.risk_level,
        team=case.team,
        assigned_to=personas.caseworker,
        opened_by=personas.caseworker,
    )
    do_set_identity_hidden(case, hidden=True, acting_user=personas.supervisor)
    found = set(search_cases(personas.caseworker, case.person.given_name))
    assert found == {other}
    assert set(search_cases(personas.caseworker, case.number)) == {case}
    page = client_for(personas.caseworker).post(LIST, {"q": case.person.given_name})
    assert case.number not in page.content.decode()


def test_only_the_cases_supervisor_or_a_manager_may_hide_it(personas, case, client_for):
    assert (
        client_for(personas.caseworker).post(toggle_url(case), {"hidden": "1"}).status_code == 403
    )
    assert (
        client_for(personas.other_supervisor).post(toggle_url(case), {"hidden": "1"}).status_code
        == 404
    )
    with pytest.raises(ActionRefused):
        do_set_identity_hidden(case, hidden=True, acting_user=personas.caseworker)
    with pytest.raises(ActionRefused):
        do_set_identity_hidden(case, hidden=True, acting_user=personas.outsider_manager)
    case.refresh_from_db()
    assert not case.identity_hidden
    page = client_for(personas.caseworker).get(detail(case)).content.decode()
    assert 'id="identity-in-lists"' not in page
    page = client_for(personas.supervisor).get(detail(case)).content.decode()
    assert 'id="identity-in-lists"' in page


def test_hiding_twice_or_with_an_unknown_reason_says_so(personas, case, client_for):
    client = client_for(personas.supervisor)
    client.post(toggle_url(case), {"hidden": "1"})
    response = client.post(toggle_url(case), {"hidden": "1"}, follow=True)
    assert "already hidden in lists" in response.content.decode()
    response = client.post(toggle_url(case), {"hidden": "0", "reason": "gossip"}, follow=True)
    assert "Nothing was changed" in response.content.decode()
    case.refresh_from_db()
    assert case.identity_hidden
    assert AuditEvent.objects.filter(event_type=IdentityEvent.HIDDEN_IN_LISTS).count() == 1


def test_the_search_before_registering_does_not_tie_the_name_to_the_case(
    personas, case, client_for
):
    do_set_identity_hidden(case, hidden=True, acting_user=personas.supervisor)
    response = client_for(personas.caseworker).post(
        reverse("cases:register"), {"step": "search", "search-name": case.person.given_name}
    )
    assert response.status_code == 200
    assert case.number not in response.content.decode()
