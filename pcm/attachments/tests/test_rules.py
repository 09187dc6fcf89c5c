"""The checks: the type comes from the content, never from the name; sizes are said plainly."""

from __future__ import annotations

import pytest
from django.utils import translation

from pcm.attachments import rules
from pcm.attachments.models import FileType
from pcm.attachments.tests.conftest import EXE, JPEG, PDF, PNG, sample
from pcm.core.errors import ActionRefused

WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 20
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 20


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF, FileType.PDF),
        (JPEG, FileType.JPEG),
        (PNG, FileType.PNG),
        (WEBP, FileType.WEBP),
        (HEIC, FileType.HEIC),
        (EXE, None),
        (b"PK\x03\x04" + b"\x00" * 30, None),
        (b"GIF89a" + b"\x00" * 30, None),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>", None),
        (b"  %PDF-1.4 not at the start", None),
    ],
)
def test_it_tells_the_type_from_the_first_bytes(content, expected):
    assert rules.sniff(content) == expected


@pytest.mark.parametrize(
    ("content", "what"),
    [
        (EXE, "This file is a Windows program;"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 20, "This file is a program;"),
        (b"#!/bin/sh\nrm -rf /\n", "This file is a script;"),
        (b"PK\x03\x04" + b"\x00" * 30, "This file is a ZIP archive or an Office document"),
        (b"GIF89a" + b"\x00" * 30, "This file is a GIF image;"),
        (b"<!DOCTYPE html><html><body>hi</body></html>", "This file is a web page;"),
        (b"<?xml version='1.0'?><svg></svg>", "This file is an SVG drawing;"),
        (b"Dear caseworker,\nplease find attached...", "This file is a text file;"),
        (bytes(range(256)) * 2, "This type of file is not recognised;"),
    ],
)
def test_a_refused_type_is_named_with_what_to_upload_instead(content, what):
    message = rules.type_refusal(content)
    assert message.startswith(what)
    assert message.endswith("upload a PDF, JPEG, PNG, HEIC or WebP file.")


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        (0, "0 bytes"),
        (1, "1 byte"),
        (820, "820 bytes"),
        (35 * 1024, "35 KB"),
        (int(14.2 * 1024 * 1024), "14.2 MB"),
        (10 * 1024 * 1024, "10 MB"),
    ],
)
def test_sizes_are_shown_for_people(size, shown):
    assert rules.format_size(size) == shown


def test_sizes_follow_the_language(settings):
    with translation.override("fr"):
        assert rules.format_size(int(14.2 * 1024 * 1024)).startswith("14,2")


def test_a_too_large_file_is_refused_with_its_size_and_the_limit():
    big = sample(b"%PDF-" + b"0" * (int(14.2 * 1024 * 1024) - 5))
    with pytest.raises(ActionRefused) as refused:
        rules.checked_content(big)
    assert str(refused.value.message) == "This file is 14.2 MB; the limit is 10 MB."


def test_the_limit_is_a_setting(settings):
    settings.PCM_ATTACHMENT_MAX_BYTES = 2048
    with pytest.raises(ActionRefused) as refused:
        rules.checked_content(sample(PDF + b"0" * 3000))
    assert "the limit is 2 KB" in str(refused.value.message)
    content, file_type = rules.checked_content(sample(PDF))
    assert (content, file_type) == (PDF, FileType.PDF)


def test_an_empty_file_is_refused():
    with pytest.raises(ActionRefused, match="empty"):
        rules.checked_content(sample(b""))


def test_content_cut_short_by_the_upload_handler_is_refused_as_too_large(settings):
    """The handler keeps the limit in memory and reports the real size; never accept a part."""
    settings.PCM_ATTACHMENT_MAX_BYTES = 100
    truncated = sample(PDF[:50])
    truncated.size = 100  # claims the limit, holds less: something went wrong, refuse it
    with pytest.raises(ActionRefused, match="the limit is 100 bytes"):
        rules.checked_content(truncated)
