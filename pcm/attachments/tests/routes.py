"""Role matrix entries for the URLs of pcm.attachments.

The foreign records are attachments of cases the role must not see, asked for by their own
public id (not the case's): a download of another case's file must fail like a missing one.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.core.files.uploadedfile import SimpleUploadedFile

from pcm.attachments.actions import upload_attachment
from pcm.attachments.models import Attachment, AttachmentKind, FileType
from pcm.attachments.storage import new_storage_name
from pcm.cases.models import Case
from tests.matrix import Route, World, hidden_cases, own_case

CASE_WORKERS = {"caseworker", "supervisor"}

# A tiny PNG: enough for the type check.
_PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32


def _record_only(case: Case) -> Attachment:
    """An attachment row of CASE (its file is never reached by a refused request)."""
    last = Attachment.objects.filter(case=case).count()
    assert case.assigned_to is not None
    return Attachment.objects.create(
        case=case,
        number=last + 1,
        kind=AttachmentKind.IDENTITY_DOCUMENT,
        title=f"Identity card of {case.person.given_name}",
        original_name=f"{case.person.family_name}.png",
        content_type=FileType.PNG,
        size=len(_PNG),
        storage_name=new_storage_name(),
        uploaded_by=case.assigned_to,
    )


def hidden_attachments(world: World, role: str) -> Iterator[dict[str, object]]:
    for case in world.cases_hidden_from(role):
        yield {"public_id": _record_only(case).public_id}


def own_attachment(world: World, role: str) -> dict[str, object]:
    """An attachment of the caseworker's case, stored for real (the download reads it)."""
    case = world.mine
    assert case.assigned_to is not None
    attachment = upload_attachment(
        case,
        kind=AttachmentKind.PHOTO,
        title="Photo",
        uploaded=SimpleUploadedFile("photo.png", _PNG, content_type="image/png"),
        acting_user=case.assigned_to,
    )
    return {"public_id": attachment.public_id}


ROUTES: dict[str, Route] = {
    "attachments:upload": Route(
        allowed=CASE_WORKERS, foreign=hidden_cases, own=own_case, methods=("GET", "POST")
    ),
    "attachments:download": Route(
        allowed=CASE_WORKERS, foreign=hidden_attachments, own=own_attachment, methods=("GET",)
    ),
    "attachments:delete": Route(
        allowed=CASE_WORKERS, foreign=hidden_attachments, own=own_attachment
    ),
}
