"""The keyring: the keys that protect identifying data, kept outside the database.

A keyring holds
- data keys (AES-256), one of them active for new writes; older ones stay until rotation has
  re-encrypted every value written with them;
- the index key, for the keyed hashes (blind indexes) that let PCM search encrypted names and
  phone numbers;
- the audit key, for the audit trail's hash chain (never destroyed by the emergency purge, so the
  trail stays verifiable).

It is read from the environment variable PCM_KEYRING (the JSON text itself, or PCM_KEYRING_FILE
naming a file holding it, as for every PCM secret) or else from the file PCM_KEYRING_PATH
(default: var/keys/keyring.json), which is created with fresh random keys on first use. Database
backups never contain it: see docs/admin-guide.md for where to keep it and how to back it up.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

KEY_BYTES = 32
_FORMAT_VERSION = 1


class KeyringReadOnly(ImproperlyConfigured):
    """The keyring comes from the environment: PCM cannot rewrite it."""


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(text, validate=True)
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"The keyring's {what} is not valid base64.") from exc
    if len(raw) != KEY_BYTES:
        raise ImproperlyConfigured(f"The keyring's {what} must be {KEY_BYTES} bytes.")
    return raw


def new_key_id() -> str:
    return secrets.token_hex(4)


@dataclass
class Keyring:
    data_keys: dict[str, bytes]
    active: str
    index_key: bytes
    audit_key: bytes
    # Generation counts emergency purges: a purge replaces every data and index key.
    generation: int = 1
    path: Path | None = field(default=None, compare=False)

    @classmethod
    def generate(cls, path: Path | None = None) -> Keyring:
        key_id = new_key_id()
        return cls(
            data_keys={key_id: secrets.token_bytes(KEY_BYTES)},
            active=key_id,
            index_key=secrets.token_bytes(KEY_BYTES),
            audit_key=secrets.token_bytes(KEY_BYTES),
            path=path,
        )

    @classmethod
    def from_json(cls, text: str, path: Path | None = None) -> Keyring:
        try:
            data = json.loads(text)
            keys = {str(k): _unb64(v, f"data key {k}") for k, v in data["data_keys"].items()}
            keyring = cls(
                data_keys=keys,
                active=str(data["active"]),
                index_key=_unb64(data["index_key"], "index key"),
                audit_key=_unb64(data["audit_key"], "audit key"),
                generation=int(data.get("generation", 1)),
                path=path,
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            where = str(path) if path else "PCM_KEYRING"
            raise ImproperlyConfigured(f"The keyring in {where} cannot be read: {exc!r}") from exc
        if keyring.active not in keyring.data_keys:
            raise ImproperlyConfigured("The keyring's active key is not among its data keys.")
        return keyring

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": _FORMAT_VERSION,
                "generation": self.generation,
                "active": self.active,
                "data_keys": {k: _b64(v) for k, v in self.data_keys.items()},
                "index_key": _b64(self.index_key),
                "audit_key": _b64(self.audit_key),
            },
            indent=2,
        )

    @property
    def active_key(self) -> bytes:
        return self.data_keys[self.active]


_lock = threading.Lock()
_cached: Keyring | None = None
_checked_at = 0.0
_file_stamp: tuple[int, int] | None = None
# How often a process looks whether the keyring file changed (rotation or purge elsewhere).
RECHECK_SECONDS = 1.0


def keyring_path() -> Path:
    return Path(getattr(settings, "PCM_KEYRING_PATH", settings.DATA_DIR / "keys" / "keyring.json"))


def _from_environment() -> str:
    file_name = os.environ.get("PCM_KEYRING_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8")
        except OSError as exc:
            raise ImproperlyConfigured(
                f"PCM_KEYRING_FILE={file_name} cannot be read: {exc}"
            ) from exc
    return os.environ.get("PCM_KEYRING", "")


def write_keyring(keyring: Keyring) -> None:
    """Replace the keyring file atomically (owner-only permissions)."""
    if keyring.path is None:
        raise KeyringReadOnly(
            "The keyring comes from PCM_KEYRING: change it there (docs/admin-guide.md)."
        )
    path = keyring.path
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(keyring.to_json())
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def _create_file(path: Path) -> None:
    """Create PATH with fresh keys unless another process just did."""
    keyring = Keyring.generate(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(keyring.to_json())
        handle.flush()
        os.fsync(handle.fileno())
    try:
        os.link(temporary, path)  # fails if it exists: the first process to create it wins
        logger.warning("Created a new keyring at %s: back it up apart from the database.", path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink()


def load_keyring() -> Keyring:
    text = _from_environment()
    if text.strip():
        return Keyring.from_json(text)
    path = keyring_path()
    if not path.exists():
        _create_file(path)
    return Keyring.from_json(path.read_text(encoding="utf-8"), path)


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    return (info.st_mtime_ns, info.st_ino)


def keyring() -> Keyring:
    """The keyring in use: read once per process, and again when its file changes."""
    global _cached, _checked_at, _file_stamp
    current = _cached
    if current is not None and current.path is not None:
        now = time.monotonic()
        if now - _checked_at > RECHECK_SECONDS:
            _checked_at = now
            if _stamp(current.path) != _file_stamp:
                forget_keyring()
                current = None
    if current is None:
        with _lock:
            if _cached is None:
                _cached = load_keyring()
                _file_stamp = _stamp(_cached.path) if _cached.path else None
                _checked_at = time.monotonic()
            current = _cached
    return current


def forget_keyring() -> None:
    """Drop the keyring from memory: the next use reads it again (after rotation, purge, tests)."""
    global _cached
    with _lock:
        _cached = None
    from pcm.vault import crypto

    crypto.forget_ciphers()
