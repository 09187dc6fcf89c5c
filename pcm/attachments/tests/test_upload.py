"""Uploading: checked by content and size, stored encrypted under a random name, audited."""

from __future__ import annotations

import stat

import pytest
from django.db import connection
from django.urls import reverse

from pcm.attachments.models import Attachment, AttachmentKind, FileType
from pcm.attachments.rules import format_size
from pcm.attachments.tests.conftest import (
    EXE,
    MARKER,
    PDF,
    PNG,
    post_upload,
    stored_files,
    upload_url,
)
from pcm.audit.models import AuditEvent, AuditEventType
from pcm.cases.models import CaseStatus
from pcm.vault.crypto import PREFIX


def test_the_caseworker_attaches_a_pdf(personas, case, client_for, data_dir):
    response = post_upload(client_for(personas.caseworker), case, PDF)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/cases/{case.public_id}/#attachments")
    attachment = Attachment.objects.get(case=case)
    assert attachment.number == 1
    assert attachment.kind == AttachmentKind.CONSENT_FORM
    assert attachment.title == "Signed consent form"
    assert attachment.original_name == "Zainab consent scan.pdf"
    assert attachment.file_type == FileType.PDF
    assert attachment.size == len(PDF)
    assert attachment.uploaded_by == personas.caseworker
    assert [path.name for path in stored_files(data_dir)] == [attachment.storage_name]


def test_the_supervisor_may_attach_too_and_numbers_follow(personas, case, client_for):
    post_upload(client_for(personas.caseworker), case, PDF)
    response = post_upload(client_for(personas.supervisor), case, PNG, name="photo.png")
    assert response.status_code == 302
    assert list(Attachment.objects.filter(case=case).values_list("number", flat=True)) == [1, 2]


def test_a_png_named_pdf_is_stored_as_the_png_it_is(personas, case, client_for):
    response = post_upload(client_for(personas.caseworker), case, PNG, name="consent.pdf")
    assert response.status_code == 302
    attachment = Attachment.objects.get(case=case)
    assert attachment.file_type == FileType.PNG
    assert attachment.download_name() == "APN-IQ-2026-00042-attachment-1.png"


def test_a_program_renamed_pdf_is_refused_and_nothing_is_kept(personas, case, client_for, data_dir):
    response = post_upload(client_for(personas.caseworker), case, EXE, name="consent.pdf")
    assert response.status_code == 400
    body = response.content.decode()
    assert "This file is a Windows program; upload a PDF, JPEG, PNG, HEIC or WebP file." in body
    # The rest of the form is kept; the file must be chosen again, as the page says.
    assert "Signed consent form" in body
    assert "choose it again" in body
    assert not Attachment.objects.exists()
    assert stored_files(data_dir) == []


def test_a_file_over_the_limit_is_refused_with_its_size(personas, case, client_for, data_dir):
    big = PDF + b"0" * (int(14.2 * 1024 * 1024) - len(PDF))
    response = post_upload(client_for(personas.caseworker), case, big)
    assert response.status_code == 400
    assert "This file is 14.2 MB; the limit is 10 MB." in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files(data_dir) == []


def test_the_upload_handler_keeps_no_more_than_the_limit_in_memory(
    personas, case, client_for, settings, monkeypatch
):
    from pcm.attachments import uploads

    settings.PCM_ATTACHMENT_MAX_BYTES = 1000
    kept: list[int] = []
    original = uploads.MemoryOnlyUploadHandler.file_complete

    def spy(self, file_size):
        kept.append(len(self.buffer.getvalue()))
        return original(self, file_size)

    monkeypatch.setattr(uploads.MemoryOnlyUploadHandler, "file_complete", spy)
    response = post_upload(client_for(personas.caseworker), case, PDF + b"0" * 5000)
    assert response.status_code == 400
    assert kept == [1000]
    size = format_size(len(PDF) + 5000)
    assert f"This file is {size}; the limit is 1000 bytes." in response.content.decode()


