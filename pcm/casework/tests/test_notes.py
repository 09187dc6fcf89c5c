"""Case notes: the caseworker records each contact; the first one is the first response."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from pcm.audit.models import AuditEvent
from pcm.cases.models import CaseStatus
from pcm.casework import actions
from pcm.casework.details import NoteDetails
from pcm.casework.models import CaseNote, CaseworkEvent, ContactMode
from pcm.casework.tests.conftest import OUTSIDERS, local_input, url
from pcm.casework.tests.factories import make_note
from pcm.core.errors import ActionRefused, EditConflict


def note_form(case, when, **overrides):
    data = {
        "contact_at": local_input(case, when),
        "mode": ContactMode.HOME_VISIT,
        "place": "Relative's home",
        "duration_minutes": "45",
        "narrative": "Discussed the safety plan; she will stay with her sister.",
    }
    data.update(overrides)
    return data


def test_it_saves_a_note_and_records_the_first_response(personas, case, client_for):
    when = (timezone.now() - timedelta(days=2)).replace(second=0, microsecond=0)
    response = client_for(personas.caseworker).post(url("note_create", case), note_form(case, when))
    assert response.status_code == 302
    note = CaseNote.objects.get(case=case)
    assert note.contact_at == when
    assert note.mode == ContactMode.HOME_VISIT
    assert note.duration_minutes == 45
    assert note.written_by == personas.caseworker
    case.refresh_from_db()
    assert case.first_response_at == when
    event = AuditEvent.objects.get(event_type=CaseworkEvent.NOTE_WRITTEN)
    assert event.detail == {"case": case.pk, "first_response": True}
    assert "safety plan" not in str(event.detail)


def test_it_keeps_the_first_response_of_the_first_note(personas, case):
    first = timezone.now() - timedelta(days=3)
    details = NoteDetails(first, ContactMode.PHONE, 10, "First call.")
    actions.do_write_note(case, details, acting_user=personas.caseworker)
    later = NoteDetails(timezone.now() - timedelta(days=1), ContactMode.PHONE, 10, "Second.")
    actions.do_write_note(case, later, acting_user=personas.caseworker)
    case.refresh_from_db()
    assert case.first_response_at == first


def test_it_lets_the_teams_supervisor_write_a_note(personas, case, client_for):
    when = timezone.now() - timedelta(hours=2)
    response = client_for(personas.supervisor).post(url("note_create", case), note_form(case, when))
    assert response.status_code == 302
    assert CaseNote.objects.get(case=case).written_by == personas.supervisor


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"duration_minutes": "0"}, "duration_minutes", "greater than or equal to 1"),
        ({"duration_minutes": "2000"}, "duration_minutes", "from 1 to 1440"),
        ({"narrative": ""}, "narrative", "This field is required"),
        ({"mode": "carrier pigeon"}, "mode", "Select a valid choice"),
        ({"contact_at": "yesterday"}, "contact_at", "Enter a valid date/time"),
    ],
)
def test_it_shows_each_mistake_next_to_its_field(
    personas, case, client_for, overrides, field, message
):
    when = timezone.now() - timedelta(hours=2)
    response = client_for(personas.caseworker).post(
        url("note_create", case), note_form(case, when, **overrides)
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_{field}_errors"' in page
    assert message in page
    assert not CaseNote.objects.exists()


def test_it_refuses_a_contact_in_the_future(personas, case, client_for):
    when = timezone.now() + timedelta(days=1)
    response = client_for(personas.caseworker).post(url("note_create", case), note_form(case, when))
    assert response.status_code == 400
    assert "cannot be in the future" in response.content.decode()


def test_it_refuses_a_contact_before_the_case_was_opened(personas, case, client_for):
    when = case.opened_at - timedelta(days=3)
    response = client_for(personas.caseworker).post(url("note_create", case), note_form(case, when))
    assert response.status_code == 400
    assert "before the day the case was opened" in response.content.decode()


def test_it_lets_the_manager_read_but_not_write(personas, case, client_for):
    client = client_for(personas.manager)
    assert client.get(url("note_create", case)).status_code == 403
    when = timezone.now() - timedelta(hours=2)
    assert client.post(url("note_create", case), note_form(case, when)).status_code == 403
    with pytest.raises(ActionRefused):
        actions.do_write_note(
            case,
            NoteDetails(when, ContactMode.PHONE, 10, "Note."),
            acting_user=personas.manager,
        )
    assert not CaseNote.objects.exists()


@pytest.mark.parametrize("role", OUTSIDERS)
def test_it_answers_404_to_anyone_outside_the_case(personas, case, client_for, role):
    client = client_for(getattr(personas, role))
    when = timezone.now() - timedelta(hours=2)
    assert client.get(url("note_create", case)).status_code == 404
    assert client.post(url("note_create", case), note_form(case, when)).status_code == 404
    note = make_note(case)
    assert client.get(url("note_correct", case, note_id=note.pk)).status_code == 404


def test_it_refuses_notes_on_a_closed_case(personas, case):
    case.status = CaseStatus.CLOSED
    case.save()
    with pytest.raises(ActionRefused, match="closed"):
        actions.do_write_note(
            case,
            NoteDetails(timezone.now(), ContactMode.PHONE, 10, "Note."),
            acting_user=personas.caseworker,
        )


def test_it_corrects_a_note_with_a_new_one_and_keeps_the_original(personas, case, client_for):
    original = make_note(case, narrative="Met at the clinic on Monday.")
    when = original.contact_at
    response = client_for(personas.caseworker).post(
        url("note_correct", case, note_id=original.pk),
        note_form(
            case,
            when,
            narrative="Met at the clinic on Tuesday.",
            correction_reason="Wrong day",
        ),
    )
    assert response.status_code == 302
    correction = CaseNote.objects.get(corrects=original)
    assert correction.narrative == "Met at the clinic on Tuesday."
    assert correction.correction_reason == "Wrong day"
    original.refresh_from_db()
    assert original.narrative == "Met at the clinic on Monday."
    history = client_for(personas.caseworker).get(url("timeline", case)).content.decode()
    assert "Met at the clinic on Monday." in history
    assert "Met at the clinic on Tuesday." in history
    assert "Wrong day" in history
    assert AuditEvent.objects.filter(
        event_type=CaseworkEvent.NOTE_CORRECTED, detail__corrects=original.pk
    ).exists()


def test_it_asks_why_a_note_is_corrected(personas, case, client_for):
    original = make_note(case)
    response = client_for(personas.caseworker).post(
        url("note_correct", case, note_id=original.pk),
        note_form(case, original.contact_at),
    )
    assert response.status_code == 400
    assert 'id="id_correction_reason_errors"' in response.content.decode()
    assert CaseNote.objects.count() == 1


def test_it_refuses_a_second_correction_of_the_same_note(personas, case, client_for):
    """Two people correcting the same note: the second is told to correct the latest version."""
    original = make_note(case)
    details = NoteDetails(original.contact_at, ContactMode.PHONE, 15, "First correction.")
    actions.do_correct_note(original, details, reason="Typo", acting_user=personas.supervisor)
    response = client_for(personas.caseworker).post(
        url("note_correct", case, note_id=original.pk),
        note_form(case, original.contact_at, correction_reason="Other typo"),
    )
    assert response.status_code == 409
    assert "already been corrected" in response.content.decode()
    assert CaseNote.objects.count() == 2
    with pytest.raises(EditConflict):
        actions.do_correct_note(original, details, reason="Again", acting_user=personas.caseworker)


def test_it_does_not_reach_a_note_of_another_case_through_this_cases_address(
    personas, case, case_for, client_for
):
    elsewhere = make_note(case_for(personas.other_caseworker))
    response = client_for(personas.caseworker).get(url("note_correct", case, note_id=elsewhere.pk))
    assert response.status_code == 404


def test_a_contact_just_before_registration_answers_at_the_opening_time(personas, case):
    yesterday_noon = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0)
    case.opened_at = yesterday_noon - timedelta(days=1)
    case.save()
    earlier = case.opened_at - timedelta(minutes=20)
    details = NoteDetails(earlier, ContactMode.IN_PERSON, 20, "Intake conversation.")
    actions.do_write_note(case, details, acting_user=personas.caseworker)
    case.refresh_from_db()
    assert case.first_response_at == case.opened_at
    assert CaseNote.objects.get(case=case).contact_at == earlier
