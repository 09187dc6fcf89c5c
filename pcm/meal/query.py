"""What every MEAL figure is computed over: the scope (whose cases), the period, the filters,
and the dimensions figures are disaggregated by.

Everything here builds querysets and Q objects for aggregate SQL; nothing reads a case row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Case as When_  # the SQL CASE, not a protection case
from django.db.models import DateField, Exists, Func, OuterRef, Q, Value, When
from django.db.models.expressions import Expression
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pcm.access import policy
from pcm.accounts.models import Agency, Role, Team, User
from pcm.assessments.models import WG_FIELDS, Assessment
from pcm.assessments.scoring import Difficulty
from pcm.cases.intake import AgeGroup
from pcm.cases.taxonomy import RiskType
from pcm.locations.models import Location

MEAL_ROLES = frozenset({Role.MEAL_OFFICER, Role.MANAGER, Role.SUPERVISOR})


class Dim(StrEnum):
    """What a figure can be disaggregated (and filtered) by."""

    SEX = "sex"
    AGE_GROUP = "age_group"
    DISABILITY = "disability"
    DISPLACEMENT = "displacement"
    LOCATION = "location"
    RISK_TYPE = "risk_type"
    RISK_LEVEL = "risk_level"
    TEAM = "team"
    AGENCY = "agency"
    # Of closures only.
    CLOSURE_REASON = "closure_reason"
    # Of referrals only.
    REFERRAL_STATUS = "referral_status"
    SECTOR = "sector"
    # Of the feedback register only.
    FEEDBACK_KIND = "feedback_kind"
    FEEDBACK_CHANNEL = "feedback_channel"
    FEEDBACK_CATEGORY = "feedback_category"
    FEEDBACK_STATUS = "feedback_status"


DIM_LABELS: dict[Dim, Promise] = {
    Dim.SEX: _("Sex"),
    Dim.AGE_GROUP: _("Age group"),
    Dim.DISABILITY: _("Disability (Washington Group)"),
    Dim.DISPLACEMENT: _("Displacement status"),
    Dim.LOCATION: _("Location"),
    Dim.RISK_TYPE: _("Protection risk type"),
    Dim.RISK_LEVEL: _("Risk level"),
    Dim.TEAM: _("Team"),
    Dim.AGENCY: _("Agency"),
    Dim.CLOSURE_REASON: _("Reason for closure"),
    Dim.REFERRAL_STATUS: _("Referral status"),
    Dim.SECTOR: _("Sector of the service"),
    Dim.FEEDBACK_KIND: _("Kind of feedback"),
    Dim.FEEDBACK_CHANNEL: _("Channel"),
    Dim.FEEDBACK_CATEGORY: _("Category"),
    Dim.FEEDBACK_STATUS: _("Status now"),
}

# Dimensions of the case (and the person): those of surveys, which are unlinkable to a case,
# are only team and agency.
CASE_DIMS = (
    Dim.SEX,
    Dim.AGE_GROUP,
    Dim.DISABILITY,
    Dim.DISPLACEMENT,
    Dim.LOCATION,
    Dim.RISK_TYPE,
    Dim.RISK_LEVEL,
    Dim.TEAM,
    Dim.AGENCY,
)
# Dimensions in which a case may count in several rows, so the rows do not add up.
OVERLAPPING_DIMS = frozenset({Dim.RISK_TYPE})


class Disability(StrEnum):
    YES = "yes"
    NO = "no"
    NOT_ASSESSED = "not_assessed"


DISABILITY_LABELS: dict[str, Promise] = {
    Disability.YES: _("With a disability"),
    Disability.NO: _("Without a disability"),
    Disability.NOT_ASSESSED: _("Not assessed"),
}
_DISABILITY_ANSWERS = (Difficulty.A_LOT, Difficulty.CANNOT)


class Grain(StrEnum):
    """The calendar periods the dashboards offer: each a part of a year, so that every table of
    a month or a quarter is a slice of its year's (see pcm.meal.linked)."""

    YEAR = "year"
    QUARTER = "quarter"
    MONTH = "month"


