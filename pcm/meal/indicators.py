"""The MEAL indicators (PRODUCT.md, "MEAL"; the guide's standards table), each declared with the
definition shown beside it, and computed with aggregate SQL for any period, filters and
disaggregation.

An indicator's `source` gives the rows it counts (cases, plan actions, closures, surveys...),
already limited to the scope, the period rule and the filters, with the condition its
numerator adds. Counting is always `COUNT(DISTINCT pk)` grouped in the database: never a loop
over cases, and never a row about a person leaves the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from django.db.models import Case as When_  # the SQL CASE, not a protection case
from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pcm.accounts.models import Role, User
from pcm.cases.intake import Eligibility, ExceptionStatus
from pcm.cases.models import Case, CaseStatus
from pcm.meal.query import (
    CASE_DIMS,
    OVERLAPPING_DIMS,
    Dim,
    Filters,
    LocalDate,
    Period,
    Scope,
    SplitFilters,
    age_group_expression,
    ancestor_at,
    dim_path,
    disability_expression,
    filter_conditions,
    flag_name,
    location_tree,
    scope_q,
)


class Unit(StrEnum):
    PERCENT = "percent"
    RATIO = "ratio"
    COUNT = "count"


@dataclass(frozen=True)
class Target:
    """A standard's target: the value must be at most (or at least) VALUE."""

    value: float
    at_most: bool = False

    def met(self, actual: float | None) -> bool | None:
        if actual is None:
            return None
        return actual <= self.value if self.at_most else actual >= self.value

    @property
    def text(self) -> str:
        shown = f"{self.value:g}"
        return f"≤ {shown}" if self.at_most else f"≥ {shown}"


@dataclass(frozen=True)
class Figure:
    """A numerator over a denominator (None for a plain count)."""

    numerator: int
    denominator: int | None = None

    def value(self, unit: Unit) -> float | None:
        if unit == Unit.COUNT:
            return float(self.numerator)
        if not self.denominator:
            return None
        ratio = self.numerator / self.denominator
        return round(ratio * 100, 1) if unit == Unit.PERCENT else round(ratio, 1)


@dataclass(frozen=True)
class Source:
    """What an indicator counts: ROWS (scope, period and filters applied), reaching their case
    by PREFIX (None: rows not linked to a case), the NUMERATOR condition (None: a count), and
    the date field each row falls in a month by (None: a figure at a point in time)."""

    rows: QuerySet[Any]
    prefix: str | None
    numerator: Q | None = None
    month_field: str | None = None
    # Dimensions of the rows themselves: the dimension and the field it groups by.
    own_dims: tuple[tuple[Dim, str], ...] = ()


SourceBuilder = Callable[[Scope, Period, Filters], Source | None]


@dataclass(frozen=True)
class Indicator:
    code: str
    title: Promise
    numerator: Promise
    denominator: Promise
    period_rule: Promise
    unit: Unit
    source: SourceBuilder
    target: Target | None = None
    dims: tuple[Dim, ...] = CASE_DIMS
    # A ratio's denominator (e.g. caseworkers), in total and by team; None elsewhere.
    ratio_denominator: Callable[[Scope, Filters], dict[int | None, int]] | None = None
    # Measured at a point in time (the period's end): monthly trends take one query a month.
    stock: bool = False
    # Over the whole period, neither the sum of its months' figures nor its last month's
    # (cases checked among those open at some time in it): each period is counted apart.
    over_whole_period: bool = False
    # The standard or guidance it answers to.
    standard: Promise | None = None
    # False where it counts staff only (no service user to protect by suppression).
    counts_people: bool = True


# --- Helpers --------------------------------------------------------------------------------


def within_scope(
    rows: QuerySet[Any],
    scope: Scope,
    filters: Filters,
    on: date,
    prefix: str,
    own_agency: bool = False,
) -> QuerySet[Any]:
    """ROWS within SCOPE and FILTERS (on their case, reached by PREFIX). OWN_AGENCY: ROWS are
    already those of the scope's agency (by a field of their own), so that the case is joined
    only for a team or a filter. SplitFilters are not applied but mark each row with one
    column per filter (`flag_name`), 1 where the row's case meets it."""
    if not own_agency or scope.team_ids is not None:
        rows = rows.filter(scope_q(scope, prefix))
    q = Q()
    for name, (condition, needed) in filter_conditions(filters, prefix, scope, on).items():
        if needed:
            rows = rows.annotate(**needed)
        if isinstance(filters, SplitFilters):
            flag = When_(When(condition, then=Value(1)), default=Value(0))
            rows = rows.annotate(**{flag_name(name): flag})
        else:
            q &= condition
    return rows.filter(q)


