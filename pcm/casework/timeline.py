"""The case-work timeline: notes, support, conferences, follow-ups and step changes, newest first.

One UNION query orders the (kind, id, time) of every record of the case and pages them; then
one query per kind fetches the page's records. The number of queries does not grow with the
number of records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import CharField, DateTimeField, F, Model, QuerySet, Value
from django.db.models.functions import Cast, Coalesce

from pcm.cases.models import Case
from pcm.casework.models import CaseConference, CaseNote, DirectSupport, FollowUp, StepChange

ENTRIES_PER_PAGE = 20


@dataclass(frozen=True)
class Entry:
    """One record on the timeline; KIND names the template part that shows it."""

    kind: str
    record: Any


def _as_time(field: str) -> Cast:
    return Cast(field, output_field=DateTimeField())


def _arm(queryset: QuerySet[Any], kind: str, at: Any) -> QuerySet[Any]:
    arm: QuerySet[Any] = (
        queryset.order_by()
        .annotate(
            entry_kind=Value(kind, output_field=CharField()),
            entry_id=F("id"),
            entry_at=at,
        )
        .values_list("entry_kind", "entry_id", "entry_at")
    )
    return arm


def timeline_index(case: Case) -> QuerySet[Any]:
    """(kind, id, time) of every case-work record of CASE, newest first."""
    arms = [
        _arm(CaseNote.objects.filter(case=case), "note", F("contact_at")),
        _arm(DirectSupport.objects.filter(case=case), "support", _as_time("given_on")),
        _arm(CaseConference.objects.filter(case=case), "conference", _as_time("held_on")),
        # A scheduled follow-up sits at its due day, a done one at when it was done.
        _arm(
            FollowUp.objects.filter(case=case),
            "follow_up",
            Coalesce(F("done_at"), _as_time("due_on")),
        ),
        _arm(StepChange.objects.filter(case=case), "step", F("changed_at")),
    ]
    first, *rest = arms
    return first.union(*rest, all=True).order_by("-entry_at", "-entry_kind", "-entry_id")


def _fetchers() -> dict[str, QuerySet[Any]]:
    return {
        "note": CaseNote.objects.select_related("written_by", "corrects", "correction"),
        "support": DirectSupport.objects.select_related("recorded_by", "corrects", "correction"),
        "conference": CaseConference.objects.select_related("recorded_by").prefetch_related(
            "agencies", "actions"
        ),
        "follow_up": FollowUp.objects.select_related("scheduled_by", "recorded_by"),
        "step": StepChange.objects.select_related("changed_by"),
    }


def timeline_page(case: Case, number: str | int | None) -> tuple[Page[Any], list[Entry]]:
    """Page NUMBER of the timeline, and its entries with their records loaded."""
    page = Paginator(timeline_index(case), ENTRIES_PER_PAGE).get_page(number)
    rows: list[tuple[str, int, datetime | None]] = list(page.object_list)
    wanted: dict[str, list[int]] = {}
    for kind, pk, _at in rows:
        wanted.setdefault(kind, []).append(pk)
    fetchers = _fetchers()
    loaded: dict[tuple[str, int], Model] = {}
    for kind, ids in wanted.items():
        for record in fetchers[kind].filter(pk__in=ids, case=case):
            loaded[(kind, record.pk)] = record
    entries = [
        Entry(kind=kind, record=loaded[(kind, pk)])
        for kind, pk, _at in rows
        if (kind, pk) in loaded
    ]
    return page, entries