@dataclass(frozen=True)
class Period:
    """Whole days from START to END (both included), in the agency's time zone. GRAIN: the
    calendar year, quarter or month it is (up to today), or "" for any other run of days."""

    start: date
    end: date
    zone: ZoneInfo
    grain: str = ""

    @classmethod
    def calendar(cls, grain: Grain, first: date, zone: ZoneInfo, today: date) -> Period:
        """The year, quarter or month GRAIN that starts on FIRST, up to TODAY."""
        if grain == Grain.YEAR:
            last = date(first.year, 12, 31)
        else:
            after = first
            for _month in range(3 if grain == Grain.QUARTER else 1):
                after = (after + timedelta(days=32)).replace(day=1)
            last = after - timedelta(days=1)
        return cls(first, max(first, min(last, today)), zone, grain)

    def year(self, today: date) -> Period:
        """The calendar year this period is part of, up to TODAY."""
        return Period.calendar(Grain.YEAR, date(self.start.year, 1, 1), self.zone, today)

    @classmethod
    def from_code(cls, code: str, zone: ZoneInfo, today: date) -> Period | None:
        """The period CODE names (2026, 2026-Q3 or 2026-07, as `code` writes them); None if
        it names none."""
        year, _dash, part = code.partition("-")
        if len(year) != 4 or not year.isdigit():
            return None
        try:
            if not part:
                return cls.calendar(Grain.YEAR, date(int(year), 1, 1), zone, today)
            if part[:1] == "Q" and part[1:] in {"1", "2", "3", "4"}:
                first = date(int(year), int(part[1:]) * 3 - 2, 1)
                return cls.calendar(Grain.QUARTER, first, zone, today)
            if len(part) == 2 and part.isdigit():
                return cls.calendar(Grain.MONTH, date(int(year), int(part), 1), zone, today)
        except ValueError:  # a month 13
            return None
        return None

    @property
    def code(self) -> str:
        """How the period is named in an address: 2026, 2026-Q3 or 2026-07 ("" for a run of
        days)."""
        if self.grain == Grain.YEAR:
            return str(self.start.year)
        if self.grain == Grain.QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.grain == Grain.MONTH:
            return self.start.strftime("%Y-%m")
        return ""

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=self.zone)

    @property
    def ends_before(self) -> datetime:
        """The first moment after the period."""
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=self.zone)

    def months(self) -> list[date]:
        """The first day of every month the period touches."""
        first = self.start.replace(day=1)
        months = []
        while first <= self.end:
            months.append(first)
            first = (first + timedelta(days=32)).replace(day=1)
        return months


@dataclass(frozen=True)
class Filters:
    """The filters a user chose (None or empty: no filter)."""

    sex: str = ""
    age_group: str = ""
    disability: str = ""
    displacement: str = ""
    location: Location | None = None
    risk_type: RiskType | None = None
    risk_level: str = ""
    team: Team | None = None

    def active(self) -> list[str]:
        """The names of the filters in use."""
        return [name for name, value in self.__dict__.items() if value not in ("", None)]

    def without(self, name: str) -> Filters:
        empty: Any = None if name in ("location", "risk_type", "team") else ""
        return replace(self, **{name: empty})

    @property
    def only_team(self) -> bool:
        """No filter but the team (the only one surveys can follow)."""
        return set(self.active()) <= {"team"}


@dataclass(frozen=True)
class SplitFilters(Filters):
    """Filters marked instead of applied: `within_scope` marks each row with one column per
    filter (1 where the row's case meets it). The linked tables count the risk-type filter
    so (whether a case has the type), every other filter by its values."""


def flag_name(name: str) -> str:
    """The column `within_scope` marks rows with for the filter NAME of SplitFilters."""
    return f"meal_flag_{name}"


@dataclass(frozen=True)
class Scope:
    """Whose figures: one agency, or some of its teams (a supervisor's)."""

    agency: Agency
    team_ids: frozenset[int] | None = None
    threshold: int = 5
    locations: dict[int, tuple[int | None, int]] = field(default_factory=dict, compare=False)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.agency.time_zone or "UTC")


def may_use_meal(user: User) -> bool:
    """MEAL officers, managers and supervisors (for their teams) read the aggregates."""
    member = policy.staff_member(user)
    return member is not None and member.role in MEAL_ROLES


def scope_for(user: User) -> Scope:
    """The figures USER may read: the agency's, or a supervisor's teams' only."""
    from pcm.meal.models import threshold_of

    assert user.agency is not None  # noqa: S101 - callers check may_use_meal first
    team_ids = None
    if user.role == Role.SUPERVISOR:
        team_ids = frozenset(user.supervised_teams.values_list("pk", flat=True))
    return Scope(agency=user.agency, team_ids=team_ids, threshold=threshold_of(user.agency.pk))


def teams_in(scope: Scope) -> list[Team]:
    teams = Team.objects.filter(agency=scope.agency).order_by("name")
    if scope.team_ids is not None:
        teams = teams.filter(pk__in=scope.team_ids)
    return list(teams)


# --- Locations: a small table, walked in memory ---------------------------------------------


def location_tree() -> dict[int, tuple[int | None, int]]:
    """Every location's parent and level, by id."""
    return {
        pk: (parent, level)
        for pk, parent, level in Location.objects.values_list("pk", "parent_id", "level")
    }