def _open_at(moment: Any) -> Q:
    """Cases open at MOMENT (opened before, not closed by then, not transferred out)."""
    return (
        Q(opened_at__lt=moment)
        & (Q(closed_at__isnull=True) | Q(closed_at__gte=moment))
        & ~Q(status=CaseStatus.TRANSFERRED)
    )


def in_period(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": period.starts_at, f"{field}__lt": period.ends_before})


# --- Sources ------------------------------------------------------------------------------


def caseload_source(scope: Scope, period: Period, filters: Filters) -> Source:
    rows = Case.objects.filter(_open_at(period.ends_before), assigned_to__isnull=False)
    return Source(within_scope(rows, scope, filters, period.end, ""), "")


def caseworkers_by_team(scope: Scope, filters: Filters) -> dict[int | None, int]:
    """Active caseworkers in the scope's teams, by team (None: all of them)."""
    users = User.objects.filter(
        agency=scope.agency, role=Role.CASEWORKER, is_active=True, team__isnull=False
    )
    if scope.team_ids is not None:
        users = users.filter(team__in=scope.team_ids)
    if filters.team is not None:
        users = users.filter(team=filters.team)
    counts: dict[int | None, int] = {
        row["team"]: row["n"] for row in users.order_by().values("team").annotate(n=Count("pk"))
    }
    counts[None] = sum(counts.values())
    return counts


def supervision_source(scope: Scope, period: Period, filters: Filters) -> Source:
    users = User.objects.filter(
        agency=scope.agency,
        role=Role.CASEWORKER,
        is_active=True,
        team__supervisor__isnull=False,
    )
    if scope.team_ids is not None:
        users = users.filter(team__in=scope.team_ids)
    if filters.team is not None:
        users = users.filter(team=filters.team)
    return Source(users, None, own_dims=((Dim.TEAM, "team"),))


def supervisors_by_team(scope: Scope, filters: Filters) -> dict[int | None, int]:
    from pcm.accounts.models import Team

    teams = Team.objects.filter(agency=scope.agency, supervisor__isnull=False)
    if scope.team_ids is not None:
        teams = teams.filter(pk__in=scope.team_ids)
    if filters.team is not None:
        teams = teams.filter(pk=filters.team.pk)
    pairs = list(teams.values_list("pk", "supervisor"))
    counts: dict[int | None, int] = {team: 1 for team, _supervisor in pairs}
    counts[None] = len({supervisor for _team, supervisor in pairs})
    return counts


def new_cases_source(scope: Scope, period: Period, filters: Filters) -> Source:
    rows = Case.objects.filter(in_period("opened_at", period))
    return Source(within_scope(rows, scope, filters, period.end, ""), "", month_field="opened_at")


def registered_source(scope: Scope, period: Period, filters: Filters) -> Source:
    rows = Case.objects.filter(in_period("opened_at", period), screening__isnull=False)
    consistent = Q(screening__eligibility=Eligibility.ELIGIBLE) & (
        Q(screening__safeguard="") | Q(screening__exception_status=ExceptionStatus.APPROVED)
    )
    return Source(
        within_scope(rows, scope, filters, period.end, ""),
        "",
        numerator=consistent,
        month_field="opened_at",
    )


def first_response_source(scope: Scope, period: Period, filters: Filters) -> Source:
    now = timezone.now()
    rows = Case.objects.filter(
        in_period("opened_at", period), first_response_due_at__isnull=False
    ).exclude(first_response_at__isnull=True, first_response_due_at__gte=now)
    on_time = Q(first_response_at__isnull=False, first_response_at__lte=F("first_response_due_at"))
    return Source(
        within_scope(rows, scope, filters, period.end, ""),
        "",
        numerator=on_time,
        month_field="opened_at",
    )


def plan_source(scope: Scope, period: Period, filters: Filters) -> Source:
    from pcm.plans.models import PlanVersion

    rows = PlanVersion.objects.filter(number=1).filter(in_period("created_at", period))
    agreed = PlanVersion.objects.filter(case=OuterRef("case"), agreed_with_service_user=True)
    return Source(
        within_scope(rows, scope, filters, period.end, "case__"),
        "case__",
        numerator=Q(Exists(agreed)),
        month_field="created_at",
    )


def plan_actions_source(scope: Scope, period: Period, filters: Filters) -> Source:
    from pcm.plans.models import CURRENT_STATUSES, ActionStatus, PlanAction

    today = timezone.localdate(timezone=scope.zone)
    # The actions of the plan in force: an action carried into a new version is the new
    # version's row, so each counts once.
    rows = PlanAction.objects.filter(
        plan_version__status__in=CURRENT_STATUSES,
        due_on__gte=period.start,
        due_on__lte=min(period.end, today - timedelta(days=1)),
    ).exclude(status=ActionStatus.CANCELLED)
    done_on = LocalDate("status_changed_at", scope.zone)
    on_time = Q(status=ActionStatus.DONE) & Q(LessThanOrEqual(done_on, F("due_on")))
    return Source(
        within_scope(rows, scope, filters, period.end, "case__"),
        "case__",
        numerator=on_time,
        month_field="due_on",
    )


def overdue_actions_source(scope: Scope, period: Period, filters: Filters) -> Source:
    from pcm.plans.models import CURRENT_STATUSES, OPEN_ACTION_STATUSES, PlanAction

    today = timezone.localdate(timezone=scope.zone)
    rows = PlanAction.objects.filter(
        plan_version__status__in=CURRENT_STATUSES,
        status__in=OPEN_ACTION_STATUSES,
        due_on__lt=today,
    ).exclude(case__status__in=(CaseStatus.CLOSED, CaseStatus.TRANSFERRED))
    return Source(within_scope(rows, scope, filters, today, "case__"), "case__")


def file_check_source(scope: Scope, period: Period, filters: Filters) -> Source:
    from pcm.supervision.models import CaseFileCheck

    rows = Case.objects.filter(
        Q(opened_at__lt=period.ends_before)
        & (Q(closed_at__isnull=True) | Q(closed_at__gte=period.starts_at))
        & ~Q(status=CaseStatus.TRANSFERRED)
    )
    checked = CaseFileCheck.objects.filter(case=OuterRef("pk")).filter(
        in_period("checked_at", period)
    )
    return Source(
        within_scope(rows, scope, filters, period.end, ""), "", numerator=Q(Exists(checked))
    )


def _closures(scope: Scope, period: Period, filters: Filters) -> QuerySet[Any]:
    from pcm.closure.models import ClosureRequest, ClosureStatus

    rows = ClosureRequest.objects.filter(status=ClosureStatus.APPROVED).filter(
        in_period("decided_at", period)
    )
    return within_scope(rows, scope, filters, period.end, "case__")


def closures_source(scope: Scope, period: Period, filters: Filters) -> Source:
    return Source(
        _closures(scope, period, filters),
        "case__",
        month_field="decided_at",
        own_dims=((Dim.CLOSURE_REASON, "criterion"),),
    )


def closed_per_criteria_source(scope: Scope, period: Period, filters: Filters) -> Source:
    from pcm.closure.models import MIN_CONTACT_ATTEMPTS, ClosureCriterion

    documented = ~Q(criterion=ClosureCriterion.UNREACHABLE) | Q(
        contact_attempts__gte=MIN_CONTACT_ATTEMPTS
    )
    return Source(
        _closures(scope, period, filters),
        "case__",
        numerator=documented,
        month_field="decided_at",
        own_dims=((Dim.CLOSURE_REASON, "criterion"),),
    )


def satisfaction_source(scope: Scope, period: Period, filters: Filters) -> Source | None:
    from pcm.closure.models import SATISFIED_SCORE, SatisfactionSurvey

    # Surveys carry only agency, team and month, by design: other filters cannot apply.
    if not filters.only_team:
        return None
    rows = SatisfactionSurvey.objects.filter(
        agency=scope.agency, month__gte=period.start.replace(day=1), month__lte=period.end
    )
    if scope.team_ids is not None:
        rows = rows.filter(team__in=scope.team_ids)
    if filters.team is not None:
        rows = rows.filter(team=filters.team)
    return Source(
        rows,
        None,
        numerator=Q(overall_satisfaction__gte=SATISFIED_SCORE),
        month_field="month",
        own_dims=((Dim.TEAM, "team"), (Dim.AGENCY, "agency")),
    )


def wellbeing_source(scope: Scope, period: Period, filters: Filters) -> Source:
    from pcm.assessments.wellbeing import COMPARABLE, with_wellbeing

    rows = with_wellbeing(
        Case.objects.filter(status=CaseStatus.CLOSED).filter(in_period("closed_at", period))
    ).filter(assessment_count__gte=COMPARABLE)  # type: ignore[misc]  # an annotation of with_wellbeing
    return Source(
        within_scope(rows, scope, filters, period.end, ""),
        "",
        numerator=Q(first_phq9_total__gt=F("latest_phq9_total")),
        month_field="closed_at",
    )


# --- The indicators ---------------------------------------------------------------------------

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        code="caseload",
        title=_("Caseload per caseworker"),
        numerator=_("Cases open on the last day of the period and assigned to a caseworker."),
        denominator=_("Active caseworkers of the teams in view."),
        period_rule=_("Measured on the last day of the period."),
        unit=Unit.RATIO,
        source=caseload_source,
        target=Target(25, at_most=True),
        ratio_denominator=caseworkers_by_team,
        stock=True,
        standard=_("Caseworker: service user ratio requirement is met (1:25)."),
    ),
    Indicator(
        code="supervision",
        title=_("Caseworkers per supervisor"),
        numerator=_("Active caseworkers in teams that have a supervisor."),
        denominator=_("Supervisors of those teams."),
        period_rule=_("Measured today, whatever the period."),
        unit=Unit.RATIO,
        source=supervision_source,
        target=Target(6, at_most=True),
        dims=(Dim.TEAM,),
        ratio_denominator=supervisors_by_team,
        standard=_("One supervisor to about six caseworkers."),
        counts_people=False,
    ),
    Indicator(
        code="new_cases",
        title=_("New cases"),
        numerator=_("Cases opened in the period."),
        denominator=_("None: a count."),
        period_rule=_("By the date the case was opened."),
        unit=Unit.COUNT,
        source=new_cases_source,
    ),
    Indicator(
        code="registered_per_criteria",
        title=_("Cases registered consistent with the criteria"),
        numerator=_(
            "Cases screened eligible at intake, not to be routed to specialised case "
            "management or with an approved exception."
        ),
        denominator=_("Cases opened in the period with an intake screening."),
        period_rule=_("By the date the case was opened."),
        unit=Unit.PERCENT,
        source=registered_source,
        standard=_("Cases registered at intake consistent with criteria."),
    ),
    Indicator(
        code="first_response",
        title=_("First response within the risk level's deadline"),
        numerator=_("Cases whose first response came by the deadline of their risk level."),
        denominator=_(
            "Cases opened in the period with a response deadline, except those still "
            "waiting whose deadline has not passed."
        ),
        period_rule=_("By the date the case was opened."),
        unit=Unit.PERCENT,
        source=first_response_source,
        standard=_("Any service delays are proactively addressed appropriate to risk level."),
    ),
    Indicator(
        code="plans_with_service_user",
        title=_("Case plans developed with the service user"),
        numerator=_("Cases whose plan was agreed with the service user."),
        denominator=_("Cases whose first case action plan was drafted in the period."),
        period_rule=_("By the date the first plan version was started."),
        unit=Unit.PERCENT,
        source=plan_source,
        standard=_("Case plans are developed collaboratively with service users."),
    ),
    Indicator(
        code="plan_actions_on_time",
        title=_("Plan actions done on time"),
        numerator=_("Actions marked done on or before their due date."),
        denominator=_(
            "Actions of the plans in force due in the period (up to yesterday), not cancelled."
        ),
        period_rule=_("By the action's due date."),
        unit=Unit.PERCENT,
        source=plan_actions_source,
        standard=_("Case plan implementation is conducted according to agreed deadlines."),
    ),
    Indicator(
        code="plan_actions_overdue",
        title=_("Open plan actions overdue"),
        numerator=_(
            "Actions of the plans in force of open cases, still to do or in progress, "
            "whose due date has passed."
        ),
        denominator=_("None: a count."),
        period_rule=_("Measured today, whatever the period."),
        unit=Unit.COUNT,
        source=overdue_actions_source,
    ),
    Indicator(
        code="file_checks",
        title=_("Case files checked"),
        numerator=_("Cases whose file a supervisor checked in the period."),
        denominator=_("Cases open at any time in the period."),
        period_rule=_("Checks made within the period."),
        unit=Unit.PERCENT,
        source=file_check_source,
        stock=True,
        over_whole_period=True,
        standard=_("Case file reviews conducted regularly by supervisors."),
    ),
    Indicator(
        code="closures",
        title=_("Closures by reason"),
        numerator=_("Closures approved by a supervisor in the period."),
        denominator=_("None: a count."),
        period_rule=_("By the date the supervisor approved the closure."),
        unit=Unit.COUNT,
        source=closures_source,
        dims=(*CASE_DIMS, Dim.CLOSURE_REASON),
    ),
    Indicator(
        code="closed_per_criteria",
        title=_("Cases closed as per the criteria"),
        numerator=_(
            "Approved closures with a documented criterion; for “unreachable”, after at "
            "least three recorded contact attempts."
        ),
        denominator=_("Closures approved in the period."),
        period_rule=_("By the date the supervisor approved the closure."),
        unit=Unit.PERCENT,
        source=closed_per_criteria_source,
        dims=(*CASE_DIMS, Dim.CLOSURE_REASON),
        standard=_("Cases closed as per standard operating procedure criteria."),
    ),
    Indicator(
        code="satisfaction",
        title=_("Service users satisfied"),
        numerator=_("Surveys answering 4 or 5 out of 5 on overall satisfaction."),
        denominator=_("Satisfaction surveys answered at closure in the period."),
        period_rule=_(
            "By the month of closure (surveys keep only the month, team and agency, so that "
            "answers cannot be traced to a case: other filters do not apply)."
        ),
        unit=Unit.PERCENT,
        source=satisfaction_source,
        target=Target(90),
        dims=(Dim.TEAM, Dim.AGENCY),
        standard=_("Service user satisfaction survey conducted with consent, when possible."),
    ),
    Indicator(
        code="wellbeing_improved",
        title=_("Well-being improved at closure"),
        numerator=_("Cases whose latest PHQ-9 total is lower than at the first assessment."),
        denominator=_("Cases closed in the period with at least two assessments."),
        period_rule=_("By the date the case was closed."),
        unit=Unit.PERCENT,
        source=wellbeing_source,
        target=Target(90),
        standard=_("Service users achieve improved psychosocial well-being."),
    ),
)

