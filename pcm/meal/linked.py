"""Linked tables: every table the dashboards show is a slice of one cube of counts, and the
cubes are suppressed together so that no combination of tables gives a small count away.

A table of an indicator under filters is cut by *axes*: one per filter in use (sex, age
group, disability, displacement, location, risk level, team; whether a case has the chosen
protection risk) and one for its rows (a dimension, or the month). Its cells are those of the
cube of those axes at the filters' values; its total is the cell of the smaller cube without
the rows' axis. Every *line* of a cube adds up: along a filter's axis, the table of each
value adds up to the table without that filter (female + male + other = everyone), so a
small count hidden in one value's table must not be the wider table minus its siblings'.
Along the location axis, each area is its parts one level down plus the people recorded at
the area itself (a remainder no table shows). Risk types overlap (a case may have several)
and so do not add up; a point-in-time figure's months do not either (its period total is its
last month).

A cube is decided once for its set of axes, whatever values the filters have, after every
smaller cube (its margins, whose hidden counts are fixed by then): `protect` hides the small
counts, and what would give them away along every line of the cube and its margins solved
together. So the table of female cases by age is the same, and hides the same counts,
whether it is asked for with the filter "female" or as the row of a table of all sexes, and
all the tables of a cube and its margins are protected as one.

Periods are calendar years, quarters and months. Where an indicator's months add up to its
period (or its last month is the period's), a month's or a quarter's tables are slices of the
year's cubes, which then have the month as an axis, its quarters as sums of months like areas
of their parts: a year, its quarters and its months are decided together.

What it does not cover: tables of different cubes share only their margins and are decided
apart (two tables by different dimensions under the same filter, each safe with its margins,
could in rare patterns of hidden counts be combined); tables of different indicators over the
same people. See docs/architecture.md.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from django.utils import timezone

from pcm.meal.indicators import (
    MONTH,
    RISK_FLAG,
    TOTAL,
    Atoms,
    AxisSource,
    Figure,
    Indicator,
    Unit,
    count_atoms,
)
from pcm.meal.query import Dim, Filters, Grain, Period, Scope, ancestor_at, location_tree
from pcm.meal.suppression import protect

Coord = object
Pair = tuple[str, Coord]  # an axis's name and a value of it
CellKey = tuple[Pair, ...]  # sorted by axis name; an axis left out is added up over
Line = tuple[list[CellKey], CellKey]  # members adding up to a total
Tree = dict[int, tuple[int | None, int]]


class Kind(StrEnum):
    PARTITION = "partition"  # each row has one value: the values add up to the whole
    LOCATION = "location"  # areas at every level, and the people recorded at an area itself
    MONTH = "month"  # the months of the period (adding up unless a point-in-time figure)
    OVERLAP = "overlap"  # a row may have several values (risk types): no line
    FLAG = "flag"  # whether a case has the chosen risk type: 1, or 0 (never shown)


@dataclass(frozen=True)
class Axis:
    name: str  # unique within a cube: the filter's or the dimension's name
    by: AxisSource  # what `count_atoms` groups by
    kind: Kind
    # Values counted together (value, as what): e.g. "other" and "not said" as one column.
    fold: tuple[tuple[object, object], ...] = ()


def filter_axis(name: str, filters: Filters) -> tuple[Axis, Coord]:
    """The axis of the filter NAME, and the value FILTERS choose on it."""
    if name == "location":
        assert filters.location is not None  # noqa: S101 - an active filter
        return LOCATION_AXIS, ("v", filters.location.level, filters.location.pk)
    if name == "risk_type":
        assert filters.risk_type is not None  # noqa: S101 - an active filter
        return Axis(f"risk_type={filters.risk_type.pk}", RISK_FLAG, Kind.FLAG), 1
    value = getattr(filters, name)
    return Axis(name, Dim(name), Kind.PARTITION), value.pk if name == "team" else value


LOCATION_AXIS = Axis(Dim.LOCATION.value, Dim.LOCATION, Kind.LOCATION)


def table_axis(what: str) -> Axis | None:
    """The axis of a table's rows ("total": none)."""
    if what == "total":
        return None
    if what == "month":
        return Axis(MONTH, MONTH, Kind.MONTH)
    dim = Dim(what)
    if dim == Dim.LOCATION:
        return LOCATION_AXIS
    if dim == Dim.RISK_TYPE:
        return Axis(dim.value, dim, Kind.OVERLAP)
    return Axis(dim.value, dim, Kind.PARTITION)


