"""Who reads which entries: by role, restricted entries for the handlers only, MEAL without
content, nothing across agencies, and 404 for every guessed address."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pcm.audit.models import AuditEvent
from pcm.feedback.access import entries_visible_to, register_rows_for
from pcm.feedback.models import FeedbackEntry, FeedbackEvent

SECRET = "The guard at the gate asked for money"


def test_it_shows_unrestricted_entries_by_role(personas, entry_for, client_for):
    layla_entry = entry_for(personas.caseworker, description="Layla heard this")
    karim_entry = entry_for(personas.other_caseworker, description="Karim heard this")
    expected = {
        personas.caseworker: {layla_entry.pk},
        personas.other_caseworker: {karim_entry.pk},
        personas.supervisor: {layla_entry.pk, karim_entry.pk},
        personas.other_supervisor: {layla_entry.pk, karim_entry.pk},
        personas.manager: {layla_entry.pk, karim_entry.pk},
        personas.meal_officer: set(),
        personas.administrator: set(),
        personas.auditor: set(),
        personas.provider: set(),
        personas.outsider: set(),
        personas.outsider_manager: set(),
    }
    for user, pks in expected.items():
        assert set(entries_visible_to(user).values_list("pk", flat=True)) == pks, user.username
    for user, pks in expected.items():
        client = client_for(user)
        for entry in (layla_entry, karim_entry):
            response = client.get(reverse("feedback:detail", args=[entry.pk]))
            assert response.status_code == (200 if entry.pk in pks else 404), user.username


def test_restricted_entries_are_read_only_by_the_handlers(
    personas, entry_for, make_handler, client_for, case_for
):
    case = case_for(personas.caseworker)
    entry = entry_for(personas.caseworker, description=SECRET, about_staff=True, linked_case=case)
    make_handler(personas.other_supervisor)  # Huda handles complaints; the manager does not
    url = reverse("feedback:detail", args=[entry.pk])
    for user in (personas.caseworker, personas.supervisor, personas.manager, personas.meal_officer):
        response = client_for(user).get(url)
        assert response.status_code == 404, user.username
        assert entry.pk not in register_rows_for(user).values_list("pk", flat=True)
        page = client_for(user).get(reverse("feedback:register")).content.decode()
        assert SECRET not in page
    response = client_for(personas.other_supervisor).get(url)
    assert response.status_code == 200
    assert SECRET in response.content.decode()
    # Huda supervises another team: the case stays hidden from her.
    assert case.number not in response.content.decode()
    event = AuditEvent.objects.get(event_type=FeedbackEvent.RESTRICTED_VIEWED)
    assert event.actor == personas.other_supervisor
    assert event.target_id == str(entry.pk)
    assert SECRET not in str(event.detail)
    # The case's access history (read by its team) does not learn of the complaint.
    assert event.case_id is None


def test_a_caseworker_who_handles_complaints_also_reads_restricted_ones(
    personas, entry_for, make_handler
):
    restricted = entry_for(personas.other_caseworker, sensitive=True)
    colleague_open = entry_for(personas.other_caseworker)
    make_handler(personas.caseworker)
    visible = set(entries_visible_to(personas.caseworker).values_list("pk", flat=True))
    assert restricted.pk in visible
    assert colleague_open.pk not in visible


def test_a_handler_role_change_ends_the_access(personas, entry_for, make_handler):
    restricted = entry_for(personas.caseworker, sensitive=True)
    make_handler(personas.manager)
    assert entries_visible_to(personas.manager).filter(pk=restricted.pk).exists()
    personas.manager.role = "meal_officer"
    personas.manager.save()
    assert not entries_visible_to(personas.manager).filter(pk=restricted.pk).exists()


def test_another_agency_sees_nothing_even_as_handler(personas, entry_for, make_handler, client_for):
    ours = entry_for(personas.caseworker, description=SECRET)
    restricted = entry_for(personas.caseworker, description=SECRET, sensitive=True)
    make_handler(personas.outsider_manager)
    client = client_for(personas.outsider_manager)
    for entry in (ours, restricted):
        for name in ("feedback:detail", "feedback:edit"):
            assert client.get(reverse(name, args=[entry.pk])).status_code == 404
        response = client.post(
            reverse("feedback:step", args=[entry.pk]),
            {"step": "close", "on": "2026-03-05", "version": 1},
        )
        assert response.status_code == 404
    page = client.get(reverse("feedback:register")).content.decode()
    assert SECRET not in page
    assert "feedback-counts" in page and "0 entries match" in page


@pytest.mark.parametrize("name", ["feedback:detail", "feedback:edit"])
def test_guessed_addresses_answer_404(personas, entry_for, client_for, name):
    entry = entry_for(personas.other_caseworker)
    missing = FeedbackEntry.objects.order_by("-pk").values_list("pk", flat=True)[0] + 100
    client = client_for(personas.caseworker)
    assert client.get(reverse(name, args=[entry.pk])).status_code == 404
    assert client.get(reverse(name, args=[missing])).status_code == 404
    step = client.post(
        reverse("feedback:step", args=[entry.pk]),
        {"step": "acknowledge", "on": "2026-03-05", "version": 1},
    )
    assert step.status_code == 404
    entry.refresh_from_db()
    assert entry.status == "received"


def test_meal_officer_reads_the_register_deidentified(personas, entry_for, client_for, case_for):
    case = case_for(personas.caseworker)
    listed = entry_for(personas.caseworker, description="Queue too long", linked_case=case)
    entry_for(personas.caseworker, description=SECRET, about_staff=True)
    response = client_for(personas.meal_officer).get(reverse("feedback:register"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Queue too long" not in page and SECRET not in page
    assert case.number not in page and str(case.public_id) not in page
    # No rows (a date, a place and a category can point at a person), and the counts are
    # suppressed below the threshold: 2 entries, 1 restricted, both small.
    assert response.context["entries"] == []
    assert "Entries are not listed for your role" in page
    assert response.context["counts"]["total"] == "<5"
    assert response.context["counts"]["restricted"] == "<5"
    assert all(text == "<5" for _label, text in response.context["counts"]["by_kind"])
    assert "2 entries" not in page
    assert reverse("feedback:detail", args=[listed.pk]) not in page
    assert (
        client_for(personas.meal_officer)
        .get(reverse("feedback:detail", args=[listed.pk]))
        .status_code
        == 404
    )


def test_roles_without_the_register_are_refused(personas, client_for):
    for user in (personas.provider, personas.administrator, personas.auditor):
        assert client_for(user).get(reverse("feedback:register")).status_code == 403
        assert client_for(user).get(reverse("feedback:new")).status_code == 403
    assert client_for(personas.meal_officer).get(reverse("feedback:new")).status_code == 403


def test_the_case_shows_only_to_those_who_see_it(personas, entry_for, client_for, case_for):
    case = case_for(personas.caseworker)
    entry = entry_for(personas.caseworker, linked_case=case)
    url = reverse("feedback:detail", args=[entry.pk])
    own_page = client_for(personas.caseworker).get(url).content.decode()
    assert case.number in own_page
    other_page = client_for(personas.other_supervisor).get(url).content.decode()
    assert case.number not in other_page and str(case.public_id) not in other_page
    assert "Linked to a case you cannot open." in other_page
    event = AuditEvent.objects.filter(event_type=FeedbackEvent.VIEWED).latest("sequence")
    assert event.case_id == case.pk  # an unrestricted entry's read shows in the case history


def test_linking_a_case_out_of_view_is_refused(personas, client_for, case_for):
    colleague_case = case_for(personas.other_caseworker)
    foreign_case = case_for(personas.outsider)
    client = client_for(personas.caseworker)
    for number in (colleague_case.number, foreign_case.number, "APN-IQ-2026-99999"):
        response = client.post(
            reverse("feedback:new"),
            {
                "kind": "complaint",
                "channel": "hotline",
                "category": "quality",
                "received_on": "2026-03-02",
                "case_number": number,
                "description": "Waited a long time.",
            },
        )
        assert response.status_code == 400
        assert "No case you can see has this number" in response.content.decode()
    assert not FeedbackEntry.objects.exists()


def test_recording_a_restricted_complaint_hands_it_over(personas, client_for, make_handler):
    data = {
        "kind": "complaint",
        "channel": "suggestion_box",
        "category": "staff_conduct",
        "received_on": "2026-03-02",
        "description": SECRET,
        "about_staff": "on",
    }
    client = client_for(personas.supervisor)
    response = client.post(reverse("feedback:new"), data, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("feedback:register")
    assert "your agency has none yet" in page
    assert SECRET not in page
    entry = FeedbackEntry.objects.get()
    assert entry.about_staff and entry.recorded_by == personas.supervisor
    assert client.get(reverse("feedback:detail", args=[entry.pk])).status_code == 404
    make_handler(personas.manager)
    response = client.post(reverse("feedback:new"), data, follow=True)
    assert "it is no longer shown to you" in response.content.decode()
    # The page tells the recorder that entries they recorded went to the handlers.
    assert response.context["counts"]["restricted"] == 2


def test_a_caseworker_is_told_of_the_restricted_entries_they_recorded(
    personas, entry_for, client_for
):
    entry_for(personas.caseworker, sensitive=True)
    entry_for(personas.other_caseworker, sensitive=True)
    response = client_for(personas.caseworker).get(reverse("feedback:register"))
    assert response.context["own_restricted"] == 1
    assert response.context["counts"] is None


def test_anonymising_the_linked_case_empties_the_entry(personas, entry_for, case_for):
    from django.utils import timezone as tz

    from pcm.cases.models import Case, CaseStatus
    from pcm.retention.anonymise import anonymise_case
    from pcm.retention.models import AnonymisationReason

    case = case_for(personas.caseworker)
    linked = entry_for(personas.caseworker, description=SECRET, linked_case=case, response="Ok")
    other = entry_for(personas.caseworker, description="Queue too long")
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_at=tz.now())
    case.refresh_from_db()
    anonymise_case(case, None, AnonymisationReason.RETENTION)
    linked.refresh_from_db()
    other.refresh_from_db()
    assert linked.description == "" and linked.response == "" and linked.linked_case_id is None
    assert other.description == "Queue too long"