def test_a_missing_title_is_asked_for_and_nothing_is_stored(personas, case, client_for, data_dir):
    response = post_upload(client_for(personas.caseworker), case, PDF, title="  ")
    assert response.status_code == 400
    assert not Attachment.objects.exists()
    assert stored_files(data_dir) == []


def test_the_file_on_disk_is_encrypted_and_private(personas, case, client_for, data_dir):
    post_upload(client_for(personas.caseworker), case, PDF)
    (path,) = stored_files(data_dir)
    stored = path.read_bytes()
    assert MARKER not in stored
    assert b"%PDF" not in stored
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    # The name says nothing about the case or the file.
    assert str(case.public_id.hex) not in path.name
    assert "consent" not in path.name and "pdf" not in path.name


def test_title_and_file_name_are_encrypted_in_the_database(personas, case, client_for):
    post_upload(client_for(personas.caseworker), case, PDF)
    with connection.cursor() as cursor:
        cursor.execute("SELECT title, original_name FROM attachments_attachment")
        title, original_name = cursor.fetchone()
    assert title.startswith(PREFIX) and "consent" not in title
    assert original_name.startswith(PREFIX) and "Zainab" not in original_name


def test_the_upload_is_audited_without_values(personas, case, client_for):
    post_upload(client_for(personas.caseworker), case, PDF)
    attachment = Attachment.objects.get()
    event = AuditEvent.objects.get(event_type=AuditEventType.ATTACHMENT_UPLOADED)
    assert event.actor == personas.caseworker
    assert event.target_id == str(attachment.pk)
    assert event.agency == case.agency
    assert event.detail == {
        "attachment": str(attachment.public_id),
        "kind": "consent_form",
        "type": "application/pdf",
    }
    recorded = str(event.detail) + str(event.fields)
    assert "Signed consent form" not in recorded and "Zainab" not in recorded


def test_no_file_name_or_title_in_urls(personas, case, client_for):
    client = client_for(personas.caseworker)
    response = post_upload(client, case, PDF, name="Zainab Qx7 scan.pdf", title="Waiver Qx7")
    attachment = Attachment.objects.get()
    page = client.get(reverse("cases:detail", kwargs={"public_id": case.public_id}))
    body = page.content.decode()
    assert "Waiver Qx7" in body  # shown on the page...
    hrefs = [part.split('"', 1)[0] for part in body.split('href="')[1:]]
    actions = [part.split('"', 1)[0] for part in body.split('action="')[1:]]
    urls = [*hrefs, *actions, response["Location"]]
    assert any(str(attachment.public_id) in url for url in urls)
    for url in urls:  # ...but never in an address
        assert "Qx7" not in url and "Zainab" not in url and "Waiver" not in url


@pytest.mark.parametrize("who", ["manager", "meal_officer", "administrator", "provider"])
def test_roles_that_do_not_work_on_the_case_cannot_attach(personas, case, client_for, who):
    response = post_upload(client_for(getattr(personas, who)), case, PDF)
    assert response.status_code in (403, 404)
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("who", ["other_caseworker", "other_supervisor", "outsider"])
def test_nobody_outside_the_case_learns_it_exists(personas, case, client_for, who):
    response = post_upload(client_for(getattr(personas, who)), case, PDF)
    assert response.status_code == 404
    assert not Attachment.objects.exists()


def test_a_closed_case_takes_no_more_files(personas, case, client_for):
    case.status = CaseStatus.CLOSED
    case.save()
    response = post_upload(client_for(personas.caseworker), case, PDF)
    assert response.status_code == 403
    assert not Attachment.objects.exists()


def test_the_upload_page_has_a_multipart_form(personas, case, client_for):
    response = client_for(personas.caseworker).get(upload_url(case))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'enctype="multipart/form-data"' in body
    assert "csrfmiddlewaretoken" in body
