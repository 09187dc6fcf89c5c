"""Downloading: through the access policy, decrypted in memory, generic name, audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pcm.attachments.tests.conftest import JPEG, MARKER, PDF, PNG, download_url, stored_files
from pcm.audit.models import AuditEvent, AuditEventType

CASE_PAGE_SUFFIX = "#attachments"


def test_the_file_comes_back_as_it_was_uploaded(personas, attach, client_for):
    attachment = attach(PDF)
    response = client_for(personas.caseworker).get(download_url(attachment))
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(PDF))


def test_the_download_is_a_safe_attachment_with_a_generic_name(personas, attach, client_for):
    attachment = attach(JPEG, title="Photo of the injury")
    response = client_for(personas.supervisor).get(download_url(attachment))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="APN-IQ-2026-00042-attachment-1.jpg"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    headers = str(response.headers)
    assert "IMG_0001" not in headers and "injury" not in headers


def test_every_download_is_audited(personas, attach, client_for):
    attachment = attach(PNG)
    client = client_for(personas.caseworker)
    client.get(download_url(attachment))
    client.get(download_url(attachment))
    events = AuditEvent.objects.filter(event_type=AuditEventType.ATTACHMENT_DOWNLOADED)
    assert events.count() == 2
    event = events.first()
    assert event is not None
    assert event.actor == personas.caseworker
    assert event.target_id == str(attachment.pk)
    assert event.detail == {"attachment": str(attachment.public_id), "kind": "photo"}


def test_a_manager_sees_the_case_but_not_its_documents(personas, attach, client_for):
    attachment = attach(PNG)
    response = client_for(personas.manager).get(download_url(attachment))
    assert response.status_code == 403
    assert MARKER not in response.content
    assert not AuditEvent.objects.filter(event_type=AuditEventType.ATTACHMENT_DOWNLOADED).exists()


def test_an_agency_may_let_its_managers_see_documents(personas, attach, client_for):
    agency = personas.agency
    agency.field_visibility = {"manager": ["risk", "documents"]}
    agency.save()
    attachment = attach(PNG)
    response = client_for(personas.manager).get(download_url(attachment))
    assert response.status_code == 200
    assert response.content == PNG


def test_an_agency_may_hide_documents_from_caseworkers(personas, attach, client_for):
    attachment = attach(PNG)
    agency = personas.agency
    agency.field_visibility = {"caseworker": ["identity", "contact", "risk", "narrative"]}
    agency.save()
    response = client_for(personas.caseworker).get(download_url(attachment))
    assert response.status_code == 403


@pytest.mark.parametrize(
    "who", ["other_caseworker", "other_supervisor", "outsider", "outsider_manager"]
)
def test_another_case_s_attachment_is_not_found(personas, attach, client_for, who):
    attachment = attach(PNG)
    response = client_for(getattr(personas, who)).get(download_url(attachment))
    assert response.status_code == 404
    assert MARKER not in response.content


@pytest.mark.parametrize("who", ["meal_officer", "provider", "administrator"])
def test_roles_without_cases_get_nothing(personas, attach, client_for, who):
    attachment = attach(PNG)
    response = client_for(getattr(personas, who)).get(download_url(attachment))
    assert response.status_code in (403, 404)
    assert MARKER not in response.content


def test_anonymous_visitors_are_sent_to_sign_in(attach, client):
    attachment = attach(PNG)
    response = client.get(download_url(attachment))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_file_destroyed_by_the_purge_is_explained_not_crashed(
    personas, attach, client_for, data_dir
):
    from pcm.attachments.purge import purge

    attachment = attach(PNG)
    assert purge() == 1
    response = client_for(personas.caseworker).get(download_url(attachment), follow=True)
    assert response.redirect_chain[-1][0].endswith(CASE_PAGE_SUFFIX)
    assert "This file can no longer be read" in response.content.decode()
    assert not AuditEvent.objects.filter(event_type=AuditEventType.ATTACHMENT_DOWNLOADED).exists()


def test_a_file_moved_under_another_attachment_does_not_decrypt(
    personas, attach, client_for, data_dir
):
    first, second = attach(PNG), attach(PDF)
    (data_dir / "attachments" / second.storage_name).write_bytes(
        (data_dir / "attachments" / first.storage_name).read_bytes()
    )
    response = client_for(personas.caseworker).get(download_url(second), follow=True)
    assert "This file can no longer be read" in response.content.decode()
    assert len(stored_files(data_dir)) == 2
