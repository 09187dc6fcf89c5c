"""Key rotation re-seals attachment files with the active key and holds old keys until then."""

from __future__ import annotations

import secrets

import pytest
from django.core.checks import run_checks

from pcm.attachments import storage
from pcm.attachments.key_rotation import reencrypt, references
from pcm.attachments.tests.conftest import PDF, PNG
from pcm.vault.crypto import encrypt_bytes, key_id_of_bytes
from pcm.vault.keys import forget_keyring, keyring, new_key_id, write_keyring


@pytest.fixture
def own_keyring(settings, tmp_path):
    """A keyring of this test's own, so changing it touches no other test."""
    settings.PCM_KEYRING_PATH = tmp_path / "keys" / "keyring.json"
    forget_keyring()
    yield
    forget_keyring()


def add_active_key() -> str:
    ring = keyring()
    key_id = new_key_id()
    ring.data_keys[key_id] = secrets.token_bytes(32)
    ring.active = key_id
    write_keyring(ring)
    forget_keyring()
    return key_id


def test_rotation_reseals_old_files_and_is_resumable(own_keyring, personas, attach):
    first, second = attach(PNG), attach(PDF)
    old = keyring().active
    new = add_active_key()
    assert key_id_of_bytes(storage.read_sealed(first.storage_name)) == old
    assert references({old}) == 2  # the old key may not be retired yet
    assert reencrypt() == 2
    assert references({old}) == 0
    for attachment, content in ((first, PNG), (second, PDF)):
        assert key_id_of_bytes(storage.read_sealed(attachment.storage_name)) == new
        assert storage.read_decrypted(attachment.storage_name, attachment.encryption_context) == (
            content
        )
    assert reencrypt() == 0  # nothing left: a second run after an interruption is a no-op
    # The old key can now go.
    ring = keyring()
    del ring.data_keys[old]
    write_keyring(ring)
    forget_keyring()
    assert storage.read_decrypted(first.storage_name, first.encryption_context) == PNG


def test_the_system_check_refuses_attachments_inside_the_web_root(settings, data_dir):
    settings.STATIC_ROOT = data_dir
    errors = [error for error in run_checks() if error.id == "attachments.E001"]
    assert errors
    settings.STATIC_ROOT = data_dir / "static"
    assert not [error for error in run_checks() if error.id == "attachments.E001"]


def test_key_file_ids_are_read_from_the_header(own_keyring):
    assert key_id_of_bytes(b"not sealed") is None
    assert key_id_of_bytes(encrypt_bytes(b"content", "attachment:x")) == keyring().active