BY_CODE = {indicator.code: indicator for indicator in INDICATORS}


def indicators() -> tuple[Indicator, ...]:
    """Every indicator, those of other apps (referrals, feedback) included when installed."""
    from pcm.meal.extra_indicators import extra_indicators

    return (*INDICATORS, *extra_indicators())


def get_indicator(code: str) -> Indicator | None:
    for indicator in indicators():
        if indicator.code == code:
            return indicator
    return None


# --- Computing -------------------------------------------------------------------------------

TOTAL = "__total__"


def _aggregates(source: Source, distinct: bool = False) -> dict[str, Any]:
    """The counts of SOURCE's rows (and of those in its numerator). DISTINCT where a join to
    a many-valued relation (a case's risk types) repeats rows."""
    counts: dict[str, Any] = {"den": Count("pk", distinct=distinct)}
    if source.numerator is not None:
        counts["num"] = Count("pk", distinct=distinct, filter=source.numerator)
    return counts


def _figure(row: dict[str, Any], source: Source) -> Figure:
    if source.numerator is None:
        return Figure(int(row["den"] or 0))
    return Figure(int(row["num"] or 0), int(row["den"] or 0))


def _group_path(source: Source, dim: Dim, period: Period) -> tuple[QuerySet[Any], str] | None:
    return _axis_path(source.rows, source, dim, period, "meal_key")


