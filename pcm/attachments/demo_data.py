"""Demo attachments: one small generated PDF on a case of the demo caseworker.

Called by the seed command for each batch of cases; it attaches one file in all (the first
batch holding an open case of the "caseworker" login), so it costs two queries per batch.
"""

from __future__ import annotations

import random
from datetime import datetime

from pcm.accounts.models import User
from pcm.attachments.actions import store_attachment
from pcm.attachments.models import Attachment, AttachmentKind, FileType
from pcm.cases.models import Case, CaseStatus

DEMO_LOGIN = "caseworker"
TITLE = "Signed consent form (scan)"


def demo_pdf(lines: list[str]) -> bytes:
    """A one-page PDF showing LINES (ASCII), with a correct cross-reference table."""
    text = "\n".join(
        f"BT /F1 12 Tf 72 {760 - 20 * index} Td ({line.replace('(', '[').replace(')', ']')}) Tj ET"
        for index, line in enumerate(lines)
    ).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def enrich(cases: list[Case], *, rng: random.Random, now: datetime) -> None:
    caseworker = User.objects.filter(username=DEMO_LOGIN).first()
    if caseworker is None:
        return
    mine = [
        case
        for case in cases
        if case.assigned_to_id == caseworker.pk and case.status != CaseStatus.CLOSED
    ]
    if not mine or Attachment.objects.filter(uploaded_by=caseworker).exists():
        return
    case = mine[0]
    content = demo_pdf(
        [
            "Consent to the collection and sharing of information",
            f"Case {case.number}",
            "This is a synthetic document of the PCM demonstration.",
            "The service user consents to case management and to referrals",
            "agreed with the caseworker.",
        ]
    )
    store_attachment(
        case,
        kind=AttachmentKind.CONSENT_FORM,
        title=TITLE,
        original_name="consent-scan.pdf",
        content=content,
        file_type=FileType.PDF,
        uploaded_by=caseworker,
    )
