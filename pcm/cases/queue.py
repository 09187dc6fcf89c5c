"""The one queue of what is due: first responses, plan actions, follow-ups, approvals waiting.

Each app contributes the items it knows about with a module `<app>.queue` whose
`QUEUE_PROVIDERS` lists functions `(cases, now) -> list[DueItem]`. Each reads the given cases
(already narrowed by the access policy to what the user may see) in a constant number of
queries, whatever their number. The caseworker's "today" page and the supervisor's team page
show the merged list, highest risk first, then the most overdue.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pcm.cases.models import RISK_ORDER, Case, CaseQuerySet, RiskLevel
from pcm.core.discovery import app_modules


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


QUEUE_PROVIDERS: list[Provider] = [first_responses]


def all_providers() -> list[Provider]:
    return [provider for module in app_modules("queue") for provider in module.QUEUE_PROVIDERS]


def due_items(
    cases: CaseQuerySet, now: datetime, providers: Iterable[Provider] | None = None
) -> list[DueItem]:
    """Everything due on CASES, most urgent first: overdue, then by risk, then by date."""
    items: list[DueItem] = []
    for provider in all_providers() if providers is None else providers:
        items.extend(provider(cases, now))
    return sorted(items, key=lambda item: item.sort_key(now))
