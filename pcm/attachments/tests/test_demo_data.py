"""The demo attaches one generated PDF to a case of the demo caseworker, once."""

from __future__ import annotations

import random
import re

from django.utils import timezone

from pcm.accounts.models import Role
from pcm.attachments import storage
from pcm.attachments.demo_data import demo_pdf, enrich
from pcm.attachments.models import Attachment, FileType
from pcm.attachments.rules import sniff
from tests.factories import TeamFactory, UserFactory


def test_the_generated_pdf_is_well_formed():
    content = demo_pdf(["Hello (world)", "Second line"])
    assert sniff(content) == FileType.PDF
    assert content.endswith(b"%%EOF\n")
    startxref = int(re.search(rb"startxref\n(\d+)\n", content).group(1))  # type: ignore[union-attr]
    assert content[startxref:].startswith(b"xref\n0 6\n")
    offsets = re.findall(rb"(\d{10}) 00000 n ", content)
    for number, offset in enumerate(offsets, start=1):
        assert content[int(offset) :].startswith(b"%d 0 obj" % number)


def test_enrich_attaches_one_file_once(personas, case_for, data_dir):
    team = TeamFactory.create(agency=personas.agency, supervisor=personas.supervisor)
    demo = UserFactory.create(
        username="caseworker", role=Role.CASEWORKER, agency=personas.agency, team=team
    )
    first, second = case_for(demo), case_for(demo)
    unrelated = case_for(personas.caseworker)
    now = timezone.now()
    enrich([unrelated, first], rng=random.Random(1), now=now)
    enrich([second], rng=random.Random(1), now=now)
    attachment = Attachment.objects.get()
    assert attachment.case == first
    content = storage.read_decrypted(attachment.storage_name, attachment.encryption_context)
    assert sniff(content) == FileType.PDF
    assert first.number.encode() in content


def test_enrich_without_the_demo_login_does_nothing(personas, case_for):
    enrich([case_for(personas.caseworker)], rng=random.Random(1), now=timezone.now())
    assert not Attachment.objects.exists()