def _empty(source: Source) -> Figure:
    """Nothing counted: a count of nought, or nought over nought."""
    return Figure(0) if source.numerator is None else Figure(0, 0)


def _count(
    source: Source, period: Period, dim: Dim | None, location_level: int
) -> dict[object, Figure] | None:
    """SOURCE's figures by group of DIM (and TOTAL); None where SOURCE has no such groups."""
    found: dict[object, Figure] = {}
    if dim is not None:
        grouped = _group_path(source, dim, period)
        if grouped is None:
            return None
        rows, path = grouped
        tree = location_tree() if dim == Dim.LOCATION else {}
        repeats = dim in OVERLAPPING_DIMS
        for row in rows.order_by().values(path).annotate(**_aggregates(source, repeats)):
            key = row[path]
            if dim == Dim.LOCATION:
                key = ancestor_at(tree, key, location_level)
            figure = _figure(row, source)
            found[key] = add_figures(found[key], figure) if key in found else figure
    if dim is None or dim in OVERLAPPING_DIMS:
        found[TOTAL] = _figure(source.rows.order_by().aggregate(**_aggregates(source)), source)
    else:
        # The groups share out the rows (a location above the level shown, or none, is a
        # group of its own): their sum is the total, with no second query.
        total = _empty(source)
        for figure in found.values():
            total = add_figures(total, figure)
        found[TOTAL] = total
    return found