@dataclass
class Solved:
    """A cube's cells (its own, every axis set), their counts, which are hidden, and its
    lines."""

    values: dict[CellKey, int]
    hidden: frozenset[CellKey]
    lines: list[Line]


@dataclass
class Lattice:
    """Every cube decided so far for one indicator, period and scope, by what it counts
    (numerator or denominator) and its axes' names."""

    solved: dict[tuple[str, frozenset[str]], Solved] = field(default_factory=dict)
    axes: dict[str, Axis] = field(default_factory=dict)


def _cell(pairs: Iterable[Pair]) -> CellKey:
    return tuple(sorted(pairs, key=lambda pair: pair[0]))


def _without(cell: CellKey, name: str) -> CellKey:
    return tuple(pair for pair in cell if pair[0] != name)


def _with(cell: CellKey, name: str, coord: Coord) -> CellKey:
    return _cell([*_without(cell, name), (name, coord)])


class Context:
    """What deciding cubes needs: the indicator, scope and period, the location tree, and a
    way to count."""

    def __init__(
        self,
        indicator: Indicator,
        scope: Scope,
        period: Period,
        lattice: Lattice,
        count: Callable[..., Atoms | None] | None = None,
    ) -> None:
        self.indicator = indicator
        self.scope = scope
        self.lattice = lattice
        # The period shown, and the one the cubes count: a month's or a quarter's tables are
        # slices of its year's cubes, at the month or the quarter on the month axis.
        self.shown = period
        self.period = period
        self.by_year = bool(period.grain) and _adds_up_by_year(indicator, scope, period)
        self.period_pair: Pair | None = None
        if self.by_year:
            self.period = period.year(timezone.localdate(timezone=period.zone))
            if period.grain == Grain.MONTH:
                self.period_pair = (MONTH, period.start)
            elif period.grain == Grain.QUARTER:
                self.period_pair = (MONTH, ("q", period.start))
        self.count = count or count_atoms
        self.threshold = scope.threshold if indicator.counts_people else 0
        self.picks = ["numerator", "denominator"] if indicator.unit == Unit.PERCENT else []
        self.picks = self.picks or ["numerator"]
        self._tree: Tree | None = None
        self._coords: dict[object, list[Coord]] = {}
        self._ends: dict[date, date] | None = None

    @property
    def tree(self) -> Tree:
        if self._tree is None:
            self._tree = self.scope.locations or location_tree()
        return self._tree

    @property
    def levels(self) -> list[int]:
        return sorted({level for _parent, level in self.tree.values()}) or [1]

    # --- Coordinates --------------------------------------------------------------------

    def coords(self, axis: Axis, raw: object) -> list[Coord]:
        """The values of AXIS a row with RAW (what it was grouped by) counts in."""
        if axis.kind == Kind.MONTH and self.by_year:
            assert isinstance(raw, date)  # noqa: S101 - a month's first day
            quarter = _quarter(raw)
            if not self.indicator.stock or raw == self._quarter_ends()[quarter]:
                return [raw, ("q", quarter)]  # a point-in-time quarter: its last month's
            return [raw]
        if axis.kind != Kind.LOCATION:
            return [dict(axis.fold).get(raw, raw)] if axis.fold else [raw]
        if raw not in self._coords:
            place = raw if isinstance(raw, int) else None
            found: list[Coord] = []
            at = {level: ancestor_at(self.tree, place, level) for level in self.levels}
            for level in self.levels:
                found.append(("v", level, at[level]))
            for upper, lower in itertools.pairwise(self.levels):
                if at[lower] is None and at[upper] is not None:
                    found.append(("r", lower, at[upper]))
            self._coords[raw] = found
        return self._coords[raw]

    @staticmethod
    def unpublished(cell: CellKey, axes: dict[str, Axis]) -> bool:
        """Whether no table shows CELL: a remainder, or the cases without the risk type."""
        for name, coord in cell:
            kind = axes[name].kind
            if kind == Kind.FLAG and coord == 0:
                return True
            if kind == Kind.LOCATION and isinstance(coord, tuple) and coord[0] == "r":
                return True
        return False

    def axis_lines(self, axis: Axis, present: set[Coord]) -> list[tuple[list[Coord], Coord]]:
        """The lines of AXIS over its values PRESENT: (members, total), the total None for
        the cube without the axis."""
        if axis.kind == Kind.OVERLAP:
            return []
        if axis.kind == Kind.FLAG:
            return [([1, 0], None)]
        if axis.kind == Kind.MONTH:
            return self._month_lines(present)
        if axis.kind != Kind.LOCATION:
            return [(sorted(present, key=repr), None)]
        lines: list[tuple[list[Coord], Coord]] = []
        levels = self.levels
        by_level: dict[int, list[Coord]] = {level: [] for level in levels}
        for coord in present:
            if isinstance(coord, tuple) and coord[0] == "v":
                by_level[coord[1]].append(coord)
        for level in levels:
            lines.append((sorted(by_level[level], key=repr), None))
        for upper, lower in itertools.pairwise(levels):
            parts: dict[object, list[Coord]] = {}
            for coord in by_level[lower]:
                assert isinstance(coord, tuple)  # noqa: S101 - ("v", level, place)
                if coord[2] is not None:
                    parts.setdefault(ancestor_at(self.tree, coord[2], upper), []).append(coord)
            remainders: list[Coord] = []
            for coord in by_level[upper]:
                assert isinstance(coord, tuple)  # noqa: S101 - ("v", level, place)
                if coord[2] is None:
                    continue
                remainder = ("r", lower, coord[2])
                remainders.append(remainder)
                lines.append(([*parts.get(coord[2], []), remainder], coord))
            lines.append(([*remainders, ("v", upper, None)], ("v", lower, None)))
        return lines

    def _quarter_ends(self) -> dict[date, date]:
        """Each quarter of the period, and its last month within the period."""
        if self._ends is None:
            self._ends = {}
            for month in self.period.months():
                self._ends[_quarter(month)] = month
        return self._ends

    def _month_lines(self, present: set[Coord]) -> list[tuple[list[Coord], Coord]]:
        """The months add up to the period (a point-in-time figure: the last month is the
        period's; a figure over the whole period: no line); by year, to the quarters too,
        which add up to the year."""
        dates = self.period.months()
        months: list[Coord] = list(dates)
        if not months:
            return []
        if not self.by_year:
            if self.indicator.over_whole_period:
                return []  # the period's figure is neither its months' sum nor its last's
            if self.indicator.stock:
                return [([months[-1]], None)]
            return [([month for month in months if month in present], None)]
        ends = self._quarter_ends()
        quarters: list[Coord] = [("q", quarter) for quarter in ends]
        lines: list[tuple[list[Coord], Coord]] = []
        for quarter, end in ends.items():
            if self.indicator.stock:
                lines.append(([end], ("q", quarter)))
            else:
                lines.append(([m for m in dates if _quarter(m) == quarter], ("q", quarter)))
        if self.indicator.stock:
            return [*lines, ([quarters[-1]], None), ([months[-1]], None)]
        return [*lines, (quarters, None), (months, None)]

    # --- Deciding cubes -----------------------------------------------------------------

    def ensure(self, axes: list[Axis], filters: Filters) -> bool:
        """Decide the cube of AXES and every smaller one (False: not countable so)."""
        for axis in axes:
            self.lattice.axes[axis.name] = axis
        names = frozenset(axis.name for axis in axes)
        if all((pick, names) in self.lattice.solved for pick in self.picks):
            return True
        ordered = sorted(axes, key=lambda axis: axis.name)
        # Axes a smaller cube cannot be added up along: overlapping values (risk types) and a
        # point-in-time figure's months. A cube is added up from a count by exactly its own
        # axes of those kinds (and every other axis).
        odd = [
            axis
            for axis in ordered
            if axis.kind == Kind.OVERLAP or (axis.kind == Kind.MONTH and self.indicator.stock)
        ]
        counted: dict[frozenset[str], tuple[list[Axis], Atoms]] = {}
        for size in range(len(ordered) + 1):
            for chosen in itertools.combinations(ordered, size):
                subset = frozenset(axis.name for axis in chosen)
                if all((pick, subset) in self.lattice.solved for pick in self.picks):
                    continue
                kept = frozenset(axis.name for axis in odd if axis in chosen)
                if kept not in counted:
                    found = self._atoms(
                        [a for a in ordered if a not in odd or a in chosen], filters
                    )
                    if found is None:
                        return False
                    counted[kept] = found
                values = self._values(counted[kept], list(chosen))
                for pick in self.picks:
                    self._solve(pick, list(chosen), values[pick])
        return True

    def _atoms(self, axes: list[Axis], filters: Filters) -> tuple[list[Axis], Atoms] | None:
        distinct = any(axis.kind == Kind.OVERLAP for axis in axes)
        atoms = self.count(
            self.indicator,
            self.scope,
            self.period,
            filters,
            tuple(axis.by for axis in axes),
            distinct,
        )
        return None if atoms is None else (axes, atoms)

    def _values(
        self, counted: tuple[list[Axis], Atoms], chosen: list[Axis]
    ) -> dict[str, dict[CellKey, int]]:
        """The cells of the cube of CHOSEN axes, added up from COUNTED."""
        axes, atoms = counted
        positions = [axes.index(axis) for axis in chosen]
        out: dict[str, dict[CellKey, int]] = {pick: {} for pick in self.picks}
        for raw, figure in atoms.items():
            options = [
                [(axis.name, coord) for coord in self.coords(axis, raw[position])]
                for axis, position in zip(chosen, positions, strict=True)
            ]
            for pairs in itertools.product(*options):
                cell = _cell(pairs)
                for pick in self.picks:
                    value = getattr(figure, pick) or 0
                    out[pick][cell] = out[pick].get(cell, 0) + value
        return out

    def _solve(self, pick: str, chosen: list[Axis], values: dict[CellKey, int]) -> None:
        names = frozenset(axis.name for axis in chosen)
        lattice = self.lattice
        lines: list[Line] = []
        for axis in chosen:
            contexts: dict[CellKey, set[Coord]] = {}
            for cell in values:
                coord = dict(cell)[axis.name]
                contexts.setdefault(_without(cell, axis.name), set()).add(coord)
            present = set().union(*contexts.values()) if contexts else set()
            for members, total in self.axis_lines(axis, present):
                for context, here in contexts.items():
                    cells = [_with(context, axis.name, m) for m in members if m in here]
                    if cells:
                        whole = context if total is None else _with(context, axis.name, total)
                        lines.append((cells, whole))
        everything: dict[CellKey, int] = {}
        hidden: set[CellKey] = set()
        fixed: set[CellKey] = set()
        below: list[Line] = []
        for size in range(len(chosen)):
            for smaller in itertools.combinations(sorted(names), size):
                solved = lattice.solved[(pick, frozenset(smaller))]
                everything.update(solved.values)
                hidden |= solved.hidden
                fixed |= solved.values.keys() - solved.hidden
                below.extend(solved.lines)
        everything.update(values)
        for cell, value in values.items():
            if self.unpublished(cell, lattice.axes):
                if 0 < value < self.threshold:
                    hidden.add(cell)
                else:
                    fixed.add(cell)  # nought, or large: known, or harmless to know
            elif value < self.threshold:
                hidden.add(cell)  # a count of nought below the threshold reads "<5" too
        for line_cells, whole in lines:
            for cell in (*line_cells, whole):
                if cell not in everything:  # nobody: known to be nought
                    everything[cell] = 0
                    fixed.add(cell)
        if self.threshold:
            hidden = protect(
                everything,
                lines,
                hidden,
                self.threshold,
                rank=lambda cell: (everything[cell], repr(cell)),
                fixed=fixed,
                settled=below,
            )
        lattice.solved[(pick, names)] = Solved(values, frozenset(hidden & values.keys()), lines)

    # --- Reading a table ----------------------------------------------------------------

    def read(self, pick: str, pairs: dict[str, Coord]) -> tuple[int, bool]:
        """The count at PAIRS (an axis's name and value each; the cube of those axes must
        have been decided) and whether it is hidden."""
        return self.cell(pick, frozenset(pairs), _cell(pairs.items()))

    def places_at(self, level: int, pairs: dict[str, Coord]) -> list[object]:
        """The areas of LEVEL (None: people recorded above it) counted with the other
        PAIRS, from the cube of those axes and the location's."""
        name = LOCATION_AXIS.name
        names = frozenset([*pairs, name])
        solved = self.lattice.solved[(self.picks[0], names)]
        found = []
        for cell in solved.values:
            as_dict = dict(cell)
            coord = as_dict.pop(name)
            if as_dict == pairs and isinstance(coord, tuple) and coord[:2] == ("v", level):
                found.append(coord[2])
        return found

    def cell(self, pick: str, names: frozenset[str], cell: CellKey) -> tuple[int, bool]:
        """A cell's count and whether it is hidden (a count of nobody reads "<5" too)."""
        solved = self.lattice.solved[(pick, names)]
        if cell not in solved.values:
            return 0, self.threshold > 0
        return solved.values[cell], cell in solved.hidden


