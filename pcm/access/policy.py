"""The need-to-know policy: which cases and people each user may see, and what they may do.

Every read of cases and people goes through `cases_visible_to` / `people_visible_to` (also
reachable as `Case.objects.visible_to(user)`), and every object fetched by a view through a
`get_*_for` function that answers 404 for anything outside the user's view, exactly as for a
record that does not exist. Default (PRODUCT.md):

| role                 | cases visible                                   |
| -------------------- | ----------------------------------------------- |
| caseworker           | the cases assigned to them                      |
| supervisor           | the cases of the teams they supervise           |
| manager              | the cases of their agency                       |
| MEAL officer         | none (suppressed aggregates only: pcm.meal)     |
| provider focal point | none; only the referrals addressed to their     |
|                      | services, and of those only what was shared     |
| administrator        | none, except under a break-glass grant          |

A manager or an administrator may also see a case of their own agency through a live break-glass
grant (emergency access with a recorded reason, for a few hours; see pcm.access.actions): read
only, never a write. Nobody ever sees another agency's cases.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from pcm.access.models import BreakGlassGrant
from pcm.accounts.models import Role, Team, User
from pcm.cases.models import Case, CaseQuerySet
from pcm.people.models import Person, PersonQuerySet
from pcm.referrals.models import Referral, ReferralStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


CASE_ROLES = frozenset({Role.CASEWORKER, Role.SUPERVISOR, Role.MANAGER})
INTAKE_ROLES = frozenset({Role.CASEWORKER, Role.SUPERVISOR})
# Roles that may ask for emergency access to a case outside their view.
BREAK_GLASS_ROLES = frozenset({Role.MANAGER, Role.ADMINISTRATOR})


def staff_member(user: User | AnonymousUser) -> User | None:
    """USER if they are an active, signed-in member of an active agency, else None."""
    if not isinstance(user, User) or not user.is_active:
        return None
    if user.agency is None or not user.agency.is_active:
        return None
    return user


def cases_visible_to(user: User | AnonymousUser, cases: CaseQuerySet | None = None) -> CaseQuerySet:
    """The cases USER may see (optionally narrowing CASES)."""
    queryset = cases if cases is not None else Case.objects.all()
    member = staff_member(user)
    if member is None:
        return queryset.none()
    assert member.agency is not None  # noqa: S101 - checked by staff_member
    in_agency = queryset.filter(agency=member.agency)
    if member.role == Role.CASEWORKER:
        return in_agency.filter(assigned_to=member)
    if member.role == Role.SUPERVISOR:
        return in_agency.filter(team__supervisor=member)
    if member.role == Role.MANAGER:
        return in_agency
    if member.role == Role.ADMINISTRATOR:
        granted = BreakGlassGrant.objects.live().filter(user=member, case=OuterRef("pk"))
        return in_agency.filter(Exists(granted))
    return queryset.none()


def people_visible_to(
    user: User | AnonymousUser, people: PersonQuerySet | None = None
) -> PersonQuerySet:
    """The service users USER may see: those with at least one case USER may see."""
    queryset = people if people is not None else Person.objects.all()
    visible_cases = cases_visible_to(user).filter(person=OuterRef("pk"))
    return queryset.filter(Exists(visible_cases))


def get_case_for(user: User | AnonymousUser, public_id: uuid.UUID | str) -> Case:
    """The case with PUBLIC_ID if USER may see it; 404 otherwise, as if it did not exist."""
    try:
        key = public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
    except ValueError:
        raise Http404 from None
    case = (
        cases_visible_to(user)
        .select_related("person", "person__location", "assigned_to", "team", "agency", "opened_by")
        .filter(public_id=key)
        .first()
    )
    if case is None:
        raise Http404
    return case


def can_work_with_cases(user: User | AnonymousUser) -> bool:
    """Whether USER's role works with case lists at all (and so sees them in the menu)."""
    member = staff_member(user)
    return member is not None and member.role in CASE_ROLES


def can_register_people(user: User | AnonymousUser) -> bool:
    """Caseworkers register people and open cases for themselves; supervisors for their team."""
    member = staff_member(user)
    if member is None or member.role not in INTAKE_ROLES:
        return False
    if member.role == Role.CASEWORKER:
        return member.team_id is not None
    return member.supervised_teams.exists()


def teams_for_intake(user: User) -> list[Team]:
    """The teams a new case opened by USER may belong to."""
    if user.role == Role.CASEWORKER and user.team is not None:
        return [user.team]
    if user.role == Role.SUPERVISOR:
        return list(user.supervised_teams.order_by("name"))
    return []


def is_case_caseworker(user: User | AnonymousUser, case: Case) -> bool:
    """USER is the caseworker who holds CASE (an active member of its agency)."""
    member = staff_member(user)
    return (
        member is not None
        and member.role == Role.CASEWORKER
        and case.agency_id == member.agency_id
        and case.assigned_to_id == member.pk
    )


def is_case_supervisor(user: User | AnonymousUser, case: Case) -> bool:
    """USER supervises the team that owns CASE (an active member of its agency)."""
    member = staff_member(user)
    return (
        member is not None
        and member.role == Role.SUPERVISOR
        and case.agency_id == member.agency_id
        and case.team.supervisor_id == member.pk
    )


