"""Who may record an assessment, and in which steps of the case; read by views and the action."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

from pcm.access import policy
from pcm.accounts.models import User
from pcm.cases.models import Case, CaseStatus

# An assessment follows the intake and may be repeated while the case is worked on.
RECORDABLE_STATUSES = frozenset(
    {
        CaseStatus.ASSESSMENT,
        CaseStatus.PLANNING,
        CaseStatus.IMPLEMENTATION,
        CaseStatus.FOLLOW_UP,
    }
)


def may_record_assessment(user: User | AnonymousUser, case: Case) -> bool:
    """The case's caseworker and the supervisor of its team record assessments; managers read."""
    return policy.is_case_caseworker(user, case) or policy.is_case_supervisor(user, case)


def step_refusal(case: Case) -> str | None:
    """Why CASE's step takes no assessment now (a message saying what to do), or None."""
    if case.status in RECORDABLE_STATUSES:
        return None
    if case.status == CaseStatus.INTAKE:
        return _(
            "Record consent and complete the intake first: the assessment comes after the intake."
        )
    if case.status == CaseStatus.CLOSURE_REQUESTED:
        return _(
            "This case is waiting for its closure to be approved. Ask the supervisor to send "
            "it back before recording a new assessment."
        )
    if case.status == CaseStatus.CLOSED:
        return _("This case is closed. Reopen it before recording a new assessment.")
    return _("This case was transferred to another agency; it takes no new assessment here.")
