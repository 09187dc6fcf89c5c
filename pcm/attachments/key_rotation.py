"""Key rotation for attachment files (the `<app>.key_rotation` hooks of pcm.vault.rotation).

Encrypted database fields are found by pcm.vault.fields.encrypted_fields; files are not
fields, so this module re-seals them and says which keys they still need. Each file is
rewritten atomically: an interrupted run leaves every file readable, and a new run carries on.
"""

from __future__ import annotations

from collections.abc import Iterator

from pcm.attachments import storage
from pcm.attachments.models import Attachment
from pcm.vault import crypto
from pcm.vault.keys import keyring


def _live_files(batch_size: int) -> Iterator[tuple[Attachment, bytes]]:
    live = Attachment.objects.filter(deleted_at__isnull=True).order_by("pk")
    for attachment in live.iterator(chunk_size=batch_size):
        try:
            yield attachment, storage.read_sealed(attachment.storage_name)
        except storage.FileMissing:
            continue


def reencrypt(batch_size: int = 100) -> int:
    """Re-seal with the active key every live file sealed with another; the number re-sealed.

    A file whose key is already gone (or that is missing) is left alone: nothing can read it.
    """
    active = keyring().active
    resealed = 0
    for attachment, sealed in _live_files(batch_size):
        if crypto.key_id_of_bytes(sealed) == active:
            continue
        try:
            content = crypto.decrypt_bytes(sealed, attachment.encryption_context)
        except crypto.Unreadable:
            continue
        storage.replace_sealed(
            attachment.storage_name, crypto.encrypt_bytes(content, attachment.encryption_context)
        )
        resealed += 1
    return resealed


def references(key_ids: set[str], batch_size: int = 100) -> int:
    """How many live, readable files the keys KEY_IDS still seal (old keys wait until 0)."""
    count = 0
    for attachment, sealed in _live_files(batch_size):
        if crypto.key_id_of_bytes(sealed) not in key_ids:
            continue
        try:
            crypto.decrypt_bytes(sealed, attachment.encryption_context)
        except crypto.Unreadable:
            continue
        count += 1
    return count