def can_reassign(user: User | AnonymousUser, case: Case) -> bool:
    """Only the supervisor of the team that owns the case assigns and reassigns it."""
    return is_case_supervisor(user, case) and case.is_open


def get_case_to_work_on(user: User | AnonymousUser, public_id: uuid.UUID | str) -> Case:
    """The case, for a write: 404 if USER may not see it, 403 if they may see but not write."""
    case = get_case_for(user, public_id)
    if not can_work_on_case(user, case):
        raise PermissionDenied
    return case


def can_work_on_case(user: User | AnonymousUser, case: Case) -> bool:
    """The caseworker holding an open case, or the supervisor of its team, write to it;
    a manager reads only."""
    return case.is_open and (is_case_caseworker(user, case) or is_case_supervisor(user, case))


def assignable_caseworkers(team: Team) -> list[User]:
    """Active caseworkers of TEAM, the only people its cases can be assigned to."""
    return list(
        User.objects.filter(team=team, role=Role.CASEWORKER, is_active=True).order_by(
            "first_name", "last_name", "username"
        )
    )


def can_administer(user: User | AnonymousUser) -> bool:
    """Administrators manage agencies, offices, teams and users; they see no case content."""
    return isinstance(user, User) and user.is_active and user.role == Role.ADMINISTRATOR


def can_request_break_glass(user: User | AnonymousUser) -> bool:
    """Managers and administrators may ask for emergency access to a case of their agency."""
    member = staff_member(user)
    return member is not None and member.role in BREAK_GLASS_ROLES


def can_review_break_glass(user: User | AnonymousUser) -> bool:
    """Managers and administrators review the emergency accesses of their agency."""
    return can_request_break_glass(user)


def can_revoke_break_glass(user: User | AnonymousUser, grant: BreakGlassGrant) -> bool:
    """The holder ends their own emergency access early; a manager of the agency ends anyone's."""
    member = staff_member(user)
    if member is None or grant.case.agency_id != member.agency_id:
        return False
    return grant.user_id == member.pk or member.role == Role.MANAGER


def live_break_glass_grant(user: User | AnonymousUser, case: Case) -> BreakGlassGrant | None:
    """USER's break-glass grant in force for CASE, if any (their access to it rests on it, or
    for a manager, their view of it is recorded as emergency access)."""
    member = staff_member(user)
    if member is None or member.role not in BREAK_GLASS_ROLES or case.agency_id != member.agency_id:
        return None
    grant: BreakGlassGrant | None = (
        BreakGlassGrant.objects.live()
        .filter(user=member, case=case)
        .order_by("-expires_at")
        .first()
    )
    return grant


# Referrals. The referring side reaches a referral through its case; the receiving side (a
# provider's focal point) through the services they receive referrals for, and never the case.


def referrals_visible_to(user: User | AnonymousUser) -> QuerySet[Referral]:
    """The referrals of the cases USER may see."""
    return Referral.objects.filter(case__in=cases_visible_to(user))


def get_referral_for(user: User | AnonymousUser, public_id: uuid.UUID | str) -> Referral:
    """A referral of a case USER may see; 404 otherwise."""
    return _referral_or_404(referrals_visible_to(user), public_id)


def is_focal_point(user: User | AnonymousUser) -> bool:
    member = staff_member(user)
    return member is not None and member.role == Role.PROVIDER_FOCAL_POINT


def referrals_received_by(user: User | AnonymousUser) -> QuerySet[Referral]:
    """The referrals sent through PCM to the services USER is a focal point of."""
    member = staff_member(user)
    if member is None or member.role != Role.PROVIDER_FOCAL_POINT:
        return Referral.objects.none()
    # Only what was sent to them in PCM (a referral that went on paper before they were named
    # stays with the referring agency), and only while they belong to the provider's agency in
    # PCM (the directory's own agency for a service it runs itself).
    provider_agency = Q(service__provider__pcm_agency=member.agency) | Q(
        service__provider__pcm_agency__isnull=True, service__provider__agency=member.agency
    )
    return (
        Referral.objects.filter(service__focal_points__user=member, through_portal=True)
        .filter(provider_agency)
        .distinct()
    )


def get_received_referral_for(user: User | AnonymousUser, public_id: uuid.UUID | str) -> Referral:
    """A referral addressed to USER's service; 404 otherwise."""
    return _referral_or_404(referrals_received_by(user), public_id)


def provider_sees_shared_fields(referral: Referral) -> bool:
    """The provider no longer sees what was shared once the referral is withdrawn or the
    service user withdraws their consent (or it no longer covers referrals)."""
    from pcm.referrals.sharing import referral_consent

    return referral.status != ReferralStatus.WITHDRAWN and referral_consent(referral.case).allowed


def _referral_or_404(referrals: QuerySet[Referral], public_id: uuid.UUID | str) -> Referral:
    try:
        key = public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
    except ValueError:
        raise Http404 from None
    referral = (
        referrals.select_related("service", "service__provider", "agency", "referred_by")
        .filter(public_id=key)
        .first()
    )
    if referral is None:
        raise Http404
    return referral
