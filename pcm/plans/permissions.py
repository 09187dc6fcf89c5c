"""Who may do what with a case's plans. The case itself was already fetched through the policy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pcm.access import policy
from pcm.accounts.models import User
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


# The two roles that write a plan, as the access policy defines them.
is_caseworker_of = policy.is_case_caseworker
is_supervisor_of = policy.is_case_supervisor


def can_edit_plan(user: User | AnonymousUser, case: Case) -> bool:
    return is_caseworker_of(user, case) and case.status in PLANNING_STEPS


def can_decide_plan(user: User | AnonymousUser, case: Case) -> bool:
    return is_supervisor_of(user, case) and case.status in PLANNING_STEPS


def can_edit_safety_plan(user: User | AnonymousUser, case: Case) -> bool:
    return is_caseworker_of(user, case) and case.status in SAFETY_PLAN_STEPS
