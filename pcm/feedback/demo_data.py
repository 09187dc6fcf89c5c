"""Demo feedback register: a few dozen synthetic entries per demo agency, and its handlers.

Called by the seed command for each batch of cases; an agency gets its register once, on its
first batch, in a few bulk inserts. The texts are invented and name nobody.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from pcm.accounts.models import Role, User
from pcm.cases.models import Case
from pcm.feedback.models import (
    Category,
    Channel,
    ComplaintsHandler,
    FeedbackEntry,
    Kind,
    Status,
)

ENTRIES_PER_AGENCY = 36
DAYS_BACK = 180
# (kind, category, sensitive, about staff, what was said, the response given)
SAMPLES: tuple[tuple[Kind, Category, bool, bool, str, str], ...] = (
    (
        Kind.COMPLAINT,
        Category.ACCESS,
        False,
        False,
        "The office opens too late for people who work in the morning; asks for an afternoon "
        "session once a week.",
        "Explained that an afternoon session starts next month on Wednesdays.",
    ),
    (
        Kind.COMPLAINT,
        Category.QUALITY,
        False,
        False,
        "Waited more than two weeks for news about the legal aid referral.",
        "Called the legal aid partner; an appointment was given and the caller informed.",
    ),
    (
        Kind.FEEDBACK,
        Category.QUALITY,
        False,
        False,
        "Would like the information leaflets in the local language as well.",
        "Leaflets are being translated; copies will be at the office within the month.",
    ),
    (
        Kind.COMPLIMENT,
        Category.QUALITY,
        False,
        False,
        "Thanks the team for the clear explanations at the community information session.",
        "Thanked the caller and shared the message with the team.",
    ),
    (
        Kind.QUESTION,
        Category.INFORMATION,
        False,
        False,
        "Asks whether the cash assistance programme will continue next year.",
        "Explained that funding is confirmed until the end of the year and how to ask again.",
    ),
    (
        Kind.QUESTION,
        Category.ACCESS,
        False,
        False,
        "Asks where to go for help with civil documentation in the district.",
        "Gave the opening hours and location of the legal aid desk.",
    ),
    (
        Kind.FEEDBACK,
        Category.SAFETY,
        False,
        False,
        "The waiting area is crowded and has no shade in the afternoon.",
        "A shade structure was put up and appointments are now spread over the day.",
    ),
    (
        Kind.COMPLAINT,
        Category.DATA_PROTECTION,
        True,
        False,
        "Concern that personal details were discussed where others could hear.",
        "Apologised; staff reminded to use the private room; the caller was informed.",
    ),
    (
        Kind.COMPLAINT,
        Category.STAFF_CONDUCT,
        False,
        True,
        "Says a staff member at the distribution point spoke rudely to people in the queue.",
        "Raised with the team leader; the caller was told what action was taken.",
    ),
    (
        Kind.COMPLAINT,
        Category.STAFF_CONDUCT,
        True,
        True,
        "Alleges a staff member asked for a favour in exchange for being put on a list.",
        "Referred to the investigation focal point; the caller was told how it is followed up.",
    ),
    (
        Kind.FEEDBACK,
        Category.OTHER,
        False,
        False,
        "Suggests holding information sessions in the neighbouring village too.",
        "A mobile session is planned there next month.",
    ),
)
REPLY_WAYS = ("Call back in the afternoon.", "Reply at the next community meeting.", "")
CHANNELS = list(Channel)


def _status_path(rng: random.Random, received: date, today: date) -> dict[str, object]:
    """The steps taken so far: older entries are mostly closed, recent ones still open."""
    age = (today - received).days
    steps: dict[str, object] = {"status": Status.RECEIVED}
    if age >= 2 or rng.random() < 0.5:
        steps.update(
            status=Status.ACKNOWLEDGED, acknowledged_on=min(received + timedelta(days=1), today)
        )
    if age >= 7 and rng.random() < 0.8:
        steps.update(status=Status.IN_PROGRESS, in_progress_on=received + timedelta(days=2))
    if age >= 14 and rng.random() < 0.85:
        responded = received + timedelta(days=rng.randint(3, min(age - 1, 40)))
        steps.update(status=Status.RESPONDED, responded_on=responded)
        if age >= 30 and rng.random() < 0.85:
            closed = responded + timedelta(days=rng.randint(0, 10))
            steps.update(status=Status.CLOSED, closed_on=min(closed, today))
    return steps


def _handlers(agency_id: int, now: datetime) -> list[ComplaintsHandler]:
    """The agency's managers and one supervisor handle its restricted complaints."""
    staff = list(
        User.objects.filter(
            agency_id=agency_id, is_active=True, role__in=[Role.MANAGER, Role.SUPERVISOR]
        ).order_by("role", "pk")
    )
    managers = [user for user in staff if user.role == Role.MANAGER]
    supervisors = [user for user in staff if user.role == Role.SUPERVISOR]
    if not managers:
        return []
    chosen = managers + supervisors[:1]
    return [
        ComplaintsHandler(agency_id=agency_id, user=user, added_by=managers[0], added_at=now)
        for user in chosen
    ]


def enrich(cases: list[Case], *, rng: random.Random, now: datetime) -> None:
    by_agency: dict[int, list[Case]] = {}
    for case in cases:
        if case.assigned_to_id is not None:
            by_agency.setdefault(case.agency_id, []).append(case)
    # Entries are recorded by the caseworker holding a case (every case here has one).
    done = set(
        FeedbackEntry.objects.filter(agency_id__in=by_agency).values_list("agency_id", flat=True)
    )
    today = now.date()
    entries: list[FeedbackEntry] = []
    handlers: list[ComplaintsHandler] = []
    for agency_id, agency_cases in by_agency.items():
        if agency_id in done:
            continue
        handlers += _handlers(agency_id, now)
        handler_ids = [handler.user.pk for handler in handlers if handler.agency_id == agency_id]
        for _index in range(ENTRIES_PER_AGENCY):
            kind, category, sensitive, about_staff, said, answer = rng.choice(SAMPLES)
            case = rng.choice(agency_cases)
            received = today - timedelta(days=rng.randint(0, DAYS_BACK))
            steps = _status_path(rng, received, today)
            restricted = sensitive or about_staff
            # Restricted entries are handled by a handler; others by whoever recorded them.
            recorder = case.assigned_to_id or 0
            actor = rng.choice(handler_ids) if restricted and handler_ids else recorder
            wants_reply = rng.random() < 0.6
            entry = FeedbackEntry(
                agency_id=agency_id,
                kind=kind,
                channel=rng.choice(CHANNELS),
                category=category,
                received_on=received,
                location_id=case.person.location_id,
                linked_case=case if not restricted and rng.random() < 0.3 else None,
                description=said,
                wants_reply=wants_reply,
                reply_by=rng.choice(REPLY_WAYS) if wants_reply else "",
                sensitive=sensitive,
                about_staff=about_staff,
                recorded_by_id=recorder,
                recorded_at=datetime.combine(received, now.timetz()),
                response=answer if "responded_on" in steps else "",
                **steps,
            )
            for field in ("acknowledged", "in_progress", "responded", "closed"):
                if f"{field}_on" in steps:
                    setattr(entry, f"{field}_by_id", actor)
            entries.append(entry)
    ComplaintsHandler.objects.bulk_create(handlers, ignore_conflicts=True)
    FeedbackEntry.objects.bulk_create(entries, batch_size=500)
