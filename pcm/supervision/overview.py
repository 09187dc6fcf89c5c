"""What the today page and the team page show: the queue in groups, caseloads against ratios.

Each function reads in a constant number of queries, whatever the caseload: the queue's
providers one query each, the caseloads one aggregate query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Max, Q
from django.utils import timezone

from pcm.accounts.models import Team, User
from pcm.cases.models import Case, RiskLevel
from pcm.cases.queue import DueItem, due_items
from pcm.supervision import access
from pcm.supervision.models import AgreedAction, SupervisionSession

# The guide's standards: at most 25 active cases per caseworker, 6 caseworkers per supervisor.
CASELOAD_STANDARD = 25
CASEWORKERS_PER_SUPERVISOR = 6
COMING_UP_DAYS = 7
# The team queue shows this many overdue items; the rest are counted.
TEAM_QUEUE_LIMIT = 200
CASEWORKER = "caseworker"
SUPERVISOR = "supervisor"


@dataclass(frozen=True)
class Caseload:
    """Open cases against the 1:25 standard."""

    open_cases: int
    high_risk: int
    standard: int = CASELOAD_STANDARD

    @property
    def over_standard(self) -> bool:
        return self.open_cases > self.standard


@dataclass(frozen=True)
class QueueRow:
    """A queue item as a page shows it: with the caseworker holding the case (team page)."""

    item: DueItem
    caseworker: User | None = None
    overdue: bool = False


@dataclass
class TodayQueue:
    """A caseworker's queue, grouped by when things are due."""

    overdue: list[QueueRow] = field(default_factory=list)
    due_today: list[QueueRow] = field(default_factory=list)
    coming_up: list[QueueRow] = field(default_factory=list)
    later: int = 0
    waiting_for_supervisor: list[QueueRow] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.overdue or self.due_today or self.coming_up or self.later)


def _local_day(moment: datetime) -> date:
    return timezone.localdate(moment)


def group_items(items: list[DueItem], now: datetime) -> TodayQueue:
    """Split ITEMS (already most urgent first) into overdue, today, the next 7 days, later."""
    queue = TodayQueue()
    today = _local_day(now)
    horizon = today + timedelta(days=COMING_UP_DAYS)
    for item in items:
        overdue = item.is_overdue(now)
        if item.actor == SUPERVISOR:
            queue.waiting_for_supervisor.append(QueueRow(item, overdue=overdue))
        elif overdue:
            queue.overdue.append(QueueRow(item, overdue=True))
        elif item.due_at is None or _local_day(item.due_at) <= today:
            # No date means as soon as possible: it belongs to today's work.
            queue.due_today.append(QueueRow(item))
        elif _local_day(item.due_at) <= horizon:
            queue.coming_up.append(QueueRow(item))
        else:
            queue.later += 1
    return queue


def caseworker_caseload(caseworker: User) -> Caseload:
    """The caseworker's open cases and how many are high risk, in one aggregate query."""
    totals = (
        Case.objects.visible_to(caseworker)
        .filter(assigned_to=caseworker)
        .open()
        .aggregate(
            open_cases=Count("id"),
            high_risk=Count("id", filter=Q(risk_level=RiskLevel.HIGH)),
        )
    )
    return Caseload(open_cases=totals["open_cases"], high_risk=totals["high_risk"])


def caseworker_queue(caseworker: User, now: datetime) -> TodayQueue:
    """Everything due on the cases assigned to CASEWORKER, grouped."""
    cases = Case.objects.visible_to(caseworker).filter(assigned_to=caseworker)
    return group_items(due_items(cases, now), now)


def open_agreed_actions(caseworker: User) -> list[AgreedAction]:
    """What the caseworker agreed in supervision and has not done yet, soonest first."""
    return list(
        AgreedAction.objects.filter(session__caseworker=caseworker, done_at__isnull=True)
        .select_related("session")
        .order_by("due_on", "id")
    )


# The team page -------------------------------------------------------------------------------


