"""Deleting: a reason, the file destroyed, the record kept as deleted; erasure of a case."""

from __future__ import annotations

import os

import pytest

from pcm.attachments.actions import delete_attachment, destroy_case_attachments
from pcm.attachments.models import Attachment
from pcm.attachments.tests.conftest import PDF, PNG, delete_url, download_url, stored_files
from pcm.audit.models import AuditEvent, AuditEventType
from pcm.core.errors import ActionRefused


def test_deleting_asks_why_then_destroys_the_file(personas, attach, client_for, data_dir):
    attachment = attach(PNG)
    client = client_for(personas.caseworker)
    page = client.get(delete_url(attachment))
    assert page.status_code == 200
    assert "Photo" in page.content.decode()
    response = client.post(delete_url(attachment), {"reason": "Attached to the wrong case"})
    assert response.status_code == 302
    attachment.refresh_from_db()
    assert attachment.is_deleted
    assert attachment.deleted_by == personas.caseworker
    assert attachment.deletion_reason == "Attached to the wrong case"
    assert stored_files(data_dir) == []


def test_the_file_bytes_are_overwritten_before_removal(personas, attach, data_dir):
    attachment = attach(PNG)
    path = data_dir / "attachments" / attachment.storage_name
    witness = data_dir / "witness"
    os.link(path, witness)  # a second name for the same bytes on disk
    before = witness.read_bytes()
    delete_attachment(attachment, reason="Duplicate", acting_user=personas.caseworker)
    after = witness.read_bytes()
    assert not path.exists()
    assert len(after) == len(before) and after != before


def test_a_reason_is_required(personas, attach, client_for, data_dir):
    attachment = attach(PNG)
    response = client_for(personas.caseworker).post(delete_url(attachment), {"reason": " "})
    assert response.status_code == 400
    attachment.refresh_from_db()
    assert not attachment.is_deleted
    assert len(stored_files(data_dir)) == 1


def test_deleting_is_audited_without_the_reason(personas, attach):
    attachment = attach(PNG)
    delete_attachment(
        attachment, reason="Shows the neighbour's face", acting_user=personas.supervisor
    )
    event = AuditEvent.objects.get(event_type=AuditEventType.ATTACHMENT_DELETED)
    assert event.actor == personas.supervisor
    assert event.target_id == str(attachment.pk)
    assert "neighbour" not in str(event.detail)


def test_a_deleted_attachment_cannot_be_deleted_again_nor_downloaded(personas, attach, client_for):
    attachment = attach(PNG)
    delete_attachment(attachment, reason="Duplicate", acting_user=personas.caseworker)
    with pytest.raises(ActionRefused, match="already been deleted"):
        delete_attachment(attachment, reason="Again", acting_user=personas.caseworker)
    response = client_for(personas.caseworker).get(download_url(attachment), follow=True)
    assert "This attachment was deleted on" in response.content.decode()


@pytest.mark.parametrize("who", ["manager", "meal_officer"])
def test_only_those_working_on_the_case_delete(personas, attach, client_for, who, data_dir):
    attachment = attach(PNG)
    response = client_for(getattr(personas, who)).post(
        delete_url(attachment), {"reason": "Not needed"}
    )
    assert response.status_code in (403, 404)
    assert len(stored_files(data_dir)) == 1


@pytest.mark.parametrize("who", ["other_caseworker", "other_supervisor", "outsider"])
def test_another_case_s_attachment_cannot_be_deleted(personas, attach, client_for, who, data_dir):
    attachment = attach(PNG)
    response = client_for(getattr(personas, who)).post(
        delete_url(attachment), {"reason": "Not needed"}
    )
    assert response.status_code == 404
    assert len(stored_files(data_dir)) == 1


def test_erasure_destroys_every_file_of_the_case_and_its_titles(
    personas, case, attach, case_for, data_dir
):
    kept_case = case_for(personas.caseworker)
    first, second = attach(PNG, title="Passport of the service user"), attach(PDF)
    delete_attachment(second, reason="Wrong file", acting_user=personas.caseworker)
    other = attach(PNG, on=kept_case)
    assert destroy_case_attachments(case, None) == 1
    assert [path.name for path in stored_files(data_dir)] == [other.storage_name]
    for attachment in Attachment.objects.filter(case=case):
        assert attachment.is_deleted
        assert attachment.title == "" and attachment.original_name == ""
        assert attachment.deletion_reason == ""
    first.refresh_from_db()
    assert first.deleted_by is None
    # Kind, type and size stay for the statistics.
    assert (first.kind, first.content_type, first.size) == ("photo", "image/png", len(PNG))
    erased = AuditEvent.objects.filter(event_type=AuditEventType.ATTACHMENT_DELETED)
    assert erased.count() == 2  # the deletion, then the erasure of the other one
    assert destroy_case_attachments(case, personas.supervisor) == 0
