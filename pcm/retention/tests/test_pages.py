"""The retention settings page, the anonymised case page, refused edits and the menu."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from pcm.accounts.models import Agency
from pcm.audit.models import AuditEvent
from pcm.cases.models import Case
from pcm.closure.actions import do_reopen_case
from pcm.core.errors import ActionRefused
from pcm.retention.anonymise import anonymise_case, apply_retention, months_before
from pcm.retention.menu import menu_items
from pcm.retention.models import AnonymisationReason, RetentionEvent
from pcm.retention.tests.conftest import SECRET
from pcm.supervision.actions import FileCheckDetails, do_record_case_file_check
from pcm.supervision.models import CheckAnswer

SETTINGS = "/retention/"


def test_the_settings_page_shows_the_period_the_preview_and_the_last_run(
    rich_case, make_closed_case, personas, client_for
):
    make_closed_case(closed_at=timezone.now())  # not due
    client = client_for(personas.manager)
    page = client.get(reverse("retention:settings"))
    assert page.status_code == 200
    assert 'value="24"' in page.text
    preview = page.text.split('id="retention-preview"')[1].split("</dl>")[0]
    assert '<dd class="col-sm-4">1</dd>' in preview
    assert "has not run for this agency yet" in page.text
    assert rich_case.number not in page.text and SECRET not in page.text
    apply_retention(agencies=[personas.agency])
    page = client.get(reverse("retention:settings"))
    last = page.text.split('id="retention-last-run"')[1].split("</dl>")[0]
    assert "the scheduled task" in last
    preview = page.text.split('id="retention-preview"')[1].split("</dl>")[0]
    assert '<dd class="col-sm-4">1</dd>' not in preview


def test_the_period_is_saved_between_1_and_120_months(personas, client_for):
    client = client_for(personas.administrator)
    url = reverse("retention:settings")
    for wrong, message in (("0", "at least 1 month"), ("121", "at most 120 months"), ("", "Give")):
        response = client.post(url, {"retention_months": wrong, "current": 24})
        assert response.status_code == 400 and message in response.text
    response = client.post(url, {"retention_months": 36, "current": 24})
    assert response.status_code == 302
    assert Agency.objects.get(pk=personas.agency.pk).retention_months == 36
    event = AuditEvent.objects.get(event_type=RetentionEvent.RETENTION_CHANGED)
    assert event.detail == {"from": 24, "to": 36} and event.actor == personas.administrator
    # Someone else changed it meanwhile: refused, nothing saved.
    conflict = client.post(url, {"retention_months": 12, "current": 24})
    assert conflict.status_code == 409 and "Someone else changed" in conflict.text
    assert Agency.objects.get(pk=personas.agency.pk).retention_months == 36


def test_the_settings_page_is_for_administrators_and_managers(personas, client_for):
    for user in (personas.caseworker, personas.supervisor, personas.meal_officer):
        assert client_for(user).get(SETTINGS).status_code == 403


def test_the_anonymised_case_page_says_so_and_shows_the_statistics(rich_case, personas, client_for):
    anonymise_case(rich_case, None, AnonymisationReason.RETENTION)
    page = client_for(personas.supervisor).get(
        reverse("cases:detail", kwargs={"public_id": rich_case.public_id})
    )
    assert page.status_code == 200
    assert "This case is anonymised" in page.text
    stats = page.text.split('id="anonymised-statistics"')[1].split("</dl>")[0]
    assert "Female" in stats and "High" in stats and "25 to 59" in stats
    assert "Abduction" in stats and "goals are met" in stats
    assert SECRET not in page.text
    assert "Reopen the case" not in page.text
    assert "Ask for erasure" not in page.text


def test_an_open_case_page_has_no_notice(case_for, personas, client_for):
    case = case_for(personas.caseworker)
    page = client_for(personas.supervisor).get(
        reverse("cases:detail", kwargs={"public_id": case.public_id})
    )
    assert "This case is anonymised" not in page.text
    assert "Ask for erasure" in page.text and "Export the service user" in page.text


def test_edits_of_an_anonymised_case_are_refused_with_a_message(rich_case, personas, client_for):
    anonymise_case(rich_case, None, AnonymisationReason.RETENTION)
    case = Case.objects.get(pk=rich_case.pk)
    try:
        do_reopen_case(case, reason="Back again", acting_user=personas.caseworker)
    except ActionRefused as refusal:
        assert "anonymised" in str(refusal.message)
    else:
        raise AssertionError("an anonymised case was reopened")
    response = client_for(personas.caseworker).post(
        reverse("closure:reopen_case", kwargs={"public_id": case.public_id}),
        {"reason": "Back again", "version": case.version},
    )
    assert response.status_code == 400 and "This case is anonymised" in response.text
    details = FileCheckDetails(*(CheckAnswer.YES,) * 5, comment="Looks fine")
    try:
        do_record_case_file_check(
            case, details, based_on_version=1, acting_user=personas.supervisor
        )
    except ActionRefused as refusal:
        assert "anonymised" in str(refusal.message)
    else:
        raise AssertionError("a file check was added to an anonymised case")
    case.refresh_from_db()
    assert case.status == "closed"


def test_menu_links(personas):
    assert [item.label for item in menu_items(personas.manager)] == [
        "Data retention",
        "Erasure requests",
    ]
    assert [item.label for item in menu_items(personas.administrator)] == ["Data retention"]
    for user in (personas.caseworker, personas.supervisor, personas.meal_officer):
        assert menu_items(user) == []


def test_the_period_counts_from_the_closure_date(make_closed_case, personas):
    now = timezone.now()
    case = make_closed_case(closed_at=months_before(now, 24) + timedelta(hours=1))
    assert apply_retention(now=now, agencies=[personas.agency]).cases_anonymised == 0
    later = now + timedelta(hours=2)
    assert apply_retention(now=later, agencies=[personas.agency]).cases_anonymised == 1
    case.refresh_from_db()
    assert case.anonymised_at is not None
