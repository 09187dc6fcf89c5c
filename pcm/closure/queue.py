"""Step 6 in the one queue: closure requests waiting for the supervisor's approval.

Incoming transfers are not here: they concern cases the receiving supervisor cannot see yet,
so they are read with `pcm.closure.transfers.incoming_transfers_for` instead.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils.translation import gettext as _

from pcm.cases.models import CaseQuerySet
from pcm.cases.queue import DueItem, Provider
from pcm.closure.models import ClosureRequest, ClosureStatus

# A supervisor is expected to decide on a closure within this time.
CLOSURE_REVIEW_TIME = timedelta(days=3)


def closure_approvals(cases: CaseQuerySet, now: datetime) -> list[DueItem]:
    """Pending closure requests on CASES, due three days after they were made."""
    pending = (
        ClosureRequest.objects.filter(status=ClosureStatus.PENDING, case__in=cases)
        .select_related("case", "case__person")
        .order_by("requested_at")
    )
    return [
        DueItem(
            case=closure.case,
            kind="closure_approval",
            label=_("Closure approval"),
            due_at=closure.requested_at + CLOSURE_REVIEW_TIME,
            url=reverse("cases:detail", kwargs={"public_id": closure.case.public_id}) + "#closure",
            actor="supervisor",
        )
        for closure in pending
    ]


QUEUE_PROVIDERS: list[Provider] = [closure_approvals]