def descendants(tree: dict[int, tuple[int | None, int]], root: int) -> set[int]:
    """ROOT and every location inside it."""
    children: dict[int | None, list[int]] = {}
    for pk, (parent, _level) in tree.items():
        children.setdefault(parent, []).append(pk)
    found, todo = {root}, [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def ancestor_at(tree: dict[int, tuple[int | None, int]], pk: int | None, level: int) -> int | None:
    """The area of LEVEL that location PK lies in (PK itself at that level); None if PK is
    above that level or unknown."""
    seen = 0
    while pk is not None and pk in tree and seen < 50:
        parent, own_level = tree[pk]
        if own_level == level:
            return pk
        if own_level < level:
            return None
        pk, seen = parent, seen + 1
    return None


# --- Expressions on a case, reached from the counted rows by PREFIX ("" or "case__") ----------


def age_group_expression(prefix: str, on: date) -> Expression:
    """The age group on day ON from the person's date of birth, portable SQL."""
    born = f"{prefix}person__date_of_birth"

    def years_before(years: int) -> date:
        try:
            return on.replace(year=on.year - years)
        except ValueError:  # 29 February
            return on.replace(year=on.year - years, day=28)

    return When_(
        When(**{f"{born}__isnull": True}, then=Value("")),
        When(**{f"{born}__gt": years_before(18)}, then=Value(AgeGroup.CHILD.value)),
        When(**{f"{born}__gt": years_before(25)}, then=Value(AgeGroup.YOUTH.value)),
        When(**{f"{born}__gt": years_before(60)}, then=Value(AgeGroup.ADULT.value)),
        default=Value(AgeGroup.OLDER.value),
    )


def disability_expression(prefix: str) -> Expression:
    """Whether any assessment of the case identified a disability by the WG short set."""
    case_ref = OuterRef(f"{prefix}pk" if prefix == "" else prefix.removesuffix("__"))
    assessed = Assessment.objects.filter(case=case_ref)
    disabled = Q()
    for name in WG_FIELDS:
        disabled |= Q(**{f"{name}__in": _DISABILITY_ANSWERS})
    return When_(
        When(Exists(assessed.filter(disabled)), then=Value(Disability.YES.value)),
        When(Exists(assessed), then=Value(Disability.NO.value)),
        default=Value(Disability.NOT_ASSESSED.value),
    )


def dim_path(dim: Dim, prefix: str) -> str:
    """The field (from the counted rows) a dimension groups by, for the plain ones."""
    return {
        Dim.SEX: f"{prefix}person__sex",
        Dim.DISPLACEMENT: f"{prefix}person__displacement_status",
        Dim.LOCATION: f"{prefix}person__location",
        Dim.RISK_TYPE: f"{prefix}screening__risk_types",
        Dim.RISK_LEVEL: f"{prefix}risk_level",
        Dim.TEAM: f"{prefix}team",
        Dim.AGENCY: f"{prefix}agency",
    }[dim]


def filter_conditions(
    filters: Filters, prefix: str, scope: Scope, on: date
) -> dict[str, tuple[Q, dict[str, Expression]]]:
    """Each filter in use, by name: the Q it makes on cases reached by PREFIX, and the
    annotations that Q needs (age groups on day ON)."""
    conditions: dict[str, tuple[Q, dict[str, Expression]]] = {}
    if filters.sex:
        conditions["sex"] = Q(**{f"{prefix}person__sex": filters.sex}), {}
    if filters.displacement:
        conditions["displacement"] = (
            Q(**{f"{prefix}person__displacement_status": filters.displacement}),
            {},
        )
    if filters.risk_level:
        conditions["risk_level"] = Q(**{f"{prefix}risk_level": filters.risk_level}), {}
    if filters.team is not None:
        conditions["team"] = Q(**{f"{prefix}team": filters.team}), {}
    if filters.location is not None:
        tree = scope.locations or location_tree()
        inside = descendants(tree, filters.location.pk)
        conditions["location"] = Q(**{f"{prefix}person__location__in": inside}), {}
    if filters.risk_type is not None:
        types = _with_sub_types(filters.risk_type)
        case_ref = OuterRef("pk" if prefix == "" else prefix.removesuffix("__"))
        from pcm.cases.intake import IntakeScreening

        screened = IntakeScreening.objects.filter(case=case_ref, risk_types__in=types)
        conditions["risk_type"] = Q(Exists(screened)), {}
    if filters.age_group:
        conditions["age_group"] = (
            Q(meal_age_group=filters.age_group),
            {"meal_age_group": age_group_expression(prefix, on)},
        )
    if filters.disability:
        conditions["disability"] = (
            Q(meal_disability=filters.disability),
            {"meal_disability": disability_expression(prefix)},
        )
    return conditions


def _with_sub_types(risk_type: RiskType) -> list[int]:
    """The risk type and its sub-types, looked up once for the filters holding it."""
    known: list[int] | None = getattr(risk_type, "_meal_types", None)
    if known is None:
        known = [risk_type.pk, *risk_type.sub_types.values_list("pk", flat=True)]
        risk_type._meal_types = known  # type: ignore[attr-defined]  # a per-request memo
    return known


def scope_q(scope: Scope, prefix: str) -> Q:
    q = Q(**{f"{prefix}agency": scope.agency})
    if scope.team_ids is not None:
        q &= Q(**{f"{prefix}team__in": scope.team_ids})
    return q


def label_keys(dim: Dim, keys: Iterable[object], scope: Scope) -> dict[object, str]:
    """What each group key of DIM is called on the page and in exports (no personal data)."""
    from pcm.cases.models import RiskLevel
    from pcm.people.models import DisplacementStatus, Sex

    keys = list(keys)
    unknown = str(_("Not recorded"))
    if dim == Dim.SEX:
        sexes = dict(Sex.choices)
        return {k: str(sexes.get(str(k), unknown)) for k in keys}
    if dim == Dim.DISPLACEMENT:
        labels = dict(DisplacementStatus.choices)
        return {k: str(labels.get(str(k), unknown)) for k in keys}
    if dim == Dim.RISK_LEVEL:
        levels = dict(RiskLevel.choices)
        return {k: str(levels.get(str(k), unknown)) for k in keys}
    if dim == Dim.AGE_GROUP:
        ages = dict(AgeGroup.choices)
        return {k: str(ages.get(str(k), unknown)) for k in keys}
    if dim == Dim.DISABILITY:
        return {k: str(DISABILITY_LABELS.get(str(k), unknown)) for k in keys}
    choices = _choices_of(dim)
    if choices is not None:
        return {k: str(choices.get(str(k), unknown)) for k in keys}
    if dim == Dim.TEAM:
        names = dict(Team.objects.filter(pk__in=[k for k in keys if k]).values_list("pk", "name"))
        return {k: names.get(k, unknown) for k in keys}  # type: ignore[call-overload]
    if dim == Dim.AGENCY:
        names = dict(Agency.objects.filter(pk__in=[k for k in keys if k]).values_list("pk", "name"))
        return {k: names.get(k, unknown) for k in keys}  # type: ignore[call-overload]
    if dim == Dim.RISK_TYPE:
        names = dict(
            RiskType.objects.filter(pk__in=[k for k in keys if k]).values_list("pk", "name")
        )
        return {k: names.get(k, unknown) for k in keys}  # type: ignore[call-overload]
    if dim == Dim.LOCATION:
        rows = Location.objects.filter(pk__in=[k for k in keys if k]).values_list(
            "pk", "name", "pcode"
        )
        names = {pk: f"{name} ({pcode})" for pk, name, pcode in rows}
        return {k: names.get(k, unknown) for k in keys}  # type: ignore[call-overload]
    return {k: str(k) for k in keys}


def _choices_of(dim: Dim) -> dict[str, Any] | None:
    """The labels of a dimension of other apps' own records, by value."""
    if dim == Dim.CLOSURE_REASON:
        from pcm.closure.models import ClosureCriterion

        return dict(ClosureCriterion.choices)
    if dim == Dim.REFERRAL_STATUS:
        from pcm.referrals.models import ReferralStatus

        return dict(ReferralStatus.choices)
    if dim == Dim.SECTOR:
        from pcm.services.models import Sector

        return dict(Sector.choices)
    if dim in (
        Dim.FEEDBACK_KIND,
        Dim.FEEDBACK_CHANNEL,
        Dim.FEEDBACK_CATEGORY,
        Dim.FEEDBACK_STATUS,
    ):
        from pcm.feedback.models import Category, Channel, Kind, Status

        return dict(
            {
                Dim.FEEDBACK_KIND: Kind,
                Dim.FEEDBACK_CHANNEL: Channel,
                Dim.FEEDBACK_CATEGORY: Category,
                Dim.FEEDBACK_STATUS: Status,
            }[dim].choices
        )
    return None


def location_pcodes(keys: Iterable[object]) -> dict[object, str]:
    return dict(Location.objects.filter(pk__in=[k for k in keys if k]).values_list("pk", "pcode"))


class LocalDate(Func):
    """The day a moment falls on in ZONE, computed by the database itself (SQLite: with the
    zone's current offset; PostgreSQL: with its rules), so that no Python function runs row
    by row."""

    output_field = DateField()

    def __init__(self, expression: Any, zone: ZoneInfo) -> None:
        super().__init__(expression)
        self.zone = zone

    def as_sql(  # type: ignore[override]  # the zone is ours, not a template argument
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(({sql}) AT TIME ZONE %s)::date", [*params, self.zone.key]

    def as_sqlite(
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        offset = datetime.now(self.zone).utcoffset() or timedelta(0)
        return f"date({sql}, %s)", [*params, f"{offset.total_seconds() / 60:+.0f} minutes"]