def _quarter(month: date) -> date:
    """The first day of the quarter MONTH is in."""
    return month.replace(month=(month.month - 1) // 3 * 3 + 1, day=1)


def _adds_up_by_year(indicator: Indicator, scope: Scope, period: Period) -> bool:
    """Whether INDICATOR's figure for a month or a quarter is a part of its year's: the sum of
    its months' (counted by a date), or its last month's (a point-in-time figure). Not so for
    a figure over the whole period (cases checked among cases open at some time in it) nor
    for one measured today whatever the period: those are counted for the period shown."""
    if indicator.over_whole_period:
        return False
    if indicator.stock:
        return True
    source = indicator.source(scope, period, Filters())
    return source is not None and source.month_field is not None


@dataclass(frozen=True)
class Slice:
    """A table's figures by key (TOTAL among them) and which numerators and denominators are
    hidden, for each location level where the rows are locations (else level 0 only)."""

    figures: dict[int, dict[object, Figure]]
    hidden_numerators: dict[int, frozenset[object]]
    hidden_denominators: dict[int, frozenset[object]]


def table_slice(context: Context, filters: Filters, what: str) -> Slice | None:
    """The table WHAT under FILTERS, read from its cube (decided first if need be)."""
    fixed_pairs: list[Pair] = []
    axes: list[Axis] = []
    for name in filters.active():
        axis, coord = filter_axis(name, filters)
        axes.append(axis)
        fixed_pairs.append((axis.name, coord))
    rows = table_axis(what)
    if rows is not None and rows.kind == Kind.MONTH:
        return _by_month(context, filters, axes, fixed_pairs, rows)
    if context.period_pair is not None:  # a month or a quarter of the year counted
        axes.append(Axis(MONTH, MONTH, Kind.MONTH))
        fixed_pairs.append(context.period_pair)
    same = rows is not None and any(axis.name == rows.name for axis in axes)
    if rows is not None and not same:
        axes.append(rows)
    if not context.ensure(axes, filters):
        return None
    names = frozenset(axis.name for axis in axes)
    total_names = frozenset(n for n in names if rows is None or n != rows.name or same)
    base = _cell(fixed_pairs)
    keyed: dict[int, dict[object, CellKey]] = {}  # level (0: not a location) -> key -> cell
    if rows is not None and not same:
        solved = context.lattice.solved[(context.picks[0], names)]
        for cell in solved.values:
            as_dict = dict(cell)
            if any(as_dict.get(n) != c for n, c in fixed_pairs):
                continue
            coord = as_dict[rows.name]
            if rows.kind == Kind.LOCATION:
                assert isinstance(coord, tuple)  # noqa: S101 - ("v"|"r", level, place)
                if coord[0] == "v":
                    keyed.setdefault(coord[1], {})[coord[2]] = cell
            else:
                keyed.setdefault(0, {})[coord] = cell
        for level in context.levels if rows.kind == Kind.LOCATION else [0]:
            keyed.setdefault(level, {})  # nobody under those filters: the total alone
    elif same and rows is not None:
        coord = dict(fixed_pairs)[rows.name]
        if rows.kind == Kind.LOCATION:
            return _location_within(context, names, base, coord)
        keyed[0] = {coord: base}
    else:
        keyed[0] = {}
    return _read(
        context,
        {
            level: [
                *((key, names, cell) for key, cell in cells.items()),
                (TOTAL, total_names, base),
            ]
            for level, cells in keyed.items()
        },
    )


Entry = tuple[object, frozenset[str], CellKey]  # a row's key, its cube's axes and its cell


def _by_month(
    context: Context,
    filters: Filters,
    axes: list[Axis],
    fixed_pairs: list[Pair],
    rows: Axis,
) -> Slice | None:
    """The table by month of the period shown, from the cube of the filters and the month;
    its total is the period's cell (the cube without the month for a whole period, the
    quarter's or the month's cell by year). A point-in-time figure's months have no total."""
    if not context.ensure([*axes, rows], filters):
        return None
    names = frozenset([*(axis.name for axis in axes), rows.name])
    base = _cell(fixed_pairs)
    entries: list[Entry] = [
        (month, names, _with(base, rows.name, month)) for month in context.shown.months()
    ]
    if not context.indicator.stock:
        if context.period_pair is None:
            entries.append((TOTAL, names - {rows.name}, base))
        else:
            entries.append((TOTAL, names, _with(base, *context.period_pair)))
    return _read(context, {0: entries})


def _read(context: Context, entries_by_level: dict[int, list[Entry]]) -> Slice:
    """The figures and hidden counts of ENTRIES, by location level."""
    figures: dict[int, dict[object, Figure]] = {}
    hidden: dict[str, dict[int, set[object]]] = {pick: {} for pick in context.picks}
    for level, entries in entries_by_level.items():
        level_figures: dict[object, Figure] = {}
        for key, where, cell in entries:
            counts = {}
            for pick in context.picks:
                value, is_hidden = context.cell(pick, where, cell)
                counts[pick] = value
                if is_hidden:
                    hidden[pick].setdefault(level, set()).add(key)
            level_figures[key] = (
                Figure(counts["numerator"], counts["denominator"])
                if "denominator" in counts
                else Figure(counts["numerator"])
            )
        figures[level] = level_figures
    return _slice(context, figures, hidden)


def _slice(
    context: Context,
    figures: dict[int, dict[object, Figure]],
    hidden: dict[str, dict[int, set[object]]],
) -> Slice:
    empty: dict[int, frozenset[object]] = {level: frozenset() for level in figures}
    numerators = {level: frozenset(hidden["numerator"].get(level, ())) for level in figures}
    denominators = empty
    if "denominator" in hidden:
        denominators = {level: frozenset(hidden["denominator"].get(level, ())) for level in figures}
    return Slice(figures, numerators, denominators)


def _location_within(
    context: Context, names: frozenset[str], base: CellKey, chosen: Coord
) -> Slice:
    """The table by location under a location filter: the chosen area's parts at each level
    from the cube by location itself, the people recorded above that level in the area, and
    the area as the total (above its own level, its row is the area)."""
    assert isinstance(chosen, tuple)  # noqa: S101 - ("v", level, place)
    _v, area_level, area = chosen
    name = LOCATION_AXIS.name
    figures: dict[int, dict[object, Figure]] = {}
    hidden: dict[str, dict[int, set[object]]] = {pick: {} for pick in context.picks}
    for level in context.levels:
        counts: dict[str, dict[object, int]] = {pick: {} for pick in context.picks}
        for pick in context.picks:
            solved = context.lattice.solved[(pick, names)]
            whole, whole_hidden = context.cell(pick, names, base)
            hides = hidden[pick].setdefault(level, set())
            counts[pick][TOTAL] = whole
            if whole_hidden:
                hides.add(TOTAL)
            if level <= area_level:
                key = ancestor_at(context.tree, area, level)
                counts[pick][key] = whole
                if whole_hidden:
                    hides.add(key)
                continue
            inside = 0
            for cell, value in solved.values.items():
                coord = dict(cell)[name]
                if _without(cell, name) != _without(base, name):
                    continue
                assert isinstance(coord, tuple)  # noqa: S101 - ("v"|"r", level, place)
                if coord[0] != "v" or coord[1] != level or coord[2] is None:
                    continue
                if ancestor_at(context.tree, coord[2], area_level) != area:
                    continue
                counts[pick][coord[2]] = value
                inside += value
                if cell in solved.hidden:
                    hides.add(coord[2])
            rest = whole - inside
            if rest:
                counts[pick][None] = rest
                if whole_hidden or hides - {TOTAL} or 0 < rest < context.threshold:
                    hides.add(None)
        figures[level] = {
            key: Figure(value, counts["denominator"].get(key, 0))
            if "denominator" in counts
            else Figure(value)
            for key, value in counts["numerator"].items()
        }
    return _slice(context, figures, hidden)
