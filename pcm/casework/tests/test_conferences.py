"""Case conferences: participants, agencies, decisions, and actions that land in the plan."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from pcm.audit.models import AuditEvent
from pcm.casework import actions as casework_actions
from pcm.casework.models import CaseConference, CaseworkEvent, ConferenceAction
from pcm.casework.tests.conftest import OUTSIDERS, url
from pcm.core.errors import ActionRefused
from pcm.plans.models import PlanAction


def conference_form(personas, rows=3, **overrides):
    soon = timezone.localdate() + timedelta(days=7)
    data = {
        "held_on": timezone.localdate().isoformat(),
        "participants": "Layla Hassan (caseworker); clinic social worker",
        "agencies": [str(personas.other_agency.pk)],
        "other_agencies": "District health centre",
        "discussion": "Risks since the last visit.",
        "decisions": "Refer to legal aid; accompany to the shelter.",
        "actions-TOTAL_FORMS": str(rows),
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "20",
        "actions-0-description": "Accompany her to the shelter intake",
        "actions-0-owner": "caseworker",
        "actions-0-due_on": soon.isoformat(),
        "actions-1-description": "File the protection order",
        "actions-1-owner": "referral",
        "actions-1-due_on": (soon + timedelta(days=7)).isoformat(),
    }
    data.update(overrides)
    return data


def test_it_records_a_conference_and_adds_its_actions_to_the_plan(personas, case, client_for):
    response = client_for(personas.caseworker).post(
        url("conference_create", case), conference_form(personas)
    )
    assert response.status_code == 302
    conference = CaseConference.objects.get(case=case)
    assert list(conference.agencies.all()) == [personas.other_agency]
    assert conference.other_agencies == "District health centre"
    rows = list(conference.actions.order_by("due_on"))
    assert [row.owner for row in rows] == ["caseworker", "referral"]
    in_plan = PlanAction.objects.filter(case=case, source="conference").order_by("due_on")
    assert [action.description for action in in_plan] == [
        "Accompany her to the shelter intake",
        "File the protection order",
    ]
    assert {row.plan_action_key for row in rows} == {action.key for action in in_plan}
    event = AuditEvent.objects.get(event_type=CaseworkEvent.CONFERENCE_RECORDED)
    assert event.detail == {"case": case.pk, "actions": 2}


def test_it_shows_a_half_filled_action_row_as_a_mistake(personas, case, client_for):
    data = conference_form(personas, **{"actions-2-description": "Call the landlord"})
    response = client_for(personas.caseworker).post(url("conference_create", case), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_actions-2-owner_errors"' in page
    assert 'id="id_actions-2-due_on_errors"' in page
    assert not CaseConference.objects.exists()
    assert not PlanAction.objects.exists()


def test_it_asks_for_the_decisions(personas, case, client_for):
    data = conference_form(personas, decisions="")
    response = client_for(personas.caseworker).post(url("conference_create", case), data)
    assert response.status_code == 400
    assert 'id="id_decisions_errors"' in response.content.decode()


def test_it_adds_an_action_row_keeping_what_was_typed(personas, case, client_for):
    data = conference_form(personas, decisions="", add_row="1")
    response = client_for(personas.caseworker).post(url("conference_create", case), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="row g-2 border-bottom mb-2 conference-action-row"') == 4
    assert 'name="actions-TOTAL_FORMS" value="4"' in page
    assert "File the protection order" in page
    assert "District health centre" in page
    assert "_errors" not in page
    assert not CaseConference.objects.exists()
    # The rows carried over can still be left empty when the form is saved.
    data = conference_form(personas, rows=4)
    response = client_for(personas.caseworker).post(url("conference_create", case), data)
    assert response.status_code == 302
    assert ConferenceAction.objects.count() == 2


def test_it_saves_nothing_when_the_plan_refuses_an_action(personas, case, client_for, monkeypatch):
    def refuse(*args, **kwargs):
        raise ActionRefused("The plan cannot take actions now.")

    monkeypatch.setattr(casework_actions, "add_plan_action", refuse)
    response = client_for(personas.caseworker).post(
        url("conference_create", case), conference_form(personas)
    )
    assert response.status_code == 400
    assert "The plan cannot take actions now." in response.content.decode()
    assert not CaseConference.objects.exists()
    assert not ConferenceAction.objects.exists()


def test_it_refuses_a_conference_dated_in_the_future(personas, case, client_for):
    tomorrow = (timezone.localdate() + timedelta(days=2)).isoformat()
    data = conference_form(personas, held_on=tomorrow)
    response = client_for(personas.caseworker).post(url("conference_create", case), data)
    assert response.status_code == 400
    assert 'id="id_held_on_errors"' in response.content.decode()


def test_the_supervisor_records_and_the_manager_only_reads(personas, case, client_for):
    manager = client_for(personas.manager)
    assert manager.get(url("conference_create", case)).status_code == 403
    refused = manager.post(url("conference_create", case), conference_form(personas))
    assert refused.status_code == 403
    supervisor = client_for(personas.supervisor)
    response = supervisor.post(url("conference_create", case), conference_form(personas))
    assert response.status_code == 302
    assert CaseConference.objects.get().recorded_by == personas.supervisor


@pytest.mark.parametrize("role", OUTSIDERS)
def test_it_answers_404_to_anyone_outside_the_case(personas, case, client_for, role):
    client = client_for(getattr(personas, role))
    response = client.post(url("conference_create", case), conference_form(personas))
    assert response.status_code == 404
    assert not CaseConference.objects.exists()