@dataclass
class CaseworkerLoad:
    caseworker: User
    caseload: Caseload
    overdue: int = 0
    sessions: int = 0
    last_session: date | None = None


@dataclass
class TeamLoad:
    team: Team
    caseworkers: list[CaseworkerLoad]


@dataclass
class TeamOverview:
    teams: list[TeamLoad]
    caseworker_count: int
    approvals: list[QueueRow]
    overdue: list[QueueRow]
    overdue_not_shown: int
    ratio_standard: int = CASEWORKERS_PER_SUPERVISOR
    caseload_standard: int = CASELOAD_STANDARD

    @property
    def over_ratio(self) -> bool:
        return self.caseworker_count > self.ratio_standard


def _caseloads(agency_id: int | None, caseworkers: list[User]) -> dict[int | None, Caseload]:
    if agency_id is None:
        return {}
    # The whole caseload of each caseworker counts against 1:25, also cases a team they left
    # still owns: only counts leave the database, never a case the supervisor may not see.
    rows = (
        Case.objects.filter(agency_id=agency_id, assigned_to__in=caseworkers)
        .open()
        .values("assigned_to")
        .annotate(
            open_cases=Count("id"),
            high_risk=Count("id", filter=Q(risk_level=RiskLevel.HIGH)),
        )
        .order_by()
    )
    return {
        row["assigned_to"]: Caseload(open_cases=row["open_cases"], high_risk=row["high_risk"])
        for row in rows
    }


def _sessions(teams: list[Team], caseworkers: list[User]) -> dict[int, tuple[int, date | None]]:
    rows = (
        SupervisionSession.objects.filter(team__in=teams, caseworker__in=caseworkers)
        .values("caseworker")
        .annotate(total=Count("id"), last=Max("held_on"))
        .order_by()
    )
    return {row["caseworker"]: (row["total"], row["last"]) for row in rows}


def team_overview(supervisor: User, now: datetime) -> TeamOverview:
    """The supervisor's teams, each caseworker's load, and the team queue."""
    teams = list(access.supervised_teams(supervisor).order_by("name"))
    caseworkers = list(
        access.team_caseworkers(access.supervised_teams(supervisor)).order_by(
            "first_name", "last_name", "username"
        )
    )
    by_id = {caseworker.pk: caseworker for caseworker in caseworkers}
    caseloads = _caseloads(supervisor.agency_id, caseworkers)
    sessions = _sessions(teams, caseworkers)
    items = due_items(Case.objects.visible_to(supervisor), now)
    overdue_by_caseworker: dict[int | None, int] = {}
    approvals: list[QueueRow] = []
    overdue: list[QueueRow] = []
    for item in items:
        holder = by_id.get(item.case.assigned_to_id) if item.case.assigned_to_id else None
        late = item.is_overdue(now)
        if item.actor == SUPERVISOR:
            approvals.append(QueueRow(item, holder, late))
        elif late:
            overdue.append(QueueRow(item, holder, late))
            key = item.case.assigned_to_id
            overdue_by_caseworker[key] = overdue_by_caseworker.get(key, 0) + 1
    loads = {
        caseworker.pk: CaseworkerLoad(
            caseworker=caseworker,
            caseload=caseloads.get(caseworker.pk, Caseload(0, 0)),
            overdue=overdue_by_caseworker.get(caseworker.pk, 0),
            sessions=sessions.get(caseworker.pk, (0, None))[0],
            last_session=sessions.get(caseworker.pk, (0, None))[1],
        )
        for caseworker in caseworkers
    }
    team_loads = [
        TeamLoad(
            team=team,
            caseworkers=[load for load in loads.values() if load.caseworker.team_id == team.pk],
        )
        for team in teams
    ]
    return TeamOverview(
        teams=team_loads,
        caseworker_count=len(caseworkers),
        approvals=approvals,
        overdue=overdue[:TEAM_QUEUE_LIMIT],
        overdue_not_shown=max(0, len(overdue) - TEAM_QUEUE_LIMIT),
    )
