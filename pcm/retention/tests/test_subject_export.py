"""The export of a service user's own data: encrypted, complete, marked, audited."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from pcm.audit.models import AuditEvent
from pcm.core.errors import ActionRefused
from pcm.people.models import Person
from pcm.retention.models import RetentionEvent
from pcm.retention.subject_export import JSON_NAME, TEXT_NAME, do_export_subject_data
from pcm.retention.tests.conftest import SECRET, confirmed_client
from pcm.vault.archive import read_encrypted_zip

PASSWORD = "a long archive passphrase"


def export_url(case) -> str:
    return reverse("retention:subject_export", kwargs={"public_id": case.public_id})


def test_the_archive_opens_with_the_password_and_holds_the_persons_data(rich_case, personas):
    export = do_export_subject_data(rich_case, password=PASSWORD, acting_user=personas.supervisor)
    files = read_encrypted_zip(export.content, PASSWORD)
    assert set(files) == {JSON_NAME, TEXT_NAME}
    data = json.loads(files[JSON_NAME])
    text = files[TEXT_NAME].decode()
    person = Person.objects.get(pk=rich_case.person_id)
    for value in (person.given_name, person.family_name, person.phone, person.address):
        assert value in files[JSON_NAME].decode() and value in text
    # Every secret of every record of the case is in it.
    raw = files[JSON_NAME].decode()
    assert raw.count(SECRET) >= 40
    assert data["produced by"].startswith("Omar Khalil (Supervisor")
    assert data["produced at"]
    assert data["cases"][0]["case number"] == rich_case.number
    records = data["cases"][0]["records"]
    assert {
        "cases",
        "consents",
        "household members",
        "protection risk assessments",
        "plan versions",
        "case notes",
        "attachments",
    } <= set(records)
    assert data["access history"]  # who did what, by role
    assert "Omar" not in json.dumps(data["access history"])
    assert export.cases == 1 and export.records > 20
    assert "Data held by PCM about one service user" in text


def test_the_archive_is_unreadable_without_the_password(rich_case, personas):
    export = do_export_subject_data(rich_case, password=PASSWORD, acting_user=personas.manager)
    assert SECRET.encode() not in export.content
    with pytest.raises(RuntimeError):
        read_encrypted_zip(export.content, "the wrong password!")


def test_only_visible_cases_of_the_person_are_exported(rich_case, make_closed_case, personas):
    hidden = make_closed_case(personas.other_caseworker, person=rich_case.person)
    supervisor = do_export_subject_data(
        rich_case, password=PASSWORD, acting_user=personas.supervisor
    )
    data = json.loads(read_encrypted_zip(supervisor.content, PASSWORD)[JSON_NAME])
    assert [entry["case number"] for entry in data["cases"]] == [rich_case.number]
    assert hidden.number not in json.dumps(data)
    manager = do_export_subject_data(rich_case, password=PASSWORD, acting_user=personas.manager)
    data = json.loads(read_encrypted_zip(manager.content, PASSWORD)[JSON_NAME])
    assert {entry["case number"] for entry in data["cases"]} == {rich_case.number, hidden.number}


def test_the_export_is_audited_without_data(rich_case, personas):
    do_export_subject_data(rich_case, password=PASSWORD, acting_user=personas.supervisor)
    event = AuditEvent.objects.get(event_type=RetentionEvent.SUBJECT_DATA_EXPORTED)
    assert event.actor == personas.supervisor
    assert event.target_id == str(rich_case.person_id)
    assert event.detail["cases"] == [rich_case.pk] and event.detail["records"] > 20
    assert SECRET not in repr(event.detail)


def test_the_export_is_refused_to_others_and_for_short_passwords(rich_case, personas):
    for user in (personas.caseworker, personas.other_supervisor, personas.outsider_manager):
        with pytest.raises(ActionRefused):
            do_export_subject_data(rich_case, password=PASSWORD, acting_user=user)
    with pytest.raises(ActionRefused, match="at least 12"):
        do_export_subject_data(rich_case, password="too short", acting_user=personas.supervisor)


def test_the_page_asks_to_confirm_identity_then_for_the_password_twice(
    rich_case, personas, client_for
):
    assert client_for(personas.caseworker).get(export_url(rich_case)).status_code == 403
    response = client_for(personas.supervisor).get(export_url(rich_case))
    assert response.status_code == 302 and reverse("accounts:confirm") in response["Location"]
    client = confirmed_client(personas.supervisor)
    page = client.get(export_url(rich_case))
    assert page.status_code == 200 and "Archive password again" in page.text
    differ = client.post(
        export_url(rich_case), {"password": PASSWORD, "password_again": PASSWORD + "x"}
    )
    assert differ.status_code == 400 and "The two passwords differ" in differ.text
    short = client.post(export_url(rich_case), {"password": "short", "password_again": "short"})
    assert short.status_code == 400 and "at least 12 characters" in short.text
    assert not AuditEvent.objects.filter(event_type=RetentionEvent.SUBJECT_DATA_EXPORTED).exists()
    response = client.post(
        export_url(rich_case), {"password": PASSWORD, "password_again": PASSWORD}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert rich_case.number not in response["Content-Disposition"]
    files = read_encrypted_zip(response.content, PASSWORD)
    assert SECRET in files[JSON_NAME].decode()
