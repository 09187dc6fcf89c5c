"""Where attachment files live: DATA_DIR/attachments, encrypted, owner-only, never web-served.

Each file is sealed with the keyring's active data key (pcm.vault.crypto.encrypt_bytes), bound
to its attachment, and written atomically (a temporary file in the same directory, flushed to
disk, then renamed) under a random name. The directory and files are readable by the owner of
the PCM process only. It lies outside STATIC_ROOT, and PCM serves no media directory: a file
reaches a browser only through the download view, which asks the access policy first.

Destroying a file overwrites its bytes with random data before unlinking it. On SSDs and
copy-on-write file systems the old blocks may survive an overwrite; they are ciphertext, and the
emergency purge destroys the keys that could read them.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path

from django.conf import settings

from pcm.vault import crypto

DIRECTORY_NAME = "attachments"
_TEMPORARY_PREFIX = ".upload-"
_CHUNK = 1024 * 1024


class FileMissing(Exception):
    """The stored file is not there (destroyed by a deletion or the emergency purge)."""


def storage_dir(create: bool = True) -> Path:
    directory = Path(settings.DATA_DIR) / DIRECTORY_NAME
    if create and not directory.is_dir():
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    if create:
        os.chmod(directory, 0o700)
    return directory


def new_storage_name() -> str:
    """A random name: nothing about the case, the person or the content."""
    return secrets.token_hex(16)


def _path(storage_name: str) -> Path:
    if not storage_name or "/" in storage_name or "\\" in storage_name or "." in storage_name:
        raise ValueError("not a storage name")
    return storage_dir() / storage_name


def _fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _write_atomically(storage_name: str, data: bytes) -> None:
    """DATA as STORAGE_NAME: a temporary file flushed to disk, then renamed over the name."""
    target = _path(storage_name)
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=_TEMPORARY_PREFIX)
    try:
        os.fchmod(descriptor, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    _fsync_directory(target.parent)


def write_encrypted(storage_name: str, content: bytes, context: str) -> None:
    """Seal CONTENT and store it as STORAGE_NAME, atomically, readable by the owner only."""
    _write_atomically(storage_name, crypto.encrypt_bytes(content, context))


def replace_sealed(storage_name: str, sealed: bytes) -> None:
    """Write already sealed bytes over STORAGE_NAME atomically (key rotation)."""
    _write_atomically(storage_name, sealed)


def read_sealed(storage_name: str) -> bytes:
    try:
        return _path(storage_name).read_bytes()
    except FileNotFoundError as exc:
        raise FileMissing(storage_name) from exc


def read_decrypted(storage_name: str, context: str) -> bytes:
    """The plaintext, in memory. FileMissing if gone; crypto.Unreadable if its key is gone."""
    return crypto.decrypt_bytes(read_sealed(storage_name), context)


def _overwrite_and_unlink(path: Path) -> bool:
    """Overwrite PATH with random bytes, then remove it. False if it was not there."""
    try:
        descriptor = os.open(path, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return False
    except OSError:
        # A symbolic link (O_NOFOLLOW) or something else odd: never write through it.
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        return True
    try:
        remaining = os.fstat(descriptor).st_size
        while remaining > 0:
            chunk = min(remaining, _CHUNK)
            os.write(descriptor, secrets.token_bytes(chunk))
            remaining -= chunk
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    return True


def destroy(storage_name: str) -> bool:
    """Destroy the stored file STORAGE_NAME; False if there was none (already destroyed)."""
    destroyed = _overwrite_and_unlink(_path(storage_name))
    if destroyed:
        _fsync_directory(storage_dir())
    return destroyed


def destroy_everything() -> int:
    """Destroy every file in the attachment directory, finished or half-written."""
    directory = storage_dir(create=False)
    if not directory.is_dir():
        return 0
    count = 0
    with os.scandir(directory) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                continue
            if _overwrite_and_unlink(Path(entry.path)):
                count += 1
    _fsync_directory(directory)
    return count


def stored_names() -> list[str]:
    """The names of the finished files in the directory (not the half-written ones)."""
    directory = storage_dir(create=False)
    if not directory.is_dir():
        return []
    return sorted(
        entry.name
        for entry in os.scandir(directory)
        if entry.is_file(follow_symlinks=False) and not entry.name.startswith(_TEMPORARY_PREFIX)
    )
