"""People reached, for cluster 5W reporting: service users with a case open at any time in
the period, by location (one administrative level) and by sex and age group, as one wide
table with the HXL hashtags 5W and ActivityInfo-style imports expect (#affected +f +adults).

The grids of every location level — cells, row totals, column totals and the grand total — are
suppressed together (pcm.meal.suppression.protect), so no hidden cell can be worked out from
its row, its column, or its area one level up; and, under filters, nothing that the same table
with one filter fewer hides or would give away by subtraction.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pcm.cases.intake import AgeGroup
from pcm.cases.models import Case, CaseStatus
from pcm.meal.indicators import Selection, selections, within_scope
from pcm.meal.query import (
    Dim,
    Filters,
    Period,
    Scope,
    age_group_expression,
    ancestor_at,
    flag_name,
    label_keys,
    location_pcodes,
    location_tree,
)
from pcm.meal.suppression import Cell, protect
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


def _column_of(sex: str, age: str) -> int | None:
    for s_index, (values, _tag, _label) in enumerate(SEXES):
        if sex in values:
            for a_index, (group, _age_tag) in enumerate(AGES):
                if age == group:
                    return s_index * len(AGES) + a_index
    return None


Grid = dict[object, list[int]]  # location -> counts by column
Spot = tuple[object, ...]  # a position in the grids of every level (see `_hide_grids`)
GRAND_SPOT: Spot = ("g",)
WIDTH = len(SEXES) * len(AGES)


@dataclass
class ReachMemo:
    """The counts by place recorded for every selection of the filters, and the hidden spots
    of every selection worked out so far."""

    counts: dict[Selection, Grid]
    hidden: dict[Filters, tuple[dict[int, Grid], set[Spot]]]


def reach(scope: Scope, period: Period, filters: Filters, location_level: int = 1) -> Reach:
    """The table of people reached (one per case open at some time in the period)."""
    memo = ReachMemo(_counts(scope, period, filters), {})
    grids, hidden = _masked(scope, filters, memo)
    levels = sorted(grids)
    level = location_level if location_level in grids else levels[0]
    grid = grids[level]
    keys = list(grid)
    labels = label_keys(Dim.LOCATION, keys, scope)
    codes = location_pcodes(keys)
    keys.sort(key=lambda key: (key is None, labels[key]))
    threshold = scope.threshold

    def cell(spot: Spot, value: int) -> Cell:
        return Cell(value, spot in hidden, threshold)

    column_totals = _column_totals(grids[levels[0]])
    out_rows = [
        ReachRow(
            labels[key],
            str(codes.get(key, "")),
            [cell(("c", level, key, j), value) for j, value in enumerate(grid[key])],
            cell(("r", level, key), sum(grid[key])),
        )
        for key in keys
    ]
    columns = [f"{sex_label} {age}" for _v, _t, sex_label in SEXES for age, _a in AGES]
    hashtags = [f"#affected {tag} {age_tag}" for _v, tag, _l in SEXES for _g, age_tag in AGES]
    totals = ReachRow(
        _("Total"),
        "",
        [cell(("k", j), value) for j, value in enumerate(column_totals)],
        cell(GRAND_SPOT, sum(column_totals)),
    )
    return Reach(
        title=str(TITLE),
        columns=columns,
        hashtags=hashtags,
        rows=out_rows,
        totals=totals,
        location_level=level,
    )


def _column_totals(grid: Grid) -> list[int]:
    """The counts of each column, all rows together."""
    return [sum(row[j] for row in grid.values()) for j in range(WIDTH)]


def _masked(scope: Scope, filters: Filters, memo: ReachMemo) -> tuple[dict[int, Grid], set[Spot]]:
    """The grids of every location level under FILTERS, and the spots they hide: suppressed
    together across levels (an area is its parts one level down plus the people recorded at
    the area itself), hiding too what the same table with one filter fewer hides or lies a
    small count apart from. (Under a location filter, the area's row at its own level is the
    table's only row there: it hides what the area's row hides without the filter, and so
    the column totals it adds up to.)"""
    if filters in memo.hidden:
        return memo.hidden[filters]
    tree = scope.locations or location_tree()
    levels = sorted({level for _parent, level in tree.values()}) or [1]
    leaves = memo.counts.get(frozenset(filters.active()), {})
    grids = {level: _roll_up(leaves, tree, level) for level in levels}
    threshold = scope.threshold
    values = _values(grids, tree)
    forced: set[Spot] = set()
    for name in filters.active():
        wider_filters = filters.without(name)
        wider_grids, wider_hidden = _masked(scope, wider_filters, memo)
        wider_values = _values(wider_grids, tree)
        for spot, value in values.items():
            other = wider_values.get(spot, 0)
            if spot in wider_hidden or 0 < other - value < threshold:
                forced.add(spot)
    hidden = _hide_grids(grids, tree, threshold, forced)
    memo.hidden[filters] = (grids, hidden)
    return grids, hidden


def _values(grids: dict[int, Grid], tree: dict[int, tuple[int | None, int]]) -> dict[Spot, int]:
    """Every value the tables of every level show, by spot, and the remainders no table shows
    (people recorded at an area itself, by column and in total: ("m", lower level, area, j))."""
    values: dict[Spot, int] = {}
    levels = sorted(grids)
    for level in levels:
        for key, row in grids[level].items():
            for j, value in enumerate(row):
                values[("c", level, key, j)] = value
            values[("r", level, key)] = sum(row)
    totals = _column_totals(grids[levels[0]]) if levels else [0] * WIDTH
    for j, value in enumerate(totals):
        values[("k", j)] = value
    values[GRAND_SPOT] = sum(totals)
    for upper, lower in itertools.pairwise(levels):
        inside: dict[object, list[int]] = {}
        for key, row in grids[lower].items():
            if key is not None:
                above = ancestor_at(tree, key, upper)  # type: ignore[arg-type]  # a location id
                total = inside.setdefault(above, [0] * WIDTH)
                for j, value in enumerate(row):
                    total[j] += value
        for area, row in grids[upper].items():
            if area is None:
                continue
            parts = inside.get(area, [0] * WIDTH)
            for j in range(WIDTH):
                values[("m", lower, area, j)] = row[j] - parts[j]
            values[("m", lower, area, None)] = sum(row) - sum(parts)
    return values


def _roll_up(leaves: Grid, tree: dict[int, tuple[int | None, int]], level: int) -> Grid:
    """Counts by the place recorded, added up by the area of LEVEL each lies in."""
    grid: Grid = {}
    for place, row in leaves.items():
        area = ancestor_at(tree, place, level)  # type: ignore[arg-type]  # a location id or None
        target = grid.setdefault(area, [0] * WIDTH)
        for j, value in enumerate(row):
            target[j] += value
    return grid


def _hide_grids(
    grids: dict[int, Grid],
    tree: dict[int, tuple[int | None, int]],
    threshold: int,
    forced: set[Spot],
) -> set[Spot]:
    """The spots hidden in the grids of every level, as one system of equations: each row adds
    up to its total, each column to the column total, the totals to the grand total, and each
    area's cell to its parts' cells one level down plus a remainder no table shows (people
    recorded at the area itself: hidden when small, known when nought)."""
    values = _values(grids, tree)
    levels = sorted(grids)
    # A remainder of nought is known (nobody recorded at the area itself), unless forced.
    fixed = {spot for spot, value in values.items() if spot[0] == "m" and value == 0} - forced
    hidden = {spot for spot, value in values.items() if value < threshold} - fixed
    hidden |= forced & values.keys()
    lines: list[tuple[list[Spot], Spot]] = []
    columns = [("k", j) for j in range(WIDTH)]
    lines.append((list(columns), GRAND_SPOT))
    for level in levels:
        keys = list(grids[level])
        for key in keys:
            lines.append(([("c", level, key, j) for j in range(WIDTH)], ("r", level, key)))
        for j in range(WIDTH):
            lines.append(([("c", level, key, j) for key in keys], ("k", j)))
        lines.append(([("r", level, key) for key in keys], GRAND_SPOT))
    for upper, lower in itertools.pairwise(levels):
        parts: dict[object, list[object]] = {}
        for key in grids[lower]:
            if key is not None:
                parts.setdefault(ancestor_at(tree, key, upper), []).append(key)  # type: ignore[arg-type]
        for j in [*range(WIDTH), None]:  # each column, then the row totals

            def at(level: int, key: object, j: int | None = j) -> Spot:
                return ("r", level, key) if j is None else ("c", level, key, j)

            remainders: list[Spot] = []
            for area in grids[upper]:
                if area is None:
                    continue
                inside = [at(lower, key) for key in parts.get(area, [])]
                remainder: Spot = ("m", lower, area, j)
                remainders.append(remainder)
                lines.append(([*inside, remainder], at(upper, area)))
            for spot in (at(lower, None), at(upper, None)):
                if spot not in values:
                    values[spot] = 0
                    fixed.add(spot)
            lines.append(([*remainders, at(upper, None)], at(lower, None)))
    kinds = {"m": 0, "c": 1, "r": 2, "k": 2, "g": 3}
    return protect(
        values,
        lines,
        hidden,
        threshold,
        rank=lambda spot: (kinds[str(spot[0])], values[spot], str(spot[1:])),
        fixed=fixed,
    )


def _counts(scope: Scope, period: Period, filters: Filters) -> dict[Selection, Grid]:
    """Counts by the place recorded and column, for every selection of FILTERS (one query),
    kept a while as a snapshot."""
    from pcm.meal import snapshots
    from pcm.meal.tables import snapshots_enabled

    names = tuple(filters.active())
    key = ""
    if snapshots_enabled():
        key = snapshots.digest(
            {
                "table": REACH,
                "teams": sorted(scope.team_ids) if scope.team_ids is not None else None,
                "threshold": scope.threshold,
                "period": [period.start.isoformat(), period.end.isoformat(), period.zone.key],
                "filters": {
                    name: getattr(getattr(filters, name), "pk", getattr(filters, name))
                    for name in names
                },
                "by": "place recorded",
            }
        )
        kept = snapshots.read_payload(scope, key)
        if kept is not None:
            return {frozenset(chosen): dict(grid) for chosen, grid in kept}
    open_in_period = Case.objects.filter(
        Q(opened_at__lt=period.ends_before)
        & (Q(closed_at__isnull=True) | Q(closed_at__gte=period.starts_at))
        & ~Q(status=CaseStatus.TRANSFERRED)
    )
    rows = within_scope(open_in_period, scope, filters.split(), period.end, "")
    flags = [flag_name(name) for name in names]
    counts = (
        rows.annotate(meal_age=age_group_expression("", period.end))
        .order_by()
        .values("person__location", "person__sex", "meal_age", *flags)
        .annotate(n=Count("pk"))
    )
    by_bits: dict[tuple[int, ...], Grid] = {}
    for row in counts:
        column = _column_of(row["person__sex"], row["meal_age"])
        if column is None:
            continue  # no date of birth: not in a 5W age group
        bits = tuple(int(row[flag]) for flag in flags)
        grid = by_bits.setdefault(bits, {})
        grid.setdefault(row["person__location"], [0] * WIDTH)[column] += int(row["n"])
    out: dict[Selection, Grid] = {}
    for selection, positions in selections(names):
        merged: Grid = {}
        for bits, grid in by_bits.items():
            if all(bits[i] for i in positions):
                for place, row in grid.items():
                    target = merged.setdefault(place, [0] * WIDTH)
                    for j, value in enumerate(row):
                        target[j] += value
        out[selection] = merged
    if key:
        payload = [[sorted(selection), list(grid.items())] for selection, grid in out.items()]
        snapshots.write_payload(scope, key, payload)
    return out
