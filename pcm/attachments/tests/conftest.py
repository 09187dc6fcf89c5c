"""Fixtures for attachment tests: a private data directory, Layla's open case, sample files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import Personas
from pcm.attachments.models import Attachment
from pcm.cases.models import Case, CaseStatus

# Found in each sample's bytes: a stored (encrypted) file must not contain it.
MARKER = b"PCM-PLAINTEXT-MARKER-7f3a9c"

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + MARKER + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n" + MARKER + b"\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + MARKER + b"\xff\xd9"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + MARKER + b"This program cannot be run in DOS mode."


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path: Path) -> Path:
    """Each test stores its files in its own directory (the purge test destroys them all)."""
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def case(personas: Personas, case_for: Callable[..., Case]) -> Case:
    return case_for(personas.caseworker, status=CaseStatus.ASSESSMENT, number="APN-IQ-2026-00042")


def upload_url(case: Case) -> str:
    return reverse("attachments:upload", kwargs={"public_id": case.public_id})


def download_url(attachment: Attachment) -> str:
    return reverse("attachments:download", kwargs={"public_id": attachment.public_id})


def delete_url(attachment: Attachment) -> str:
    return reverse("attachments:delete", kwargs={"public_id": attachment.public_id})


def sample(content: bytes, name: str = "scan.pdf", browser_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=browser_type)


def post_upload(
    client: Client,
    case: Case,
    content: bytes,
    *,
    name: str = "Zainab consent scan.pdf",
    title: str = "Signed consent form",
    kind: str = "consent_form",
):
    return client.post(
        upload_url(case), {"kind": kind, "title": title, "file": sample(content, name)}
    )


@pytest.fixture
def attach(personas: Personas, case: Case) -> Callable[..., Attachment]:
    """attach(content=PNG, **fields): an attachment stored on CASE by Layla, through the action."""
    from pcm.attachments.actions import upload_attachment

    def make(content: bytes = PNG, *, on: Case | None = None, title: str = "Photo") -> Attachment:
        target = on or case
        assert target.assigned_to is not None
        return upload_attachment(
            target,
            kind="photo",
            title=title,
            uploaded=sample(content, "IMG_0001.png", "image/png"),
            acting_user=target.assigned_to,
        )

    return make


def stored_files(data_dir: Path) -> list[Path]:
    directory = data_dir / "attachments"
    return sorted(path for path in directory.iterdir()) if directory.is_dir() else []
