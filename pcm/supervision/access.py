"""Who may use supervision: a supervisor for the teams they lead, a caseworker for themselves.

Builds on pcm.access.policy (which decides who sees which case); this module only adds the
supervision records, which are about staff. Anything outside the user's view answers 404.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from pcm.access import policy
from pcm.accounts.models import Role, Team, User
from pcm.cases.models import Case
from pcm.supervision.models import AgreedAction, CaseFileCheck, SupervisionSession


def _member_with_role(user: User | AnonymousUser, role: Role) -> User | None:
    """USER if active, in an active agency and of ROLE (the roles that work with cases)."""
    if not policy.can_work_with_cases(user) or not isinstance(user, User):
        return None
    return user if user.role == role else None


def is_caseworker(user: User | AnonymousUser) -> bool:
    return _member_with_role(user, Role.CASEWORKER) is not None


def is_supervisor(user: User | AnonymousUser) -> bool:
    return _member_with_role(user, Role.SUPERVISOR) is not None


def supervised_teams(user: User | AnonymousUser) -> QuerySet[Team]:
    """The teams USER leads as supervisor, in their own agency."""
    member = _member_with_role(user, Role.SUPERVISOR)
    if member is None or member.agency_id is None:
        return Team.objects.none()
    return Team.objects.filter(supervisor=member, agency_id=member.agency_id)


def team_caseworkers(teams: QuerySet[Team]) -> QuerySet[User]:
    """The active caseworkers of TEAMS (those the supervisor backs, counted against 1:6)."""
    return User.objects.filter(team__in=teams, role=Role.CASEWORKER, is_active=True)


def get_supervised_caseworker(user: User | AnonymousUser, caseworker_id: int) -> User:
    """A caseworker of one of USER's teams; 404 for anyone else, as if they did not exist."""
    caseworker = (
        team_caseworkers(supervised_teams(user))
        .select_related("team")
        .filter(pk=caseworker_id)
        .first()
    )
    if caseworker is None:
        raise Http404
    return caseworker


def can_check_case_file(user: User | AnonymousUser, case: Case) -> bool:
    """Only the supervisor of the team that owns the case records its file checks."""
    member = _member_with_role(user, Role.SUPERVISOR)
    return (
        member is not None
        and case.agency_id == member.agency_id
        and case.team.supervisor_id == member.pk
    )


def can_report_check_action_done(user: User | AnonymousUser, case: Case) -> bool:
    """The caseworker holding the case reports the action done (its supervisor may too)."""
    if can_check_case_file(user, case):
        return True
    member = _member_with_role(user, Role.CASEWORKER)
    return member is not None and case.assigned_to_id == member.pk


def get_file_check_for(case: Case, check_id: int) -> CaseFileCheck:
    """A check of CASE (already fetched through the access policy); 404 otherwise."""
    check = CaseFileCheck.objects.filter(case=case, pk=check_id).first()
    if check is None:
        raise Http404
    return check


def sessions_visible_to(user: User | AnonymousUser) -> QuerySet[SupervisionSession]:
    """A caseworker's own sessions; a supervisor's sessions held for the teams they lead."""
    if is_caseworker(user):
        assert isinstance(user, User)  # noqa: S101 - checked by is_caseworker
        return SupervisionSession.objects.filter(caseworker=user)
    if is_supervisor(user):
        return SupervisionSession.objects.filter(team__in=supervised_teams(user))
    return SupervisionSession.objects.none()


def get_agreed_action_for(user: User | AnonymousUser, action_id: int) -> AgreedAction:
    """An agreed action of a session USER may see; 404 otherwise."""
    action = (
        AgreedAction.objects.select_related("session")
        .filter(pk=action_id, session__in=sessions_visible_to(user))
        .first()
    )
    if action is None:
        raise Http404
    return action
