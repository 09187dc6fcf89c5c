"""An attachment of a case: a scanned consent form, a document or a photo.

The file itself lives encrypted outside the database (pcm.attachments.storage), under a random
name. The database keeps what the case page lists: its kind, a title and the original file name
(both encrypted: they may identify someone), the type found by looking at its content, and its
size. Nothing else derived from the content is kept: a hash of it would confirm a guessed
document. A deleted attachment stays listed (who deleted it, when, why) but its file is gone.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcm.vault.fields import EncryptedCharField

TITLE_MAX_LENGTH = 120
REASON_MAX_LENGTH = 300


class AttachmentKind(models.TextChoices):
    CONSENT_FORM = "consent_form", _("Consent form")
    IDENTITY_DOCUMENT = "identity_document", _("Identity document")
    MEDICAL_LEGAL = "medical_legal", _("Medical or legal document")
    PHOTO = "photo", _("Photo")
    OTHER = "other", _("Other document")


class FileType(models.TextChoices):
    """The accepted types, found from the file's first bytes (never from its name)."""

    PDF = "application/pdf", "PDF"
    JPEG = "image/jpeg", "JPEG"
    PNG = "image/png", "PNG"
    WEBP = "image/webp", "WebP"
    HEIC = "image/heic", "HEIC"


EXTENSIONS = {
    FileType.PDF: "pdf",
    FileType.JPEG: "jpg",
    FileType.PNG: "png",
    FileType.WEBP: "webp",
    FileType.HEIC: "heic",
}


class Attachment(models.Model):
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # 1, 2, 3... within the case: the download is named "<case number>-attachment-<number>".
    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=30, choices=AttachmentKind.choices)
    title = EncryptedCharField(_("title"), max_length=TITLE_MAX_LENGTH, blank=True)
    original_name = EncryptedCharField(_("original file name"), max_length=255, blank=True)
    content_type = models.CharField(_("file type"), max_length=40, choices=FileType.choices)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    # A random name, unrelated to the case, the person or the content.
    storage_name = models.CharField(max_length=64, unique=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deleted by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    deletion_reason = EncryptedCharField(
        _("reason for deletion"), max_length=REASON_MAX_LENGTH, blank=True
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["case", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="attachment_number_per_case")
        ]

    def __str__(self) -> str:
        return f"attachment {self.number} of case {self.case_id}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def size_display(self) -> str:
        from pcm.attachments.rules import format_size

        return format_size(self.size)

    @property
    def file_type(self) -> FileType:
        return FileType(self.content_type)

    @property
    def encryption_context(self) -> str:
        """Bound to the ciphertext: a file moved under another attachment does not decrypt."""
        return f"attachment:{self.public_id}"

    def download_name(self) -> str:
        """A generic name that says which case and which attachment, never the original name."""
        number = "".join(c if c.isascii() and c.isalnum() else "-" for c in self.case.number)
        return f"{number}-attachment-{self.number}.{EXTENSIONS[self.file_type]}"
