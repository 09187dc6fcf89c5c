"""The case page's attachments section."""

from __future__ import annotations

from django.urls import reverse

from pcm.attachments.actions import delete_attachment
from pcm.attachments.tests.conftest import PDF, PNG, upload_url
from pcm.cases.models import CaseStatus


def case_page(client, case):
    response = client.get(reverse("cases:detail", kwargs={"public_id": case.public_id}))
    assert response.status_code == 200
    return response.content.decode()


def test_the_caseworker_sees_the_files_and_the_upload_form(personas, case, attach, client_for):
    attachment = attach(PDF, title="Signed consent form")
    body = case_page(client_for(personas.caseworker), case)
    assert 'id="attachments"' in body
    assert "Signed consent form" in body
    assert reverse("attachments:download", kwargs={"public_id": attachment.public_id}) in body
    assert reverse("attachments:delete", kwargs={"public_id": attachment.public_id}) in body
    assert f'action="{upload_url(case)}"' in body
    assert 'enctype="multipart/form-data"' in body
    assert 'id="attachment_file"' in body


def test_a_deleted_file_is_listed_as_deleted_without_a_download(personas, case, attach, client_for):
    attachment = attach(PNG, title="Blurred photo")
    delete_attachment(attachment, reason="Unreadable scan", acting_user=personas.caseworker)
    body = case_page(client_for(personas.supervisor), case)
    assert "1 deleted attachment" in body
    assert "Unreadable scan" in body
    assert reverse("attachments:download", kwargs={"public_id": attachment.public_id}) not in body


def test_a_manager_sees_how_many_but_not_what(personas, case, attach, client_for):
    attach(PDF, title="Signed waiver Qx7")
    attach(PNG, title="Photo of the injury")
    body = case_page(client_for(personas.manager), case)
    assert "This case has 2 attachments. Your role does not see documents." in body
    assert "Qx7" not in body and "injury" not in body
    assert "/download/" not in body and "multipart" not in body


def test_a_closed_case_without_files_shows_no_section(personas, case, client_for):
    case.status = CaseStatus.CLOSED
    case.save()
    assert 'id="attachments"' not in case_page(client_for(personas.caseworker), case)


def test_a_closed_case_lists_its_files_without_upload_or_delete(personas, case, attach, client_for):
    attachment = attach(PDF)
    case.status = CaseStatus.CLOSED
    case.save()
    body = case_page(client_for(personas.caseworker), case)
    assert reverse("attachments:download", kwargs={"public_id": attachment.public_id}) in body
    assert reverse("attachments:delete", kwargs={"public_id": attachment.public_id}) not in body
    assert "multipart" not in body