def compute(
    indicator: Indicator,
    scope: Scope,
    period: Period,
    filters: Filters,
    dim: Dim | None = None,
    location_level: int = 1,
) -> dict[object, Figure] | None:
    """INDICATOR's figures by group of DIM (the key TOTAL for all) with FILTERS applied, or
    None where it does not apply (e.g. surveys with a filter they cannot follow). The tables
    people see come from pcm.meal.linked, which counts by the filters' values instead."""
    source = indicator.source(scope, period, filters)
    if source is None:
        return None
    result = _count(source, period, dim, location_level)
    if result is None:
        return None
    if indicator.ratio_denominator is not None:
        staff = indicator.ratio_denominator(scope, filters)
        result = with_ratio_denominators(indicator, dim, result, staff)
    return result


def add_figures(first: Figure, second: Figure) -> Figure:
    if first.denominator is None or second.denominator is None:
        return Figure(first.numerator + second.numerator)
    return Figure(first.numerator + second.numerator, first.denominator + second.denominator)


def with_ratio_denominators(
    indicator: Indicator,
    dim: Dim | None,
    figures: dict[object, Figure],
    staff: dict[int | None, int],
) -> dict[object, Figure]:
    """A ratio's numerators are the counted rows; its denominators come from STAFF (the
    indicator's `ratio_denominator`: in total, key None, and by team); other groups have no
    denominator of their own."""
    assert indicator.ratio_denominator is not None  # noqa: S101 - checked by the caller
    out: dict[object, Figure] = {}
    for key, figure in figures.items():
        if key == TOTAL:
            out[key] = Figure(figure.numerator, staff.get(None, 0))
        elif dim == Dim.TEAM:
            out[key] = Figure(figure.numerator, staff.get(key, 0))  # type: ignore[call-overload]
        else:
            out[key] = Figure(figure.numerator)
    if dim == Dim.TEAM:
        for team, count in staff.items():
            if team is not None and team not in out:
                out[team] = Figure(0, count)
    return out


