"""Who may write case work: the case's caseworker and their supervisor; a manager only reads.

Reading is decided by the access policy (`get_case_for`); these checks come after it, on a
case the user can already see.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from pcm.access.policy import is_case_caseworker, is_case_supervisor
from pcm.accounts.models import User
from pcm.cases.models import Case

__all__ = [
    "is_case_caseworker",
    "is_case_supervisor",
    "may_move_between_follow_up_steps",
    "may_write_casework",
]


def may_write_casework(user: User | AnonymousUser, case: Case) -> bool:
    """Notes, support, conferences and follow-ups: the caseworker and the team's supervisor."""
    return is_case_caseworker(user, case) or is_case_supervisor(user, case)


def may_move_between_follow_up_steps(user: User | AnonymousUser, case: Case) -> bool:
    """Implementation ⇄ follow-up is the caseworker's judgement on their own case."""
    return is_case_caseworker(user, case)
