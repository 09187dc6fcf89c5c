"""Demo case work: realistic records for every step, some overdue, in a few bulk inserts."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pcm.cases.models import CaseStatus, RiskLevel
from pcm.casework.demo_data import enrich
from pcm.casework.models import CaseConference, CaseNote, DirectSupport, FollowUp
from tests.factories import AgencyFactory, CaseFactory, TeamFactory, UserFactory


def demo_cases(count: int, country: str = "IQ"):
    agency = AgencyFactory.create(country_code=country)
    team = TeamFactory.create(agency=agency)
    caseworker = UserFactory.create(agency=agency, team=team)
    now = timezone.now()
    statuses = [
        CaseStatus.INTAKE,
        CaseStatus.ASSESSMENT,
        CaseStatus.PLANNING,
        CaseStatus.IMPLEMENTATION,
        CaseStatus.FOLLOW_UP,
        CaseStatus.CLOSED,
    ]
    cases = []
    for index in range(count):
        opened = now - timedelta(days=60 + index)
        status = statuses[index % len(statuses)]
        cases.append(
            CaseFactory.create(
                assigned_to=caseworker,
                status=status,
                risk_level=RiskLevel.HIGH,
                opened_at=opened,
                first_response_at=opened + timedelta(hours=20),
                closed_at=now - timedelta(days=5) if status == CaseStatus.CLOSED else None,
            )
        )
    return cases


def test_it_writes_notes_from_the_first_response_on(db):
    cases = demo_cases(12)
    now = timezone.now()
    enrich(cases, rng=random.Random(1), now=now)
    for case in cases:
        notes = list(CaseNote.objects.filter(case=case).order_by("contact_at"))
        assert 1 <= len(notes) <= 6
        assert notes[0].contact_at == case.first_response_at
        assert all(note.contact_at <= now for note in notes)


def test_it_gives_support_in_the_agencys_currency_or_dollars(db):
    cases = demo_cases(60, country="UA")
    enrich(cases, rng=random.Random(2), now=timezone.now())
    currencies = set(DirectSupport.objects.exclude(currency="").values_list("currency", flat=True))
    assert currencies <= {"UAH", "USD"}
    assert "UAH" in currencies
    assert not DirectSupport.objects.filter(support_type="cash", amount__isnull=True).exists()
    assert CaseConference.objects.exists()


def test_follow_up_cases_have_a_scheduled_follow_up_and_some_are_overdue(db):
    cases = demo_cases(120)
    enrich(cases, rng=random.Random(3), now=timezone.now())
    in_follow_up = [case for case in cases if case.status == CaseStatus.FOLLOW_UP]
    scheduled = FollowUp.objects.filter(done_at__isnull=True, case__in=in_follow_up)
    assert scheduled.values("case").distinct().count() == len(in_follow_up)
    assert scheduled.filter(due_on__lt=timezone.localdate()).exists()


def test_it_writes_with_bulk_inserts_not_a_query_per_record(db):
    cases = demo_cases(120)
    with CaptureQueriesContext(connection) as queries:
        enrich(cases, rng=random.Random(4), now=timezone.now())
    written = sum(
        model.objects.count() for model in (CaseNote, DirectSupport, FollowUp, CaseConference)
    )
    assert written > 300
    # One query for the agencies, then each table in inserts of up to SQLite's variable limit.
    assert len(queries) <= 12
