"""The case's steps: which moves between steps exist, deadlines, and the first response.

Every change of a case's step goes through `move_case`, called by the action that makes the
move (e.g. `do_complete_intake`, `do_approve_plan`) after it has checked who may act and the
step's own conditions. `move_case` checks that the move exists and that nobody changed the case
meanwhile (optimistic locking), and records it in the audit trail. Runs inside the caller's
transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from pcm.audit.actions import record_event
from pcm.audit.models import AuditEventType
from pcm.cases.models import Case, CaseStatus, RiskLevel
from pcm.core.errors import ActionRefused, EditConflict

if TYPE_CHECKING:
    from pcm.accounts.models import User

S = CaseStatus
OPEN_STEPS = (S.INTAKE, S.ASSESSMENT, S.PLANNING, S.IMPLEMENTATION, S.FOLLOW_UP)

# from step -> steps it may move to
ALLOWED_MOVES: dict[CaseStatus, frozenset[CaseStatus]] = {
    S.INTAKE: frozenset({S.ASSESSMENT, S.TRANSFERRED}),
    S.ASSESSMENT: frozenset({S.PLANNING, S.TRANSFERRED}),
    S.PLANNING: frozenset({S.IMPLEMENTATION, S.ASSESSMENT, S.TRANSFERRED}),
    S.IMPLEMENTATION: frozenset({S.FOLLOW_UP, S.PLANNING, S.CLOSURE_REQUESTED, S.TRANSFERRED}),
    S.FOLLOW_UP: frozenset({S.IMPLEMENTATION, S.PLANNING, S.CLOSURE_REQUESTED, S.TRANSFERRED}),
    # approved, or sent back to the step it came from
    S.CLOSURE_REQUESTED: frozenset({S.CLOSED, S.IMPLEMENTATION, S.FOLLOW_UP}),
    # reopened with a reason: a new assessment starts
    S.CLOSED: frozenset({S.ASSESSMENT}),
    S.TRANSFERRED: frozenset(),
}


def move_case(
    case: Case,
    *,
    to: CaseStatus,
    acting_user: User,
    expected_version: int | None = None,
    detail: dict[str, object] | None = None,
) -> Case:
    """Move CASE to step TO. Refused if the move does not exist or the case changed meanwhile."""
    current = CaseStatus(case.status)
    if to not in ALLOWED_MOVES[current]:
        raise ActionRefused(
            _("A case in the step “%(current)s” cannot move to “%(target)s”.")
            % {"current": current.label, "target": to.label}
        )
    version = case.version if expected_version is None else expected_version
    now = timezone.now()
    changes: dict[str, object] = {"status": to, "version": F("version") + 1}
    if to == S.CLOSED:
        changes["closed_at"] = now
    elif current == S.CLOSED:
        changes["closed_at"] = None
    updated = Case.objects.filter(pk=case.pk, version=version, status=current).update(**changes)
    if not updated:
        raise EditConflict(
            _(
                "Someone else changed this case while you were working on it. Nothing was "
                "saved; reload the case to see the change, then try again."
            )
        )
    record_event(
        AuditEventType.CASE_STEP_CHANGED,
        actor=acting_user,
        target=case,
        agency=case.agency,
        fields=["status"],
        detail={"from": current.value, "to": to.value, **(detail or {})},
    )
    case.refresh_from_db()
    return case


def first_response_due(case: Case) -> datetime:
    """When the first response is due: opening time plus the agency's time for the risk."""
    return case.opened_at + case.agency.response_time(case.risk_level)


def record_first_response(case: Case, at: datetime) -> None:
    """The first contact after opening (a case note or an assessment) answers the deadline."""
    if case.first_response_at is None:
        Case.objects.filter(pk=case.pk, first_response_at__isnull=True).update(first_response_at=at)
        case.first_response_at = at


def change_risk_level(case: Case, level: RiskLevel, *, acting_user: User) -> None:
    """A new risk level (e.g. from an assessment); moves the deadline if no response yet."""
    if case.risk_level == level:
        return
    previous = case.risk_level
    case.risk_level = level
    fields: dict[str, object] = {"risk_level": level, "version": F("version") + 1}
    if case.first_response_at is None:
        case.first_response_due_at = first_response_due(case)
        fields["first_response_due_at"] = case.first_response_due_at
    Case.objects.filter(pk=case.pk).update(**fields)
    case.version += 1
    record_event(
        AuditEventType.CASE_RISK_CHANGED,
        actor=acting_user,
        target=case,
        agency=case.agency,
        fields=["risk_level"],
        detail={"from": previous, "to": level},
    )
