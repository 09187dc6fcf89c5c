"""Reading a case's closure records: the latest request, and the survey still to record."""

from __future__ import annotations

from pcm.cases.models import Case
from pcm.closure.models import ClosureRequest, ClosureStatus


def latest_closure(case: Case) -> ClosureRequest | None:
    return (
        ClosureRequest.objects.filter(case=case)
        .select_related("requested_by", "decided_by")
        .order_by("-requested_at", "-id")
        .first()
    )


def pending_closure(case: Case) -> ClosureRequest | None:
    latest = latest_closure(case)
    return latest if latest is not None and latest.status == ClosureStatus.PENDING else None


def open_survey(closure: ClosureRequest | None) -> ClosureRequest | None:
    """The closure whose survey is still to be recorded (requested or approved, not yet done)."""
    if closure is None or closure.status == ClosureStatus.SENT_BACK or closure.survey_recorded:
        return None
    return closure