def trend(
    indicator: Indicator, scope: Scope, period: Period, filters: Filters
) -> dict[date, Figure] | None:
    """INDICATOR month by month over the period with FILTERS applied (None where it has no
    trend)."""
    months = period.months()
    if indicator.stock:
        out: dict[date, Figure] = {}
        for month in months:
            last = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            sub = Period(max(month, period.start), min(last, period.end), period.zone)
            single = compute(indicator, scope, sub, filters)
            if single is None:
                return None
            out[month] = single[TOTAL]
        return out
    if indicator.ratio_denominator is not None:
        return None
    source = indicator.source(scope, period, filters)
    if source is None or source.month_field is None:
        return None
    rows = (
        source.rows.order_by()
        .annotate(meal_month=_month_index(source, source.month_field, months, period))
        .values("meal_month")
        .annotate(**_aggregates(source))
    )
    found = {months[int(row["meal_month"])]: _figure(row, source) for row in rows}
    return {month: found.get(month, _empty(source)) for month in months}


def _month_index(source: Source, field: str, months: list[date], period: Period) -> Any:
    """Which of MONTHS a row falls in (its index), as plain SQL comparisons with the months'
    first moments in the agency's time zone: no date function runs row by row."""
    moment = isinstance(source.rows.query.resolve_ref(field).output_field, DateTimeField)
    branches = []
    for index, month in enumerate(months[1:]):
        edge: Any = datetime.combine(month, time.min, tzinfo=period.zone) if moment else month
        branches.append(When(**{f"{field}__lt": edge}, then=Value(index)))
    return When_(*branches, default=Value(len(months) - 1), output_field=IntegerField())


