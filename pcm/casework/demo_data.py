"""Synthetic case work for the demo: notes, support, conferences and follow-ups (some overdue).

Called by the seed command for batches of cases; builds every row in memory and writes each
table with one bulk insert, so the cost is a handful of queries per batch.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TypeVar

from pcm.accounts.models import Agency
from pcm.cases.models import Case, CaseStatus, RiskLevel
from pcm.casework.currencies import FALLBACK_CURRENCY, currency_for_country
from pcm.casework.models import (
    CaseConference,
    CaseNote,
    ConferenceAction,
    ContactMode,
    DirectSupport,
    FollowUp,
    SupportType,
)
from pcm.plans.models import ActionOwner

S = CaseStatus
T = TypeVar("T")
NOTE_COUNTS = {
    S.INTAKE: (1, 1),
    S.ASSESSMENT: (1, 2),
    S.PLANNING: (1, 3),
}
# Steps where the plan is being carried out or has been: support and conferences happen there.
WORKING_STEPS = {S.IMPLEMENTATION, S.FOLLOW_UP, S.CLOSURE_REQUESTED, S.CLOSED}
SUPPORT_SHARE = 0.35
CONFERENCE_SHARE = 0.25  # of high-risk cases in the working steps
OVERDUE_SHARE = 0.3

MODES = (
    (ContactMode.IN_PERSON, 0.3),
    (ContactMode.PHONE, 0.3),
    (ContactMode.HOME_VISIT, 0.15),
    (ContactMode.OFFICE_VISIT, 0.15),
    (ContactMode.VIDEO, 0.05),
    (ContactMode.OTHER, 0.05),
)
PLACES = {
    ContactMode.IN_PERSON: ("Community centre", "Women's safe space", "Mobile team tent"),
    ContactMode.HOME_VISIT: ("Service user's shelter", "Relative's home"),
    ContactMode.OFFICE_VISIT: ("Agency office", "Field office"),
}
FIRST_NOTES = (
    "First contact after registration. Explained the service, confidentiality and its limits. "
    "The service user described the situation and agreed to an assessment next week.",
    "Called the service user at the agreed safe time. She confirmed she can talk freely in the "
    "mornings only. Agreed on a meeting at the community centre.",
    "Met at the community centre. The service user is staying with relatives and feels safe "
    "there for now. Discussed immediate needs: documents and rent.",
)
LATER_NOTES = (
    "Follow-up call. The appointment with the legal aid lawyer took place; the lawyer will "
    "request the missing civil documents.",
    "Home visit. Housing conditions are poor but stable. The service user asked about cash "
    "assistance for rent; explained the criteria and next steps.",
    "Accompanied the service user to the health centre for the referral appointment. She was "
    "seen the same day and will return in two weeks.",
    "The service user reported renewed threats from a neighbour. Reviewed the safety plan "
    "together; she will stay with her sister for the coming days.",
    "Phone call to check on well-being. She says she sleeps better and attends the women's "
    "group twice a week.",
    "Discussed progress on the plan's goals. Two of three actions are done; agreed to refer "
    "her to livelihood training.",
    "Short call: the service user could not talk, agreed to call back tomorrow morning.",
)
SUPPORT_TEXTS = {
    SupportType.CASH: ("Rent for two months", "Emergency cash for basic needs"),
    SupportType.IN_KIND: ("Dignity kit and blankets", "Mobile phone for safe contact"),
    SupportType.TRANSPORT: ("Transport to the legal aid appointment", "Taxi to the hospital"),
    SupportType.ACCOMMODATION: ("Three nights in a safe hotel room",),
    SupportType.MEDICAL_FEES: ("Fees for specialist consultation",),
    SupportType.LEGAL_FEES: ("Court fees for civil documentation",),
}
SUPPORT_TYPES = (
    (SupportType.CASH, 0.5),
    (SupportType.IN_KIND, 0.15),
    (SupportType.TRANSPORT, 0.15),
    (SupportType.ACCOMMODATION, 0.05),
    (SupportType.MEDICAL_FEES, 0.1),
    (SupportType.LEGAL_FEES, 0.05),
)
# Typical amounts (low, high, step) by currency.
AMOUNTS = {
    "IQD": (100_000, 450_000, 25_000),
    "UAH": (2_000, 8_000, 250),
    "XOF": (25_000, 120_000, 5_000),
    "USD": (50, 300, 10),
}
CONFERENCE_PARTICIPANTS = (
    "Caseworker; protection team leader; health centre social worker",
    "Caseworker; supervisor; legal aid lawyer; shelter manager",
)
OTHER_AGENCIES = ("Legal aid partner", "District health centre", "Women's shelter")
CONFERENCE_DECISIONS = (
    "Relocate the service user to the shelter for four weeks; legal aid to file the protection "
    "order; review the safety plan weekly.",
    "Refer to specialised mental health care; caseworker to accompany the first visit.",
)
CONFERENCE_ACTIONS = (
    ("Accompany the service user to the shelter intake", ActionOwner.CASEWORKER),
    ("File the protection order request", ActionOwner.REFERRAL),
    ("Attend the first counselling session", ActionOwner.SERVICE_USER),
)
FOLLOW_UP_PURPOSES = (
    "Check that the referral appointment took place",
    "Review the safety plan",
    "Check well-being after the cash assistance",
    "Confirm the documents were issued",
)


def _weighted(rng: random.Random, table: Sequence[tuple[T, float]]) -> T:
    return rng.choices([value for value, _ in table], [weight for _, weight in table])[0]


def _amount(rng: random.Random, currency: str) -> Decimal:
    low, high, step = AMOUNTS.get(currency, AMOUNTS[FALLBACK_CURRENCY])
    return Decimal(rng.randrange(low, high + step, step))


class _Batch:
    def __init__(self, rng: random.Random, now: datetime, currencies: dict[int, str]) -> None:
        self.rng = rng
        self.now = now
        self.currencies = currencies
        self.notes: list[CaseNote] = []
        self.support: list[DirectSupport] = []
        self.conferences: list[tuple[CaseConference, list[ConferenceAction]]] = []
        self.follow_ups: list[FollowUp] = []

    def add(self, case: Case) -> None:
        writer = case.assigned_to_id
        if case.first_response_at is None or writer is None:
            return
        end = min(case.closed_at or self.now, self.now)
        self._notes(case, writer, end)
        if case.status in WORKING_STEPS:
            if self.rng.random() < SUPPORT_SHARE:
                self._support(case, writer, end)
            if case.risk_level == RiskLevel.HIGH and self.rng.random() < CONFERENCE_SHARE:
                self._conference(case, writer, end)
        if case.status == S.FOLLOW_UP or (
            case.status == S.IMPLEMENTATION and self.rng.random() < 0.3
        ):
            self._follow_ups(case, writer)

    def _notes(self, case: Case, writer: int, end: datetime) -> None:
        rng = self.rng
        low, high = NOTE_COUNTS.get(CaseStatus(case.status), (2, 6))
        start = case.first_response_at
        assert start is not None  # noqa: S101 - checked by add
        span = max((end - start).total_seconds(), 0)
        later = sorted(
            start + timedelta(seconds=rng.uniform(0, span))
            for _ in range(rng.randint(low, high) - 1)
        )
        times = [start, *later]
        for index, at in enumerate(times):
            mode = _weighted(rng, MODES)
            self.notes.append(
                CaseNote(
                    case_id=case.pk,
                    contact_at=at,
                    mode=mode,
                    place=rng.choice(PLACES.get(mode, ("",))),
                    duration_minutes=rng.choice((10, 15, 20, 30, 45, 60, 90)),
                    narrative=rng.choice(FIRST_NOTES if index == 0 else LATER_NOTES),
                    written_by_id=writer,
                    written_at=at + timedelta(hours=rng.uniform(0.5, 30)),
                )
            )

    def _support(self, case: Case, writer: int, end: datetime) -> None:
        rng = self.rng
        local = self.currencies.get(case.agency_id, FALLBACK_CURRENCY)
        start = case.first_response_at or case.opened_at
        for _ in range(rng.randint(1, 2)):
            kind = _weighted(rng, SUPPORT_TYPES)
            valued = kind in (SupportType.CASH, SupportType.MEDICAL_FEES, SupportType.LEGAL_FEES)
            currency = FALLBACK_CURRENCY if rng.random() < 0.15 else local
            given = start + (end - start) * rng.uniform(0.2, 1)
            self.support.append(
                DirectSupport(
                    case_id=case.pk,
                    given_on=given.date(),
                    support_type=kind,
                    amount=_amount(rng, currency) if valued else None,
                    currency=currency if valued else "",
                    purpose=rng.choice(SUPPORT_TEXTS[kind]),
                    recorded_by_id=writer,
                    recorded_at=given,
                )
            )

    def _conference(self, case: Case, writer: int, end: datetime) -> None:
        rng = self.rng
        start = case.first_response_at or case.opened_at
        held = start + (end - start) * rng.uniform(0.3, 0.8)
        conference = CaseConference(
            case_id=case.pk,
            held_on=held.date(),
            participants=rng.choice(CONFERENCE_PARTICIPANTS),
            other_agencies=rng.choice(OTHER_AGENCIES),
            discussion="Reviewed the risks since the last assessment and the options available.",
            decisions=rng.choice(CONFERENCE_DECISIONS),
            recorded_by_id=writer,
            recorded_at=held,
        )
        actions = [
            ConferenceAction(
                description=description,
                owner=owner,
                due_on=(held + timedelta(days=rng.randint(3, 21))).date(),
            )
            for description, owner in rng.sample(CONFERENCE_ACTIONS, rng.randint(1, 2))
        ]
        self.conferences.append((conference, actions))

    def _follow_ups(self, case: Case, writer: int) -> None:
        rng = self.rng
        today = self.now.date()
        mode = _weighted(rng, MODES)
        for weeks_ago in range(rng.randint(0, 2), 0, -1):
            done = self.now - timedelta(weeks=weeks_ago * 2, hours=rng.uniform(0, 48))
            if done < case.opened_at:
                continue
            self.follow_ups.append(
                FollowUp(
                    case_id=case.pk,
                    due_on=done.date(),
                    purpose=rng.choice(FOLLOW_UP_PURPOSES),
                    mode=mode,
                    scheduled_by_id=writer,
                    scheduled_at=done - timedelta(days=14),
                    done_at=done,
                    outcome="Spoke with the service user; the situation is stable. "
                    "No new protection concern.",
                    recorded_by_id=writer,
                )
            )
        overdue = rng.random() < OVERDUE_SHARE
        due = (
            today - timedelta(days=rng.randint(1, 12))
            if overdue
            else today + timedelta(days=rng.randint(0, 21))
        )
        self.follow_ups.append(
            FollowUp(
                case_id=case.pk,
                due_on=due,
                purpose=rng.choice(FOLLOW_UP_PURPOSES),
                mode=mode,
                scheduled_by_id=writer,
                scheduled_at=self.now - timedelta(days=rng.randint(14, 28)),
            )
        )

    def write(self) -> None:
        CaseNote.objects.bulk_create(self.notes, batch_size=2000)
        DirectSupport.objects.bulk_create(self.support, batch_size=2000)
        FollowUp.objects.bulk_create(self.follow_ups, batch_size=2000)
        conferences = CaseConference.objects.bulk_create(
            [conference for conference, _ in self.conferences], batch_size=2000
        )
        actions = []
        for conference, (_, rows) in zip(conferences, self.conferences, strict=True):
            for row in rows:
                row.conference_id = conference.pk
                actions.append(row)
        ConferenceAction.objects.bulk_create(actions, batch_size=2000)


def enrich(cases: list[Case], *, rng: random.Random, now: datetime) -> None:
    """Case work for CASES by their step: notes from the first response on, support, etc."""
    agency_ids = {case.agency_id for case in cases}
    currencies = {
        pk: currency_for_country(country)
        for pk, country in Agency.objects.filter(pk__in=agency_ids).values_list(
            "pk", "country_code"
        )
    }
    batch = _Batch(rng, now, currencies)
    for case in cases:
        batch.add(case)
    batch.write()
