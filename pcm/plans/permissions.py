"""Who may do what with a case's plans. The case itself was already fetched through the policy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pcm.accounts.models import Role, User
from pcm.cases.models import Case, CaseStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

# The steps in which the plan is prepared, agreed and revised.
PLANNING_STEPS = (CaseStatus.PLANNING, CaseStatus.IMPLEMENTATION, CaseStatus.FOLLOW_UP)
# The steps in which a safety plan can be made: any step the case is still open and worked on.
SAFETY_PLAN_STEPS = (
    CaseStatus.INTAKE,
    CaseStatus.ASSESSMENT,
    CaseStatus.PLANNING,
    CaseStatus.IMPLEMENTATION,
    CaseStatus.FOLLOW_UP,
)


def _active_in_agency(user: User | AnonymousUser, case: Case) -> bool:
    return isinstance(user, User) and user.is_active and user.agency_id == case.agency_id


def is_caseworker_of(user: User | AnonymousUser, case: Case) -> bool:
    """USER is the caseworker the case is assigned to."""
    return (
        _active_in_agency(user, case)
        and isinstance(user, User)
        and user.role == Role.CASEWORKER
        and case.assigned_to_id == user.pk
    )


def is_supervisor_of(user: User | AnonymousUser, case: Case) -> bool:
    """USER supervises the team that owns the case."""
    return (
        _active_in_agency(user, case)
        and isinstance(user, User)
        and user.role == Role.SUPERVISOR
        and case.team.supervisor_id == user.pk
    )


def can_edit_plan(user: User | AnonymousUser, case: Case) -> bool:
    return is_caseworker_of(user, case) and case.status in PLANNING_STEPS


def can_decide_plan(user: User | AnonymousUser, case: Case) -> bool:
    return is_supervisor_of(user, case) and case.status in PLANNING_STEPS


def can_edit_safety_plan(user: User | AnonymousUser, case: Case) -> bool:
    return is_caseworker_of(user, case) and case.status in SAFETY_PLAN_STEPS
