"""Supervision sessions: recorded by the supervisor, seen by the caseworker, about staff only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pcm.audit.models import AuditEvent
from pcm.cases.models import CaseStatus
from pcm.core.errors import ActionRefused, EditConflict
from pcm.supervision import actions
from pcm.supervision.models import AgreedAction, SessionType, SupervisionEvent, SupervisionSession


def new_url(caseworker) -> str:
    return reverse("supervision:record_session", args=[caseworker.pk])


def list_url(caseworker) -> str:
    return reverse("supervision:caseworker_sessions", args=[caseworker.pk])


MY_SESSIONS = reverse("supervision:my_sessions")


def form_data(**fields: object) -> dict[str, object]:
    data: dict[str, object] = {
        "held_on": timezone.localdate().isoformat(),
        "session_type": "individual",
        "wellbeing_note": "Feels stretched by the field visits; sleeps badly.",
        "actions-TOTAL_FORMS": "3",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "3",
    }
    data.update(fields)
    return data


def record(personas, **overrides) -> SupervisionSession:
    details = actions.SessionDetails(
        held_on=overrides.pop("held_on", timezone.localdate()),
        session_type=SessionType.INDIVIDUAL,
        **overrides,
    )
    return actions.do_record_supervision_session(
        personas.caseworker, details, acting_user=personas.supervisor
    )


def test_it_records_a_session_with_cases_and_agreed_actions(personas, case_for, client_for):
    case = case_for(personas.caseworker)
    due = timezone.localdate() + timedelta(days=14)
    response = client_for(personas.supervisor).post(
        new_url(personas.caseworker),
        form_data(
            cases_discussed=[case.pk],
            **{
                "actions-0-description": "Take the two days of leave owed",
                "actions-0-due_on": due.isoformat(),
                "actions-1-description": "Join the peer support group",
            },
        ),
    )
    assert response.status_code == 302
    session = SupervisionSession.objects.get()
    assert session.caseworker == personas.caseworker and session.supervisor == personas.supervisor
    assert session.team == personas.team
    assert list(session.cases_discussed.all()) == [case]
    assert list(session.actions.order_by("id").values_list("description", "due_on")) == [
        ("Take the two days of leave owed", due),
        ("Join the peer support group", None),
    ]
    event = AuditEvent.objects.get(event_type=SupervisionEvent.SESSION_RECORDED)
    assert event.detail == {"caseworker": personas.caseworker.pk, "cases": [case.pk], "actions": 2}


def test_cases_are_offered_by_number_only_and_only_the_caseworkers_open_ones(
    personas, case_for, client_for, teammate
):
    open_case = case_for(personas.caseworker)
    closed = case_for(personas.caseworker, status=CaseStatus.CLOSED)
    teammates = case_for(teammate)
    page = client_for(personas.supervisor).get(new_url(personas.caseworker)).content.decode()
    assert open_case.number in page
    assert open_case.person.given_name not in page
    assert closed.number not in page and teammates.number not in page
    response = client_for(personas.supervisor).post(
        new_url(personas.caseworker), form_data(cases_discussed=[teammates.pk])
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not SupervisionSession.objects.exists()


def test_the_action_refuses_a_case_the_caseworker_does_not_hold(personas, case_for, teammate):
    with pytest.raises(ActionRefused):
        record(personas, cases_discussed=[case_for(teammate)])


def test_it_refuses_a_service_users_name_in_the_notes(personas, case_for, client_for):
    case = case_for(personas.caseworker)
    case.person.given_name, case.person.family_name = "Zainab", "Al-Tamimi"
    case.person.save()
    client = client_for(personas.supervisor)
    response = client.post(
        new_url(personas.caseworker),
        form_data(wellbeing_note="Upset after the visit to zainab  al-tamimi."),
    )
    assert "Remove the service user" in response.content.decode()
    response = client.post(
        new_url(personas.caseworker),
        form_data(**{"actions-0-description": "Call Zainab Al-Tamimi back"}),
    )
    assert "Remove the service user" in response.content.decode()
    assert not SupervisionSession.objects.exists()


def test_bad_input_shows_errors_and_saves_nothing(personas, client_for):
    response = client_for(personas.supervisor).post(
        new_url(personas.caseworker),
        form_data(
            held_on=(timezone.localdate() + timedelta(days=2)).isoformat(),
            session_type="weekly",
            **{"actions-0-due_on": "2026-13-45", "actions-1-due_on": "2026-05-01"},
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "The session cannot be in the future." in page
    assert "Select a valid choice" in page
    assert "Enter a valid date." in page
    assert "Say what was agreed, or leave its date empty." in page
    assert not SupervisionSession.objects.exists()


def test_a_broken_formset_is_an_error_not_a_crash(personas, client_for):
    data = form_data()
    del data["actions-TOTAL_FORMS"]
    response = client_for(personas.supervisor).post(new_url(personas.caseworker), data)
    assert response.status_code == 200
    assert not SupervisionSession.objects.exists()


def test_a_future_session_is_refused_by_the_action(personas):
    with pytest.raises(ActionRefused):
        record(personas, held_on=timezone.localdate() + timedelta(days=3))


@pytest.mark.parametrize(
    "who", ["other_supervisor", "caseworker", "manager", "outsider_supervisor"]
)
def test_only_the_caseworkers_supervisor_records_a_session(personas, who):
    details = actions.SessionDetails(held_on=timezone.localdate(), session_type=SessionType.GROUP)
    with pytest.raises(ActionRefused):
        actions.do_record_supervision_session(
            personas.caseworker, details, acting_user=getattr(personas, who)
        )


def test_other_supervisors_get_404(personas, client_for):
    for who in ("other_supervisor", "outsider_supervisor"):
        client = client_for(getattr(personas, who))
        assert client.get(new_url(personas.caseworker)).status_code == 404
        assert client.post(new_url(personas.caseworker), form_data()).status_code == 404
        assert client.get(list_url(personas.caseworker)).status_code == 404
    for who in ("caseworker", "manager", "meal_officer", "administrator"):
        client = client_for(getattr(personas, who))
        assert client.get(list_url(personas.caseworker)).status_code == 404


def test_the_caseworker_sees_their_own_sessions_only(personas, case_for, client_for, teammate):
    case = case_for(personas.caseworker)
    record(personas, cases_discussed=[case], wellbeing_note="Rested after leave.")
    actions.do_record_supervision_session(
        teammate,
        actions.SessionDetails(
            held_on=timezone.localdate(),
            session_type=SessionType.GROUP,
            wellbeing_note="Worried about the move.",
        ),
        acting_user=personas.supervisor,
    )
    page = client_for(personas.caseworker).get(MY_SESSIONS).content.decode()
    assert "Rested after leave." in page and case.number in page
    assert "Worried about the move." not in page
    page = client_for(teammate).get(MY_SESSIONS).content.decode()
    assert "Worried about the move." in page and "Rested after leave." not in page


def test_the_team_page_lists_sessions_per_caseworker(personas, client_for):
    record(personas, held_on=timezone.localdate() - timedelta(days=10))
    record(personas, held_on=timezone.localdate() - timedelta(days=3))
    page = client_for(personas.supervisor).get(reverse("supervision:team")).content.decode()
    assert "(2 sessions)" in page
    assert list_url(personas.caseworker) in page and new_url(personas.caseworker) in page


def test_agreed_actions_are_marked_done_and_show_on_the_today_page(personas, client_for):
    session = record(
        personas,
        actions=[actions.ActionDetails("Book the stress-management training")],
    )
    action = session.actions.get()
    client = client_for(personas.caseworker)
    today = client.get(reverse("supervision:today")).content.decode()
    assert "Book the stress-management training" in today
    response = client.post(reverse("supervision:agreed_action_done", args=[action.pk]))
    assert response.status_code == 302 and response.url == MY_SESSIONS
    action.refresh_from_db()
    assert action.done_by == personas.caseworker
    today = client.get(reverse("supervision:today")).content.decode()
    assert "Book the stress-management training" not in today
    with pytest.raises(EditConflict):
        actions.do_mark_agreed_action_done(action, acting_user=personas.supervisor)


def test_others_cannot_mark_an_agreed_action_done(personas, client_for, teammate):
    action = record(personas, actions=[actions.ActionDetails("Rest")]).actions.get()
    url = reverse("supervision:agreed_action_done", args=[action.pk])
    for user in (teammate, personas.other_supervisor, personas.manager, personas.outsider):
        assert client_for(user).post(url).status_code == 404
    assert not AgreedAction.objects.filter(done_at__isnull=False).exists()
    with pytest.raises(ActionRefused):
        actions.do_mark_agreed_action_done(action, acting_user=teammate)


def test_the_session_list_issues_a_constant_number_of_queries(personas, case_for, client_for):
    cases = [case_for(personas.caseworker) for _ in range(4)]
    client = client_for(personas.supervisor)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(list_url(personas.caseworker)).status_code == 200
        return len(captured)

    record(personas, cases_discussed=cases[:1], actions=[actions.ActionDetails("A")])
    client.get(list_url(personas.caseworker))
    few = count()
    for _ in range(10):
        record(personas, cases_discussed=cases, actions=[actions.ActionDetails("B")] * 3)
    assert count() == few
