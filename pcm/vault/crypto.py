"""Authenticated encryption (AES-256-GCM) of values and files with the keyring's data keys.

A value is stored as `pcm1$<key id>$<base64 of nonce + ciphertext + tag>`. The context (the
column's name for fields, the file's purpose for attachments) is bound as associated data, so
a ciphertext moved to another column does not decrypt.
"""

from __future__ import annotations

import base64
import binascii
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from pcm.vault.keys import keyring

PREFIX = "pcm1$"
_FILE_MAGIC = b"PCMF1"
_NONCE_BYTES = 12

_ciphers: dict[tuple[int, str], AESGCM] = {}


class Unreadable(Exception):
    """The value cannot be decrypted: its key is gone (purge, retired key) or it was altered."""


def forget_ciphers() -> None:
    _ciphers.clear()


def _cipher(key_id: str) -> AESGCM:
    ring = keyring()
    cache_key = (ring.generation, key_id)
    cipher = _ciphers.get(cache_key)
    if cipher is None:
        try:
            cipher = AESGCM(ring.data_keys[key_id])
        except KeyError as exc:
            raise Unreadable(f"key {key_id} is not in the keyring") from exc
        _ciphers[cache_key] = cipher
    return cipher


def is_encrypted(stored: str) -> bool:
    return stored.startswith(PREFIX)


def key_id_of(stored: str) -> str | None:
    if not is_encrypted(stored):
        return None
    return stored[len(PREFIX) :].split("$", 1)[0]


def encrypt_text(plaintext: str, context: str, key_id: str | None = None) -> str:
    """PLAINTEXT sealed for CONTEXT with the active data key (or the data key KEY_ID)."""
    key_id = key_id or keyring().active
    nonce = os.urandom(_NONCE_BYTES)
    sealed = _cipher(key_id).encrypt(nonce, plaintext.encode("utf-8"), context.encode("utf-8"))
    return f"{PREFIX}{key_id}${base64.b64encode(nonce + sealed).decode('ascii')}"


def decrypt_text(stored: str, context: str) -> str:
    """The plaintext of STORED; raises Unreadable if it cannot be decrypted."""
    if not stored.startswith(PREFIX):
        raise Unreadable("not a PCM ciphertext")
    try:
        key_id, payload = stored[len(PREFIX) :].split("$", 1)
        raw = base64.b64decode(payload, validate=True)
    except (ValueError, binascii.Error) as exc:
        raise Unreadable("malformed ciphertext") from exc
    if base64.b64encode(raw).decode("ascii") != payload:
        # Base64 ignores the unused bits of its last character: only the canonical form counts.
        raise Unreadable("malformed ciphertext")
    nonce, sealed = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:]
    if len(nonce) != _NONCE_BYTES:
        raise Unreadable("truncated ciphertext")
    try:
        plain = _cipher(key_id).decrypt(nonce, sealed, context.encode("utf-8"))
    except InvalidTag as exc:
        raise Unreadable("the ciphertext was altered or belongs elsewhere") from exc
    return plain.decode("utf-8")


def encrypt_bytes(content: bytes, context: str) -> bytes:
    """Seal CONTENT (an attachment, an export) for storage on disk."""
    ring = keyring()
    key_id = ring.active.encode("ascii")
    nonce = os.urandom(_NONCE_BYTES)
    sealed = _cipher(ring.active).encrypt(nonce, content, context.encode("utf-8"))
    return _FILE_MAGIC + bytes([len(key_id)]) + key_id + nonce + sealed


def key_id_of_bytes(stored: bytes) -> str | None:
    """The id of the data key that sealed STORED (a file from encrypt_bytes), if it is one."""
    if not stored.startswith(_FILE_MAGIC) or len(stored) <= len(_FILE_MAGIC):
        return None
    offset = len(_FILE_MAGIC)
    length = stored[offset]
    return stored[offset + 1 : offset + 1 + length].decode("ascii", "replace")


def decrypt_bytes(stored: bytes, context: str) -> bytes:
    """The content of STORED (from encrypt_bytes); raises Unreadable if it cannot be opened."""
    key_id = key_id_of_bytes(stored)
    if key_id is None:
        raise Unreadable("not a PCM encrypted file")
    body = stored[len(_FILE_MAGIC) + 1 + stored[len(_FILE_MAGIC)] :]
    nonce, sealed = body[:_NONCE_BYTES], body[_NONCE_BYTES:]
    if len(nonce) != _NONCE_BYTES:
        raise Unreadable("truncated file")
    try:
        return _cipher(key_id).decrypt(nonce, sealed, context.encode("utf-8"))
    except InvalidTag as exc:
        raise Unreadable("the file was altered or belongs elsewhere") from exc
