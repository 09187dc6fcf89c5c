"""An entry's life: recorded, acknowledged, in progress, responded, closed — who and when,
audited without its text; stale edits and impossible steps refused."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pcm.audit.models import AuditEvent
from pcm.core.errors import ActionRefused, EditConflict
from pcm.feedback import actions
from pcm.feedback.actions import EntryDetails
from pcm.feedback.models import Category, Channel, FeedbackEntry, FeedbackEvent, Kind, Status

SAID = "The hotline rang out three times before anyone answered."
ANSWER = "A second line was added; the caller was called back and told."


def step(client, entry, name: str, on: str, version: int, **extra: str):
    return client.post(
        reverse("feedback:step", args=[entry.pk]),
        {"step": name, "on": on, "version": version, **extra},
    )


def test_it_records_and_walks_an_entry_through_every_step(personas, client_for, case_for):
    case = case_for(personas.caseworker)
    layla = client_for(personas.caseworker)
    response = layla.post(
        reverse("feedback:new"),
        {
            "kind": "complaint",
            "channel": "hotline",
            "category": "access",
            "received_on": "2026-03-02",
            "case_number": case.number,
            "description": SAID,
            "wants_reply": "on",
            "reply_by": "Call back after 5 pm",
        },
    )
    entry = FeedbackEntry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("feedback:detail", args=[entry.pk])
    assert entry.linked_case == case and entry.recorded_by == personas.caseworker
    assert entry.status == Status.RECEIVED and entry.version == 1
    assert entry.reply_by == "Call back after 5 pm"

    assert step(layla, entry, "acknowledge", "2026-03-03", 1).status_code == 302
    omar = client_for(personas.supervisor)
    assert step(omar, entry, "start", "2026-03-04", 2).status_code == 302
    assert step(omar, entry, "respond", "2026-03-10", 3, response=ANSWER).status_code == 302
    nadia = client_for(personas.manager)
    assert step(nadia, entry, "close", "2026-03-12", 4).status_code == 302

    entry.refresh_from_db()
    assert entry.status == Status.CLOSED and entry.version == 5
    assert (entry.acknowledged_on, entry.acknowledged_by) == (
        date(2026, 3, 3),
        personas.caseworker,
    )
    assert (entry.in_progress_on, entry.in_progress_by) == (date(2026, 3, 4), personas.supervisor)
    assert (entry.responded_on, entry.responded_by) == (date(2026, 3, 10), personas.supervisor)
    assert (entry.closed_on, entry.closed_by) == (date(2026, 3, 12), personas.manager)
    assert entry.response == ANSWER
    assert entry.days_to_close == 10

    page = nadia.get(reverse("feedback:detail", args=[entry.pk])).content.decode()
    assert ANSWER in page and "10 days" in page
    assert "Omar Khalil" in page and "Layla Hassan" in page

    events = AuditEvent.objects.filter(target_type="feedback.feedbackentry")
    assert list(events.order_by("sequence").values_list("event_type", flat=True)) == [
        FeedbackEvent.RECORDED,
        FeedbackEvent.STATUS_CHANGED,
        FeedbackEvent.STATUS_CHANGED,
        FeedbackEvent.STATUS_CHANGED,
        FeedbackEvent.STATUS_CHANGED,
        FeedbackEvent.VIEWED,  # Nadia's read: the entry is linked to a case
    ]
    changes = events.filter(event_type=FeedbackEvent.STATUS_CHANGED).order_by("sequence")
    assert [(e.detail["status_from"], e.detail["status_to"]) for e in changes] == [
        ("received", "acknowledged"),
        ("acknowledged", "in_progress"),
        ("in_progress", "responded"),
        ("responded", "closed"),
    ]
    assert "response" in changes[2].fields
    for event in events:
        text = f"{event.detail} {event.fields}"
        assert SAID not in text and ANSWER not in text and "5 pm" not in text
        assert event.case_id == case.pk


def test_a_stale_step_is_refused(personas, entry_for, client_for):
    entry = entry_for(personas.caseworker)
    first = client_for(personas.caseworker)
    second = client_for(personas.supervisor)
    assert step(first, entry, "acknowledge", "2026-03-03", 1).status_code == 302
    response = step(second, entry, "respond", "2026-03-04", 1, response=ANSWER)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed this entry" in page
    assert ANSWER in page  # the response typed is kept on the page
    entry.refresh_from_db()
    assert entry.status == Status.ACKNOWLEDGED and entry.response == ""


def test_a_stale_edit_is_refused(personas, entry_for, client_for):
    entry = entry_for(personas.caseworker)
    FeedbackEntry.objects.filter(pk=entry.pk).update(version=2)  # someone saved meanwhile
    response = client_for(personas.caseworker).post(
        reverse("feedback:edit", args=[entry.pk]),
        {
            "kind": "feedback",
            "channel": "email",
            "category": "quality",
            "received_on": "2026-03-02",
            "description": "Corrected text",
            "version": 1,
        },
    )
    assert response.status_code == 409
    assert "Corrected text" in response.content.decode()
    entry.refresh_from_db()
    assert entry.kind == Kind.COMPLAINT and entry.description != "Corrected text"


def test_an_edit_is_saved_and_audited_by_field_name(personas, entry_for, client_for):
    entry = entry_for(personas.caseworker)
    response = client_for(personas.caseworker).post(
        reverse("feedback:edit", args=[entry.pk]),
        {
            "kind": "feedback",
            "channel": "hotline",
            "category": "quality",
            "received_on": "2026-03-02",
            "description": "Corrected text",
            "version": 1,
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.kind, entry.description, entry.version) == ("feedback", "Corrected text", 2)
    event = AuditEvent.objects.get(event_type=FeedbackEvent.CHANGED)
    assert sorted(event.fields) == ["description", "kind"]
    assert "Corrected" not in str(event.detail)


def test_marking_an_entry_restricted_hands_it_over(personas, entry_for, client_for):
    entry = entry_for(personas.caseworker)
    client = client_for(personas.caseworker)
    response = client.post(
        reverse("feedback:edit", args=[entry.pk]),
        {
            "kind": "complaint",
            "channel": "hotline",
            "category": "staff_conduct",
            "received_on": "2026-03-02",
            "description": entry.description,
            "about_staff": "on",
            "version": 1,
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("feedback:register")
    assert client.get(reverse("feedback:detail", args=[entry.pk])).status_code == 404


def details(**changes: object) -> EntryDetails:
    values: dict[str, object] = {
        "kind": Kind.COMPLAINT,
        "channel": Channel.IN_PERSON,
        "category": Category.SAFETY,
        "received_on": date(2026, 3, 2),
        "description": SAID,
    }
    values.update(changes)
    return EntryDetails(**values)  # type: ignore[arg-type]


def test_impossible_steps_are_refused(personas, entry_for):
    entry = entry_for(personas.supervisor)
    user = personas.supervisor
    with pytest.raises(ActionRefused, match="Write the response"):
        actions.do_take_step(
            entry, "respond", on=date(2026, 3, 3), based_on_version=1, acting_user=user
        )
    with pytest.raises(ActionRefused, match="in the future"):
        actions.do_take_step(
            entry,
            "acknowledge",
            on=timezone.localdate() + timedelta(days=2),
            based_on_version=1,
            acting_user=user,
        )
    with pytest.raises(ActionRefused, match="before the day"):
        actions.do_take_step(
            entry, "acknowledge", on=date(2026, 3, 1), based_on_version=1, acting_user=user
        )
    closed = actions.do_take_step(
        entry, "close", on=date(2026, 3, 3), based_on_version=1, acting_user=user
    )
    assert closed.responded_on is None and closed.days_to_close == 1
    with pytest.raises(ActionRefused, match="no longer possible"):
        actions.do_take_step(
            closed,
            "respond",
            on=date(2026, 3, 4),
            based_on_version=2,
            acting_user=user,
            response="Late",
        )
    with pytest.raises(EditConflict):
        actions.do_change_entry(
            closed, details(), case=None, keep_case=False, based_on_version=1, acting_user=user
        )


def test_recording_is_refused_where_it_makes_no_sense(personas):
    with pytest.raises(ActionRefused):
        actions.do_record_entry(details(), acting_user=personas.meal_officer)
    with pytest.raises(ActionRefused, match="in the future"):
        actions.do_record_entry(
            details(received_on=timezone.localdate() + timedelta(days=3)),
            acting_user=personas.caseworker,
        )
    with pytest.raises(ActionRefused, match="no reply is wanted"):
        actions.do_record_entry(details(reply_by="by phone"), acting_user=personas.caseworker)
    assert not FeedbackEntry.objects.exists()


def test_the_restricted_entry_event_carries_no_case(personas, case_for):
    case = case_for(personas.caseworker)
    entry = actions.do_record_entry(
        details(sensitive=True), case=case, acting_user=personas.caseworker
    )
    event = AuditEvent.objects.get(event_type=FeedbackEvent.RECORDED)
    assert event.target_id == str(entry.pk) and event.case_id is None
    assert event.detail["restricted"] is True
