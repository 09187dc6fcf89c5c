"""People reached, for cluster 5W reporting: service users with a case open at any time in
the period (and a date of birth), by location (one administrative level) and by sex and age
group, as one wide table with the HXL hashtags 5W and ActivityInfo-style imports expect
(#affected +f +adults).

The table is read from a cube (pcm.meal.linked) over the filters' axes, the location (every
level at once), sex and age group: its cells, row totals, column totals and grand total are
decided with every level, every value of each filter and the margins without each filter, so
no hidden cell can be worked out from its row, its column, its area one level up, or the same
table under other filters. The result is kept a while as a snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pcm.cases.intake import AgeGroup
from pcm.cases.models import Case, CaseStatus
from pcm.meal import linked
from pcm.meal.indicators import Indicator, Source, Unit, within_scope
from pcm.meal.query import (
    Dim,
    Filters,
    Period,
    Scope,
    ancestor_at,
    label_keys,
    location_pcodes,
)
from pcm.meal.suppression import Cell
from pcm.people.models import Sex

# What exports call this table (in place of an indicator's code).
REACH = "reach"
TITLE = gettext_lazy("People reached by location, sex and age (5W)")
# Columns: (sex values, HXL attribute), then age groups with theirs.
SEXES: tuple[tuple[tuple[str, ...], str, object], ...] = (
    ((Sex.FEMALE,), "+f", Sex.FEMALE.label),
    ((Sex.MALE,), "+m", Sex.MALE.label),
    ((Sex.OTHER, Sex.UNKNOWN), "+x", gettext_lazy("Other or not said")),
)
AGES: tuple[tuple[str, str], ...] = (
    (AgeGroup.CHILD, "+children"),
    (AgeGroup.YOUTH, "+youth"),
    (AgeGroup.ADULT, "+adults"),
    (AgeGroup.OLDER, "+elderly"),
)


@dataclass(frozen=True)
class ReachRow:
    label: str
    code: str
    cells: list[Cell]
    total: Cell


@dataclass(frozen=True)
class Reach:
    title: str
    columns: list[str]
    hashtags: list[str]
    rows: list[ReachRow]
    totals: ReachRow
    location_level: int

    @property
    def slug(self) -> str:
        return "reach"


WIDTH = len(SEXES) * len(AGES)
_BAND = linked.Axis(
    "reach_sex",
    Dim.SEX,
    linked.Kind.PARTITION,
    fold=tuple((value, tag) for values, tag, _label in SEXES for value in values),
)
_AGE = linked.Axis(Dim.AGE_GROUP.value, Dim.AGE_GROUP, linked.Kind.PARTITION)
COLUMNS = [(tag, str(age)) for _v, tag, _l in SEXES for age, _a in AGES]


def _reach_source(scope: Scope, period: Period, filters: Filters) -> Source:
    """Cases open at some time in the period, of people with a date of birth (an age group)."""
    open_in_period = Case.objects.filter(
        Q(opened_at__lt=period.ends_before)
        & (Q(closed_at__isnull=True) | Q(closed_at__gte=period.starts_at))
        & ~Q(status=CaseStatus.TRANSFERRED)
        & Q(person__date_of_birth__isnull=False)
    )
    return Source(within_scope(open_in_period, scope, filters, period.end, ""), "")


# The people-reached table counted as an indicator would be (its texts are never shown).
PEOPLE_REACHED = Indicator(
    code=REACH,
    title=TITLE,
    numerator=TITLE,
    denominator=TITLE,
    period_rule=TITLE,
    unit=Unit.COUNT,
    source=_reach_source,
)


def reach(scope: Scope, period: Period, filters: Filters, location_level: int = 1) -> Reach:
    """The table of people reached (one per case open at some time in the period)."""
    from pcm.meal import snapshots
    from pcm.meal.tables import snapshots_enabled

    key = ""
    if snapshots_enabled():
        key = snapshots.digest(
            {
                "table": REACH,
                "teams": sorted(scope.team_ids) if scope.team_ids is not None else None,
                "threshold": scope.threshold,
                "period": [
                    period.start.isoformat(),
                    period.end.isoformat(),
                    period.zone.key,
                    period.grain,
                ],
                "filters": {
                    name: getattr(getattr(filters, name), "pk", getattr(filters, name))
                    for name in filters.active()
                },
                "level": location_level,
            }
        )
        kept = snapshots.read_payload(scope, key)
        if kept is not None:
            return _from_payload(kept)
    found = _reach(scope, period, filters, location_level)
    if key:
        snapshots.write_payload(scope, key, _payload(found))
    return found


Row = tuple[list[Cell], Cell]  # a row's cells by column, and its total


@dataclass(frozen=True)
class Grid:
    """The table's rows by area of the level shown (None: people recorded above it), and its
    totals row."""

    rows: dict[object, Row]
    totals: Row
    level: int


def grid(scope: Scope, period: Period, filters: Filters, location_level: int) -> Grid:
    """The counts of the table under FILTERS at LOCATION_LEVEL, and which are hidden."""
    context = linked.Context(PEOPLE_REACHED, scope, period, linked.Lattice())
    pairs: dict[str, object] = {}
    axes: list[linked.Axis] = []
    for name in filters.active():
        axis, coord = linked.filter_axis(name, filters)
        axes.append(axis)
        pairs[axis.name] = coord
    for axis in (linked.LOCATION_AXIS, _BAND, _AGE):
        if axis.name not in pairs:
            axes.append(axis)
    context.ensure(axes, filters)
    threshold = scope.threshold
    location = linked.LOCATION_AXIS.name

    def read(over: dict[str, object]) -> Cell:
        merged = dict(pairs)
        for name, coord in over.items():
            if name in pairs and name != location and pairs[name] != coord:
                return Cell(0, True, threshold)  # outside the filter: nobody
            merged[name] = coord
        value, hidden = context.read("numerator", merged)
        return Cell(value, hidden, threshold)

    def row(over: dict[str, object]) -> Row:
        cells = [read({**over, _BAND.name: tag, _AGE.name: age}) for tag, age in COLUMNS]
        return cells, read(over)

    levels = context.levels
    level = location_level if location_level in levels else levels[0]
    rows: dict[object, Row] = {}
    chosen = pairs.get(location)
    if isinstance(chosen, tuple) and level <= chosen[1]:
        # At or above the chosen area's level, its row is the area (or the one it lies in).
        rows[ancestor_at(context.tree, chosen[2], level)] = row({location: chosen})
    else:
        others = {name: coord for name, coord in pairs.items() if name != location}
        for place in context.places_at(level, others):
            if isinstance(chosen, tuple):  # the chosen area's parts only, the rest below
                inside = isinstance(place, int) and ancestor_at(context.tree, place, chosen[1])
                if inside != chosen[2]:
                    continue
            rows[place] = row({location: ("v", level, place)})
        if isinstance(chosen, tuple):
            # Under a location filter, the people recorded in the area above this level.
            whole_cells, whole_total = row({location: chosen})
            rest = []
            for j, cell in enumerate([*whole_cells, whole_total]):
                parts = [cells[j] if j < WIDTH else total for cells, total in rows.values()]
                value = cell.value - sum(part.value for part in parts)
                hide = cell.suppressed or any(part.suppressed for part in parts)
                rest.append(Cell(value, hide or value < threshold, threshold))
            if any(cell.value for cell in rest):
                rows[None] = (rest[:WIDTH], rest[WIDTH])
    return Grid(rows, row({}), level)


def _reach(scope: Scope, period: Period, filters: Filters, location_level: int) -> Reach:
    found = grid(scope, period, filters, location_level)
    keys = list(found.rows)
    labels = label_keys(Dim.LOCATION, keys, scope)
    codes = location_pcodes(keys)
    keys.sort(key=lambda key: (key is None, labels[key]))
    out_rows = [ReachRow(labels[key], str(codes.get(key, "")), *found.rows[key]) for key in keys]
    names = [f"{sex_label} {age}" for _v, _t, sex_label in SEXES for age, _a in AGES]
    hashtags = [f"#affected {tag} {age_tag}" for _v, tag, _l in SEXES for _g, age_tag in AGES]
    totals = ReachRow(_("Total"), "", *found.totals)
    return Reach(str(TITLE), names, hashtags, out_rows, totals, found.level)


def _payload(table: Reach) -> dict[str, Any]:
    def row(line: ReachRow) -> list[Any]:
        cells = [[cell.value, cell.suppressed] for cell in line.cells]
        return [line.label, line.code, cells, [line.total.value, line.total.suppressed]]

    threshold = table.totals.total.threshold
    return {
        "title": table.title,
        "columns": table.columns,
        "hashtags": table.hashtags,
        "rows": [row(line) for line in table.rows],
        "totals": row(table.totals),
        "level": table.location_level,
        "threshold": threshold,
    }


def _from_payload(kept: dict[str, Any]) -> Reach:
    threshold = int(kept["threshold"])

    def row(line: list[Any]) -> ReachRow:
        label, code, cells, total = line
        return ReachRow(
            label,
            code,
            [Cell(int(value), bool(hidden), threshold) for value, hidden in cells],
            Cell(int(total[0]), bool(total[1]), threshold),
        )

    return Reach(
        kept["title"],
        list(kept["columns"]),
        list(kept["hashtags"]),
        [row(line) for line in kept["rows"]],
        row(kept["totals"]),
        int(kept["level"]),
    )
