"""The emergency purge destroys every stored attachment file."""

from __future__ import annotations

import os

from pcm.attachments.models import Attachment
from pcm.attachments.purge import purge
from pcm.attachments.tests.conftest import PDF, PNG, stored_files
from pcm.core.discovery import app_modules


def test_purge_destroys_every_file(personas, attach, case_for, data_dir):
    other = case_for(personas.other_caseworker)
    attach(PNG)
    attach(PDF)
    attach(PNG, on=other)
    half_written = data_dir / "attachments" / ".upload-interrupted"
    half_written.write_bytes(b"sealed bytes of an interrupted upload")
    witness = data_dir / "witness"
    os.link(half_written, witness)
    assert purge() == 4
    assert stored_files(data_dir) == []
    assert witness.read_bytes() != b"sealed bytes of an interrupted upload"
    # The records stay, for the statistics; there is just nothing left to read.
    assert Attachment.objects.count() == 3


def test_purge_with_nothing_stored_is_quiet(db, data_dir):
    assert purge() == 0


def test_the_emergency_purge_finds_it(db):
    modules = {module.__name__ for module in app_modules("purge")}
    assert "pcm.attachments.purge" in modules
