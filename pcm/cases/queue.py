"""The one queue of what is due: first responses, plan actions, follow-ups, approvals waiting.

Each area of PCM contributes the items it knows about through a provider listed in
`QUEUE_PROVIDERS`: a function `(cases, now) -> list[DueItem]` that reads the given cases (already
narrowed by the access policy to what the user may see) in a constant number of queries,
whatever their number. The caseworker's "today" page and the supervisor's team page show the
merged list, highest risk first, then the most overdue.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from pcm.cases.models import RISK_ORDER, Case, CaseQuerySet, RiskLevel


@dataclass(frozen=True)
class DueItem:
    """One thing someone must do on a case, and by when (None: as soon as possible)."""

    case: Case
    kind: str  # e.g. "first_response", "plan_action", "follow_up", "plan_approval"
    label: str
    due_at: datetime | None
    url: str
    # who is expected to act: "caseworker" or "supervisor"
    actor: str = "caseworker"

    def is_overdue(self, now: datetime) -> bool:
        return self.due_at is not None and self.due_at < now

    def sort_key(self, now: datetime) -> tuple[int, int, float]:
        risk = RISK_ORDER.get(RiskLevel(self.case.risk_level), 3)
        overdue = 0 if self.is_overdue(now) else 1
        due = self.due_at.timestamp() if self.due_at else now.timestamp()
        return (overdue, risk, due)


Provider = Callable[[CaseQuerySet, datetime], list[DueItem]]

# Dotted paths, so that each area owns its provider; the list grows with each step's module.
QUEUE_PROVIDERS: list[str] = [
    "pcm.cases.queue.first_responses",
]


def case_url(case: Case) -> str:
    return reverse("cases:detail", kwargs={"public_id": case.public_id})


def first_responses(cases: CaseQuerySet, now: datetime) -> list[DueItem]:
    """Open cases still waiting for their first response."""
    waiting = (
        cases.open()
        .filter(first_response_at__isnull=True, first_response_due_at__isnull=False)
        .select_related("person")
    )
    return [
        DueItem(
            case=case,
            kind="first_response",
            label=str(_("First response")),
            due_at=case.first_response_due_at,
            url=case_url(case),
        )
        for case in waiting
    ]


def due_items(cases: CaseQuerySet, now: datetime, providers: Iterable[str] = ()) -> list[DueItem]:
    """Everything due on CASES, most urgent first."""
    items: list[DueItem] = []
    for path in providers or QUEUE_PROVIDERS:
        provider: Provider = import_string(path)
        items.extend(provider(cases, now))
    return sorted(items, key=lambda item: item.sort_key(now))