# --- Counting by several axes at once (the linked tables of pcm.meal.linked) ----------------

# What an axis counts by: a dimension of the rows, the month, or whether each row's case
# meets the risk-type filter (SplitFilters' flag).
MONTH = "month"
RISK_FLAG = "risk_flag"
AxisSource = Dim | str
Atoms = dict[tuple[object, ...], Figure]  # figures by the raw value of each axis


def _axis_path(
    rows: QuerySet[Any], source: Source, by: AxisSource, period: Period, alias: str
) -> tuple[QuerySet[Any], str] | None:
    """ROWS annotated (where needed) with what BY groups them by, and the field's name."""
    if by == RISK_FLAG:
        flag = flag_name("risk_type")
        return (rows, flag) if flag in rows.query.annotations else None
    if by == MONTH:
        if source.month_field is None:
            return None
        index = _month_index(source, source.month_field, period.months(), period)
        return rows.annotate(**{alias: index}), alias
    dim = Dim(by)
    own = dict(source.own_dims)
    if dim in own:
        return rows, own[dim]
    if source.prefix is None or dim not in CASE_DIMS:
        return None
    if dim == Dim.AGE_GROUP:
        return rows.annotate(**{alias: age_group_expression(source.prefix, period.end)}), alias
    if dim == Dim.DISABILITY:
        return rows.annotate(**{alias: disability_expression(source.prefix)}), alias
    return rows, dim_path(dim, source.prefix)


def count_atoms(
    indicator: Indicator,
    scope: Scope,
    period: Period,
    filters: Filters,
    axes: tuple[AxisSource, ...],
    distinct: bool,
) -> Atoms | None:
    """INDICATOR's figures by the value of every one of AXES at once, over the rows of the
    scope and period with no filter applied but the risk type's (marked, not applied): what
    every selection of values of those axes is worked out from, in one query (a point-in-time
    figure by month: one query a month). DISTINCT where an axis repeats rows (risk types).
    None where the indicator cannot be counted so (not under FILTERS, or not by those axes)."""
    if indicator.source(scope, period, filters) is None:
        return None
    if MONTH in axes and indicator.stock:
        return _count_by_month(indicator, scope, period, filters, axes, distinct)
    if MONTH in axes and indicator.ratio_denominator is not None:
        return None
    marked = SplitFilters(risk_type=filters.risk_type) if RISK_FLAG in axes else Filters()
    source = indicator.source(scope, period, marked)
    if source is None:
        return None
    rows = source.rows
    paths = []
    for position, by in enumerate(axes):
        found = _axis_path(rows, source, by, period, f"meal_axis_{position}")
        if found is None:
            return None
        rows, path = found
        paths.append(path)
    months = period.months()
    atoms: Atoms = {}
    grouped = rows.order_by().values(*paths).annotate(**_aggregates(source, distinct))
    for row in grouped if paths else [rows.order_by().aggregate(**_aggregates(source))]:
        key = []
        for by, path in zip(axes, paths, strict=True):
            value = row[path]
            if by == MONTH:
                if value is None:
                    break
                value = months[int(value)]
            elif by == RISK_FLAG:
                value = int(value)
            key.append(value)
        else:
            atoms[tuple(key)] = _figure(row, source)
    return atoms


def _count_by_month(
    indicator: Indicator,
    scope: Scope,
    period: Period,
    filters: Filters,
    axes: tuple[AxisSource, ...],
    distinct: bool,
) -> Atoms | None:
    """A point-in-time figure by month: each month's figure at its end, by the other axes."""
    others = tuple(by for by in axes if by != MONTH)
    position = axes.index(MONTH)
    atoms: Atoms = {}
    for month in period.months():
        last = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        sub = Period(max(month, period.start), min(last, period.end), period.zone)
        found = count_atoms(indicator, scope, sub, filters, others, distinct)
        if found is None:
            return None
        for key, figure in found.items():
            atoms[(*key[:position], month, *key[position:])] = figure
    return atoms
