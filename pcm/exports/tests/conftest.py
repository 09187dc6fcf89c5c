"""Fixtures for export tests: a small caseload across teams and agencies, confirmed clients."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone

from pcm.accounts.reauth import mark_confirmed
from pcm.cases.consent import Consent, ConsentMethod, GivenBy
from pcm.cases.models import Case, CaseStatus
from pcm.jobs.actions import read_result
from pcm.jobs.models import Job
from pcm.vault.archive import read_encrypted_zip

PASSWORD = "taxi-laptop-safe-2026"


def give_consent(case: Case, *, withdrawn: bool = False) -> Consent:
    assert case.assigned_to is not None
    return Consent.objects.create(
        case=case,
        version=Consent.objects.filter(case=case).count() + 1,
        withdrawn=withdrawn,
        given_by=GivenBy.SERVICE_USER,
        method=ConsentMethod.VERBAL,
        given_at=timezone.now(),
        case_management=not withdrawn,
        recorded_by=case.assigned_to,
    )


def named_case(case_for, owner, given: str, family: str, phone: str, **fields) -> Case:
    case: Case = case_for(owner, **fields)
    case.person.given_name, case.person.family_name, case.person.phone = given, family, phone
    case.person.save()
    return case


@dataclass
class Caseload:
    team_open: Case  # Layla's (Omar's team), open
    team_closed: Case  # Layla's, closed
    other_team: Case  # Karim's (Huda's team)
    other_agency: Case  # Olena's


@pytest.fixture(autouse=True)
def _results_in_tmp(settings, tmp_path):
    settings.DATA_DIR = tmp_path


@pytest.fixture
def caseload(personas, case_for) -> Caseload:
    return Caseload(
        team_open=named_case(
            case_for, personas.caseworker, "Zainab", "Alwan", "+964 750 100 0001",
            number="APN-IQ-2026-00001",
        ),
        team_closed=named_case(
            case_for, personas.caseworker, "Basma", "Closedcase", "+964 750 100 0002",
            number="APN-IQ-2026-00002", status=CaseStatus.CLOSED, closed_at=timezone.now(),
        ),
        other_team=named_case(
            case_for, personas.other_caseworker, "Qamar", "Otherteam", "+964 750 100 0003",
            number="APN-IQ-2026-00003",
        ),
        other_agency=named_case(
            case_for, personas.outsider, "Oksana", "Otheragency", "+380 50 100 0004",
            number="KLR-UA-2026-00004",
        ),
    )  # fmt: skip


@pytest.fixture
def confirmed_client(client_for) -> Callable[..., Client]:
    """confirmed_client(user): signed in, and having just confirmed it's them."""

    def make(user) -> Client:
        client: Client = client_for(user)
        session = client.session
        mark_confirmed(session)
        session.save()
        return client

    return make


def archive_files(job: Job, password: str = PASSWORD) -> dict[str, bytes]:
    job.refresh_from_db()
    return read_encrypted_zip(read_result(job), password)


def csv_rows(job: Job, password: str = PASSWORD) -> list[list[str]]:
    """The CSV's rows after the marking line (the header first)."""
    files = archive_files(job, password)
    (table,) = [content for name, content in files.items() if name.endswith(".csv")]
    assert table.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark, for Excel"
    rows = list(csv.reader(io.StringIO(table.decode("utf-8-sig"))))
    return rows[1:]


def as_records(rows: list[list[str]]) -> list[dict[str, str]]:
    header, *data = rows
    return [dict(zip(header, row, strict=True)) for row in data]
