"""Every vault test works on its own keyring file and data directory, never on the shared ones
(a purge destroys attachment files under DATA_DIR; a rotation retires keys)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pcm.vault import keys


@pytest.fixture(autouse=True)
def own_keyring(settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh keyring in tmp_path (created on first use); the usual one again afterwards."""
    monkeypatch.delenv("PCM_KEYRING", raising=False)
    monkeypatch.delenv("PCM_KEYRING_FILE", raising=False)
    path = tmp_path / "keys" / "keyring.json"
    settings.PCM_KEYRING_PATH = path
    settings.DATA_DIR = tmp_path / "data"
    keys.forget_keyring()
    yield path
    keys.forget_keyring()
