"""Follow-ups: scheduled with a due date, purpose and mode, then recorded with the outcome."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from pcm.audit.models import AuditEvent
from pcm.cases.models import CaseStatus
from pcm.casework import actions
from pcm.casework.details import FollowUpDetails, FollowUpOutcome
from pcm.casework.models import CaseworkEvent, ContactMode, FollowUp
from pcm.casework.tests.conftest import OUTSIDERS, local_input, url
from pcm.casework.tests.factories import make_follow_up
from pcm.core.errors import ActionRefused, EditConflict


def schedule_form(**overrides):
    data = {
        "due_on": (timezone.localdate() + timedelta(days=5)).isoformat(),
        "purpose": "Check the legal aid appointment",
        "mode": ContactMode.PHONE,
    }
    data.update(overrides)
    return data


def record_form(case, follow_up, **overrides):
    data = {
        "done_at": local_input(case, timezone.now() - timedelta(hours=1)),
        "outcome": "The appointment took place; documents requested.",
        "next_due_on": "",
        "next_purpose": "",
        "next_mode": "",
        "version": str(follow_up.version),
    }
    data.update(overrides)
    return data


def test_it_schedules_a_follow_up(personas, case, client_for):
    client = client_for(personas.caseworker)
    response = client.post(url("follow_up_schedule", case), schedule_form())
    assert response.status_code == 302
    follow_up = FollowUp.objects.get(case=case)
    assert follow_up.due_on == timezone.localdate() + timedelta(days=5)
    assert follow_up.mode == ContactMode.PHONE
    assert not follow_up.is_done
    assert AuditEvent.objects.filter(event_type=CaseworkEvent.FOLLOW_UP_SCHEDULED).exists()


def test_it_refuses_a_due_date_in_the_past_next_to_the_field(personas, case, client_for):
    past = (timezone.localdate() - timedelta(days=2)).isoformat()
    response = client_for(personas.caseworker).post(
        url("follow_up_schedule", case), schedule_form(due_on=past)
    )
    assert response.status_code == 400
    assert 'id="id_due_on_errors"' in response.content.decode()
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize("step", [CaseStatus.INTAKE, CaseStatus.ASSESSMENT, CaseStatus.PLANNING])
def test_it_refuses_to_schedule_before_implementation(personas, case, step):
    case.status = step
    case.save()
    details = FollowUpDetails(timezone.localdate(), "Check", ContactMode.PHONE)
    with pytest.raises(ActionRefused, match="implementation and follow-up steps"):
        actions.do_schedule_follow_up(case, details, acting_user=personas.caseworker)


def test_it_records_a_follow_up_and_schedules_the_next(personas, case, client_for):
    follow_up = make_follow_up(case, mode=ContactMode.HOME_VISIT)
    next_day = timezone.localdate() + timedelta(days=14)
    response = client_for(personas.caseworker).post(
        url("follow_up_record", case, follow_up_id=follow_up.pk),
        record_form(case, follow_up, next_due_on=next_day.isoformat()),
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.is_done
    assert follow_up.recorded_by == personas.caseworker
    assert follow_up.version == 2
    following = follow_up.next_follow_up
    assert following is not None
    assert following.due_on == next_day
    assert following.purpose == follow_up.purpose
    assert following.mode == ContactMode.HOME_VISIT
    assert not following.is_done
    assert AuditEvent.objects.filter(event_type=CaseworkEvent.FOLLOW_UP_RECORDED).count() == 1


def test_it_refuses_a_next_follow_up_before_this_one(personas, case, client_for):
    follow_up = make_follow_up(case)
    before = (timezone.localdate() - timedelta(days=3)).isoformat()
    response = client_for(personas.caseworker).post(
        url("follow_up_record", case, follow_up_id=follow_up.pk),
        record_form(case, follow_up, next_due_on=before),
    )
    assert response.status_code == 400
    assert 'id="id_next_due_on_errors"' in response.content.decode()
    follow_up.refresh_from_db()
    assert not follow_up.is_done


def test_it_refuses_the_second_of_two_people_recording_the_same_follow_up(
    personas, case, client_for
):
    follow_up = make_follow_up(case)
    outcome = FollowUpOutcome(timezone.now(), "Done by the supervisor.")
    actions.do_record_follow_up(
        follow_up, outcome, expected_version=1, acting_user=personas.supervisor
    )
    response = client_for(personas.caseworker).post(
        url("follow_up_record", case, follow_up_id=follow_up.pk), record_form(case, follow_up)
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Omar Khalil recorded this follow-up as done" in page
    assert "Done by the supervisor." in page
    follow_up.refresh_from_db()
    assert follow_up.outcome == "Done by the supervisor."
    with pytest.raises(EditConflict):
        actions.do_record_follow_up(
            follow_up, outcome, expected_version=1, acting_user=personas.caseworker
        )


def test_it_asks_for_the_outcome(personas, case, client_for):
    follow_up = make_follow_up(case)
    response = client_for(personas.caseworker).post(
        url("follow_up_record", case, follow_up_id=follow_up.pk),
        record_form(case, follow_up, outcome=""),
    )
    assert response.status_code == 400
    assert 'id="id_outcome_errors"' in response.content.decode()


def test_it_lets_the_manager_read_but_not_record(personas, case, client_for):
    follow_up = make_follow_up(case)
    client = client_for(personas.manager)
    assert client.post(url("follow_up_schedule", case), schedule_form()).status_code == 403
    record = url("follow_up_record", case, follow_up_id=follow_up.pk)
    assert client.post(record, record_form(case, follow_up)).status_code == 403
    follow_up.refresh_from_db()
    assert not follow_up.is_done


@pytest.mark.parametrize("role", OUTSIDERS)
def test_it_answers_404_to_anyone_outside_the_case(personas, case, client_for, role):
    follow_up = make_follow_up(case)
    client = client_for(getattr(personas, role))
    assert client.post(url("follow_up_schedule", case), schedule_form()).status_code == 404
    record = url("follow_up_record", case, follow_up_id=follow_up.pk)
    assert client.post(record, record_form(case, follow_up)).status_code == 404
    assert FollowUp.objects.count() == 1
