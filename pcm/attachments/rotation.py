"""Key rotation for attachment files: re-seal with the active key what an older key sealed.

For the key rotation command (encrypted database fields are found by
pcm.vault.fields.encrypted_fields; files are not fields). Each file is rewritten atomically, so
an interrupted run leaves every file readable and a new run carries on where it stopped.
"""

from __future__ import annotations

from pcm.attachments import storage
from pcm.attachments.models import Attachment
from pcm.vault import crypto
from pcm.vault.keys import keyring

_FILE_MAGIC = b"PCMF1"  # the header of pcm.vault.crypto.encrypt_bytes


def file_key_id(sealed: bytes) -> str | None:
    """The id of the key that sealed SEALED (from its header), None if not a sealed file."""
    if not sealed.startswith(_FILE_MAGIC):
        return None
    length = sealed[len(_FILE_MAGIC)]
    start = len(_FILE_MAGIC) + 1
    return sealed[start : start + length].decode("ascii", "replace")


def rotate_files(batch_size: int = 100) -> int:
    """Re-seal with the active key every live file sealed with another; the number re-sealed.

    A file whose key is already gone (or that is missing) is left alone: nothing can read it.
    """
    active = keyring().active
    resealed = 0
    live = Attachment.objects.filter(deleted_at__isnull=True).order_by("pk")
    for attachment in live.iterator(chunk_size=batch_size):
        try:
            sealed = storage.read_sealed(attachment.storage_name)
        except storage.FileMissing:
            continue
        if file_key_id(sealed) == active:
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
