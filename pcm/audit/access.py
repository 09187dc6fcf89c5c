"""Who sees which part of the audit trail.

| role                     | sees                                                         |
| ------------------------ | ------------------------------------------------------------ |
| auditor, administrator   | the whole trail of their agency, and a service user's data   |
|                          | access history (a data subject request)                      |
| supervisor               | the trail of their team's cases (and on each case's page)    |
| everyone else            | nothing                                                      |

The trail names records by case number and id, never by a service user's name, so reading it
reveals no case content: auditors see no case (pcm.access.policy lets them see none).
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from pcm.access import policy
from pcm.accounts.models import Role, User
from pcm.audit.models import AuditEvent, AuditEventQuerySet
from pcm.cases.models import Case

AGENCY_TRAIL_ROLES = frozenset({Role.AUDITOR, Role.ADMINISTRATOR})


def _member(user: User | AnonymousUser) -> User | None:
    if not isinstance(user, User) or not user.is_active:
        return None
    if user.agency is None or not user.agency.is_active:
        return None
    return user


def sees_agency_trail(user: User | AnonymousUser) -> bool:
    """Auditors and administrators see their whole agency's trail."""
    member = _member(user)
    return member is not None and member.role in AGENCY_TRAIL_ROLES


def sees_team_trail(user: User | AnonymousUser) -> bool:
    member = _member(user)
    return member is not None and member.role == Role.SUPERVISOR


def can_see_trail(user: User | AnonymousUser) -> bool:
    return sees_agency_trail(user) or sees_team_trail(user)


def trail_for(user: User | AnonymousUser) -> AuditEventQuerySet:
    """The entries USER may read: the agency's, or those about their team's cases."""
    member = _member(user)
    events = AuditEvent.objects.all()
    if member is None or member.agency_id is None:
        return events.none()
    if member.role in AGENCY_TRAIL_ROLES:
        return events.in_agency(member.agency_id)
    if member.role == Role.SUPERVISOR:
        team_cases = policy.cases_visible_to(member).filter(team__supervisor=member)
        return events.in_agency(member.agency_id).filter(case__in=team_cases.values("pk"))
    return events.none()


def can_see_case_history(user: User | AnonymousUser, case: Case) -> bool:
    """The access history on a case's page: for the supervisor of the case's team."""
    return policy.is_case_supervisor(user, case)


def case_history(case: Case) -> AuditEventQuerySet:
    """The entries of CASE's agency about CASE."""
    return AuditEvent.objects.in_agency(case.agency_id).filter(case=case)


def can_answer_subject_requests(user: User | AnonymousUser) -> bool:
    """A service user's data access history is produced by an auditor or administrator."""
    return sees_agency_trail(user)


def case_for_subject_request(user: User | AnonymousUser, public_id: uuid.UUID | str) -> Case:
    """The case (of USER's agency) whose service user's history USER produces; 404 otherwise.

    Reads the case's number and ids only, never its content.
    """
    member = _member(user)
    if member is None or member.agency_id is None or not can_answer_subject_requests(member):
        raise Http404
    try:
        key = public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
    except ValueError:
        raise Http404 from None
    case = Case.objects.filter(agency_id=member.agency_id, public_id=key).only(
        "pk", "public_id", "number", "agency_id", "person_id"
    )
    found = case.first()
    if found is None:
        raise Http404
    return found


def find_case_number(user: User, number: str) -> Case | None:
    """The case of USER's agency with NUMBER (for a subject request), or None."""
    if user.agency_id is None:
        return None
    return (
        Case.objects.filter(agency_id=user.agency_id, number=number.strip().upper())
        .only("pk", "public_id", "number")
        .first()
    )


def subject_history(user: User, case: Case) -> list[AuditEventQuerySet]:
    """Everything USER's agency recorded about CASE's service user: entries about their record
    and entries about each of their cases — one source each (a person has few cases), so each
    is read through its own index whatever statistics the database has."""
    in_agency = AuditEvent.objects.in_agency(user.agency_id or 0)
    their_cases = Case.objects.filter(person_id=case.person_id).values_list("pk", flat=True)
    return [
        in_agency.filter(person_id=case.person_id),
        *(in_agency.filter(case_id=case_id) for case_id in their_cases.order_by("pk")),
    ]
