"""Who may write case work: the case's caseworker and their supervisor; a manager only reads.

Reading is decided by the access policy (`get_case_for`); these checks come after it, on a
case the user can already see.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from pcm.accounts.models import Role, User
from pcm.cases.models import Case


def _member(user: User | AnonymousUser, case: Case) -> User | None:
    if not isinstance(user, User) or not user.is_active or user.agency_id != case.agency_id:
        return None
    return user


def is_case_caseworker(user: User | AnonymousUser, case: Case) -> bool:
    """USER is the caseworker the case is assigned to."""
    member = _member(user, case)
    return (
        member is not None and member.role == Role.CASEWORKER and case.assigned_to_id == member.pk
    )


def is_case_supervisor(user: User | AnonymousUser, case: Case) -> bool:
    """USER supervises the team that holds the case."""
    member = _member(user, case)
    return (
        member is not None
        and member.role == Role.SUPERVISOR
        and case.team.supervisor_id == member.pk
    )


def may_write_casework(user: User | AnonymousUser, case: Case) -> bool:
    """Notes, support, conferences and follow-ups: the caseworker and the team's supervisor."""
    return is_case_caseworker(user, case) or is_case_supervisor(user, case)


def may_move_between_follow_up_steps(user: User | AnonymousUser, case: Case) -> bool:
    """Implementation ⇄ follow-up is the caseworker's judgement on their own case."""
    return is_case_caseworker(user, case)
