"""Pages of the trail, newest first, reached by sequence numbers rather than by counting.

A page may gather entries from several sources (e.g. a service user's own record and their
cases): each source is read through an index that matches it, newest first and no further than
one page, and the sources are merged here — so a page costs the same few queries on a trail of
any length, whatever plans the database would pick for an OR of them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from pcm.audit.models import AuditEvent, AuditEventQuerySet
from pcm.audit.presenting import for_rows

FETCH_BATCH = 500


@dataclass
class Slice:
    events: list[AuditEvent]  # newest first
    has_newer: bool
    has_older: bool


def _pick(sources: Sequence[AuditEventQuerySet], ascending: bool, size: int) -> list[int]:
    order = "sequence" if ascending else "-sequence"
    found: set[int] = set()
    for source in sources:
        found.update(source.order_by(order).values_list("sequence", flat=True)[:size])
    return sorted(found, reverse=not ascending)[:size]


def _any(sources: Sequence[AuditEventQuerySet], **lookup: int) -> bool:
    return any(source.filter(**lookup).exists() for source in sources)


def page_of(
    sources: Sequence[AuditEventQuerySet], *, before: int | None, after: int | None, size: int
) -> Slice:
    """SIZE entries before sequence BEFORE (or after AFTER, or the newest)."""
    if after is not None:
        picked = _pick([s.filter(sequence__gt=after) for s in sources], True, size + 1)
        has_newer = len(picked) > size
        picked = picked[:size]
        has_older = bool(picked) and _any(sources, sequence__lt=picked[0])
    else:
        narrowed = [s.filter(sequence__lt=before) for s in sources] if before else sources
        picked = _pick(narrowed, False, size + 1)
        has_older = len(picked) > size
        picked = picked[:size]
        has_newer = before is not None and bool(picked) and _any(sources, sequence__gt=max(picked))
    events = list(for_rows(AuditEvent.objects.filter(sequence__in=picked)).order_by("-sequence"))
    return Slice(events, has_newer, has_older)


def all_of(sources: Sequence[AuditEventQuerySet]) -> Iterator[AuditEvent]:
    """Every entry of SOURCES, oldest first, read in batches (for a download)."""
    sequences: set[int] = set()
    for source in sources:
        sequences.update(source.values_list("sequence", flat=True))
    ordered = sorted(sequences)
    for start in range(0, len(ordered), FETCH_BATCH):
        batch = ordered[start : start + FETCH_BATCH]
        yield from for_rows(AuditEvent.objects.filter(sequence__in=batch)).order_by("sequence")
