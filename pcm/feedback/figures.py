"""The figures MEAL reads from the feedback register, each defined in its docstring.

Every function takes the entries to count — an agency (all its entries, restricted ones
included: counts reveal no content) or a queryset of entries already narrowed by the caller
(a location, a team...) — and a period of whole days, both ends included. Nothing here
suppresses small cells: that is the caller's (the MEAL dashboards') job. Shares are between 0
and 1, or None when their denominator is 0; day figures are None when nothing was closed.

Two populations, on purpose:
- *received in the period*: entries whose `received_on` falls in it (counts, shares);
- *closed in the period*: entries whose `closed_on` falls in it (the days to close), as a
  month's report states how long the entries it closed took.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet

from pcm.accounts.models import Agency
from pcm.feedback.models import Category, Channel, FeedbackEntry, Kind, Status

CLOSE_TARGET_DAYS = 30
BREAKDOWNS = {
    "kind": Kind,
    "channel": Channel,
    "category": Category,
    "status": Status,
}


@dataclass(frozen=True)
class Period:
    """From START to END, both days included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("A period cannot end before it starts.")


Source = Agency | QuerySet[FeedbackEntry]


def entries_of(source: Source) -> QuerySet[FeedbackEntry]:
    """SOURCE's entries: an agency's whole register, or the queryset itself."""
    if isinstance(source, Agency):
        return FeedbackEntry.objects.filter(agency=source)
    return source


def received_in(source: Source, period: Period) -> QuerySet[FeedbackEntry]:
    """Entries received from PERIOD's first to its last day."""
    return entries_of(source).filter(received_on__gte=period.start, received_on__lte=period.end)


def closed_in(source: Source, period: Period) -> QuerySet[FeedbackEntry]:
    """Entries closed from PERIOD's first to its last day."""
    return entries_of(source).filter(closed_on__gte=period.start, closed_on__lte=period.end)


def count_by(source: Source, period: Period, field: str) -> dict[str, int]:
    """Number of entries *received in the period*, by FIELD ("kind", "channel", "category" or
    "status"). Every value of FIELD is a key, with 0 where none. For "status", the status an
    entry has now, not at the end of the period."""
    choices = BREAKDOWNS[field]
    counts = dict.fromkeys((str(value) for value in choices.values), 0)
    rows = received_in(source, period).order_by().values(field).annotate(number=Count("pk"))
    for row in rows:
        counts[str(row[field])] = int(row["number"])
    return counts


def count_by_kind(source: Source, period: Period) -> dict[str, int]:
    """Entries received in the period, by kind (feedback, complaint, compliment, question)."""
    return count_by(source, period, "kind")


def count_by_channel(source: Source, period: Period) -> dict[str, int]:
    """Entries received in the period, by the channel they came through."""
    return count_by(source, period, "channel")


def count_by_category(source: Source, period: Period) -> dict[str, int]:
    """Entries received in the period, by category (quality, access, staff conduct...)."""
    return count_by(source, period, "category")


def count_by_status(source: Source, period: Period) -> dict[str, int]:
    """Entries received in the period, by their status now."""
    return count_by(source, period, "status")


def share_responded(source: Source, period: Period) -> float | None:
    """Entries received in the period that have a response recorded (whatever happened
    since, e.g. closed afterwards), over all entries received in the period.

    An entry closed without a response (e.g. an anonymous note) counts in the denominator
    only. None when nothing was received.
    """
    counts = received_in(source, period).aggregate(
        total=Count("pk"), responded=Count("pk", filter=Q(responded_on__isnull=False))
    )
    if not counts["total"]:
        return None
    return float(counts["responded"]) / float(counts["total"])


def days_to_close(source: Source, period: Period) -> list[int]:
    """For each entry *closed in the period*: whole days from the day it was received to the
    day it was closed (closed the day it came in: 0), sorted."""
    pairs = closed_in(source, period).values_list("received_on", "closed_on")
    return sorted((closed - received).days for received, closed in pairs if closed is not None)


def median_days_to_close(source: Source, period: Period) -> float | None:
    """The median of `days_to_close` (the mean of the two middle values for an even number);
    None when nothing was closed in the period."""
    days = days_to_close(source, period)
    return float(statistics.median(days)) if days else None


def average_days_to_close(source: Source, period: Period) -> float | None:
    """The arithmetic mean of `days_to_close`; None when nothing was closed in the period."""
    days = days_to_close(source, period)
    return float(statistics.fmean(days)) if days else None


def share_closed_within(
    source: Source, period: Period, days: int = CLOSE_TARGET_DAYS
) -> float | None:
    """Entries *received in the period* that were closed at most DAYS (default 30) days after
    they were received, over all entries received in the period.

    An entry still open counts in the denominator only, so a recent period reads low until
    DAYS have passed since its end. None when nothing was received.
    """
    pairs = list(received_in(source, period).values_list("received_on", "closed_on"))
    if not pairs:
        return None
    within = sum(
        1 for received, closed in pairs if closed is not None and (closed - received).days <= days
    )
    return within / len(pairs)


@dataclass(frozen=True)
class FeedbackFigures:
    """All figures of one period (see each function for the definition)."""

    received: int
    by_kind: dict[str, int]
    by_channel: dict[str, int]
    by_category: dict[str, int]
    by_status: dict[str, int]
    share_responded: float | None
    median_days_to_close: float | None
    average_days_to_close: float | None
    share_closed_within_30_days: float | None


def figures(source: Source, period: Period) -> FeedbackFigures:
    """Every figure of the register for PERIOD. `received`: entries received in the period."""
    by_kind = count_by_kind(source, period)
    return FeedbackFigures(
        received=sum(by_kind.values()),
        by_kind=by_kind,
        by_channel=count_by_channel(source, period),
        by_category=count_by_category(source, period),
        by_status=count_by_status(source, period),
        share_responded=share_responded(source, period),
        median_days_to_close=median_days_to_close(source, period),
        average_days_to_close=average_days_to_close(source, period),
        share_closed_within_30_days=share_closed_within(source, period),
    )
