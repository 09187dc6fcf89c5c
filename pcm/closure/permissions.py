"""Who may do what in step 6: request, decide and reopen closures, request and decide transfers.

Each function answers for a case the user can already see (views fetch it through the access
policy) and is asked again by the action, so a view and an action cannot disagree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser

from pcm.access import policy
from pcm.accounts.models import Role, User
from pcm.cases.models import Case

if TYPE_CHECKING:
    from pcm.closure.models import TransferRequest


def _member_of(user: User | AnonymousUser, agency_id: int) -> User | None:
    """USER if they are an active user of an active agency AGENCY_ID, else None."""
    if not isinstance(user, User) or not user.is_active or user.agency_id != agency_id:
        return None
    if user.agency is None or not user.agency.is_active:
        return None
    return user


# The case's two working roles, as the access policy defines them.
is_case_caseworker = policy.is_case_caseworker
is_case_supervisor = policy.is_case_supervisor


def may_request_closure(user: User | AnonymousUser, case: Case) -> bool:
    return is_case_caseworker(user, case)


def may_decide_closure(user: User | AnonymousUser, case: Case) -> bool:
    return is_case_supervisor(user, case)


def may_record_survey(user: User | AnonymousUser, case: Case) -> bool:
    return is_case_caseworker(user, case)


def may_reopen(user: User | AnonymousUser, case: Case) -> bool:
    """The caseworker who held the case when it closed, or the team's supervisor."""
    return is_case_caseworker(user, case) or is_case_supervisor(user, case)


def may_request_transfer(user: User | AnonymousUser, case: Case) -> bool:
    return is_case_caseworker(user, case) or is_case_supervisor(user, case)


def is_supervisor_of_agency(user: User | AnonymousUser, agency_id: int) -> bool:
    member = _member_of(user, agency_id)
    return member is not None and member.role == Role.SUPERVISOR


def may_decide_transfer(user: User | AnonymousUser, transfer: TransferRequest) -> bool:
    """Any supervisor of the receiving agency decides on an incoming transfer."""
    return is_supervisor_of_agency(user, transfer.to_agency_id)


def may_see_transferred_out(user: User | AnonymousUser) -> bool:
    """Supervisors and managers see the stubs of the cases their agency transferred out."""
    if not isinstance(user, User) or user.agency_id is None:
        return False
    member = _member_of(user, user.agency_id)
    return member is not None and member.role in (Role.SUPERVISOR, Role.MANAGER)
