"""Attaching, downloading, deleting and destroying the files of a case.

Every change records an audit event in its transaction, naming the attachment and its kind,
never its title, file name or content. Each download is audited too.
"""

from __future__ import annotations

import uuid

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pcm.accounts.models import User
from pcm.attachments import permissions, rules, storage
from pcm.attachments.models import (
    REASON_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Attachment,
    AttachmentKind,
    FileType,
)
from pcm.audit.actions import record_event
from pcm.audit.models import AuditEventType
from pcm.cases.models import Case
from pcm.core.errors import ActionRefused
from pcm.vault.crypto import Unreadable


def _detail(attachment: Attachment, **extra: str) -> dict[str, str]:
    return {"attachment": str(attachment.public_id), "kind": attachment.kind, **extra}


def _clean_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise ActionRefused(_("Give the attachment a title, e.g. “Signed consent form”."))
    if len(title) > TITLE_MAX_LENGTH:
        raise ActionRefused(
            _("The title is too long: keep it under %(limit)d characters.")
            % {"limit": TITLE_MAX_LENGTH}
        )
    return title


def store_attachment(
    case: Case,
    *,
    kind: str,
    title: str,
    original_name: str,
    content: bytes,
    file_type: FileType,
    uploaded_by: User,
) -> Attachment:
    """Encrypt CONTENT to disk and record it (checked content only: see upload_attachment)."""
    if kind not in AttachmentKind.values:
        raise ActionRefused(_("Choose what kind of document this is."))
    title = _clean_title(title)
    public_id = uuid.uuid4()
    storage_name = storage.new_storage_name()
    attachment = Attachment(
        case=case,
        public_id=public_id,
        kind=kind,
        title=title,
        original_name=original_name[:255],
        content_type=file_type.value,
        size=len(content),
        storage_name=storage_name,
        uploaded_by=uploaded_by,
    )
    storage.write_encrypted(storage_name, content, attachment.encryption_context)
    try:
        with transaction.atomic():
            # Lock the case so two uploads at once do not take the same number.
            list(Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True))
            last = Attachment.objects.filter(case=case).aggregate(last=Max("number"))["last"]
            attachment.number = (last or 0) + 1
            attachment.save()
            record_event(
                AuditEventType.ATTACHMENT_UPLOADED,
                actor=uploaded_by,
                target=attachment,
                agency=case.agency,
                fields=["kind", "title", "original_name", "file"],
                detail=_detail(attachment, type=attachment.content_type),
            )
    except BaseException:
        storage.destroy(storage_name)
        raise
    return attachment


def upload_attachment(
    case: Case, *, kind: str, title: str, uploaded: UploadedFile, acting_user: User
) -> Attachment:
    """Check UPLOADED (size, type by content) and attach it to CASE, encrypted."""
    if not permissions.may_upload(acting_user, case):
        raise ActionRefused(
            _("Only the caseworker or the supervisor of an open case can attach files to it.")
        )
    content, file_type = rules.checked_content(uploaded)
    return store_attachment(
        case,
        kind=kind,
        title=title,
        original_name=uploaded.name or "",
        content=content,
        file_type=file_type,
        uploaded_by=acting_user,
    )


def _unavailable(attachment: Attachment) -> ActionRefused:
    if attachment.is_deleted:
        return ActionRefused(
            _("This attachment was deleted on %(when)s; its file no longer exists.")
            % {"when": date_format(timezone.localtime(attachment.deleted_at), "SHORT_DATE_FORMAT")}
        )
    return ActionRefused(
        _("This file can no longer be read: it was destroyed, or its key is gone.")
    )


def download_attachment(attachment: Attachment, *, acting_user: User) -> bytes:
    """The decrypted content of ATTACHMENT, for USER, who may see the case; audited."""
    case = attachment.case
    if not permissions.may_see_attachments(acting_user, case):
        raise ActionRefused(_("Your role does not see the documents of cases."))
    if attachment.is_deleted:
        raise _unavailable(attachment)
    try:
        content = storage.read_decrypted(attachment.storage_name, attachment.encryption_context)
    except (storage.FileMissing, Unreadable):
        raise _unavailable(attachment) from None
    record_event(
        AuditEventType.ATTACHMENT_DOWNLOADED,
        actor=acting_user,
        target=attachment,
        agency=case.agency,
        detail=_detail(attachment),
    )
    return content


def delete_attachment(attachment: Attachment, *, reason: str, acting_user: User) -> Attachment:
    """Delete ATTACHMENT with a reason: it stays listed as deleted, its file is destroyed."""
    case = attachment.case
    if not permissions.may_delete(acting_user, case):
        raise ActionRefused(
            _("Only the caseworker or the supervisor of an open case can delete its attachments.")
        )
    reason = " ".join(reason.split())
    if not reason:
        raise ActionRefused(
            _("Say why the attachment is deleted, e.g. “Attached to the wrong case”.")
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ActionRefused(
            _("The reason is too long: keep it under %(limit)d characters.")
            % {"limit": REASON_MAX_LENGTH}
        )
    with transaction.atomic():
        locked = Attachment.objects.select_for_update().get(pk=attachment.pk)
        if locked.is_deleted:
            raise ActionRefused(_("This attachment has already been deleted."))
        locked.deleted_at = timezone.now()
        locked.deleted_by = acting_user
        locked.deletion_reason = reason
        locked.save(update_fields=["deleted_at", "deleted_by", "deletion_reason"])
        record_event(
            AuditEventType.ATTACHMENT_DELETED,
            actor=acting_user,
            target=attachment,
            agency=case.agency,
            fields=["file", "deletion_reason"],
            detail=_detail(locked),
        )
        # Last, once the row says deleted: a failure above leaves the file as it was.
        storage.destroy(locked.storage_name)
    return locked


def destroy_case_attachments(case: Case, actor: User | None) -> int:
    """For anonymisation and erasure: destroy every file of CASE and erase its titles and file
    names. The rows stay (kind, type, size, dates) for statistics. Returns the number of files
    destroyed."""
    destroyed = 0
    now = timezone.now()
    with transaction.atomic():
        for attachment in Attachment.objects.select_for_update().filter(case=case):
            newly_deleted = not attachment.is_deleted
            if newly_deleted:
                attachment.deleted_at = now
                attachment.deleted_by = actor
            attachment.title = ""
            attachment.original_name = ""
            attachment.deletion_reason = ""
            attachment.save()
            if newly_deleted:
                record_event(
                    AuditEventType.ATTACHMENT_DELETED,
                    actor=actor,
                    target=attachment,
                    agency=case.agency,
                    fields=["file", "title", "original_name"],
                    detail=_detail(attachment, reason="erasure"),
                )
            if storage.destroy(attachment.storage_name):
                destroyed += 1
    return destroyed
