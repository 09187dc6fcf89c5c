"""The tables the dashboards show and the exports write: an indicator's figures by group (or by
month), every count passed through small-cell suppression before anyone sees it.

Numerators and denominators are each suppressed as a column with its total (`_hide`), a
value (a percentage, a ratio) is shown only when both its counts are, and a table under
filters also hides what comparing it with a wider selection would give away (`masked`).
Suppressed counts read "<N" whether small themselves or hidden to protect a small one, so
that nobody can tell which is which.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from pcm.meal import snapshots
from pcm.meal.indicators import (
    LEAVES,
    TOTAL,
    Figure,
    Indicator,
    Selection,
    Unit,
    add_figures,
    compute,
    compute_split,
    selections,
    trend,
    trend_split,
)
from pcm.meal.query import (
    DIM_LABELS,
    OVERLAPPING_DIMS,
    Dim,
    Filters,
    Period,
    Scope,
    ancestor_at,
    label_keys,
    location_pcodes,
    location_tree,
)
from pcm.meal.suppression import GRAND, Cell, Position, protect, suppress

HIDDEN_VALUE = "—"


@dataclass(frozen=True)
class Row:
    label: str
    code: str  # the group's code (a P-code, a risk level, a month): for exports
    numerator: Cell
    denominator: Cell | None
    value: float | None  # None: not computable or hidden
    value_text: str
    target_met: bool | None = None


@dataclass(frozen=True)
class Table:
    indicator: Indicator
    dim: Dim | None  # None with by_month: the monthly trend
    by_month: bool
    title: str
    rows: list[Row]
    total: Row | None
    # Rows may count the same case more than once (a case with several risk types).
    overlapping: bool = False
    available: bool = True
    location_level: int = 1

    @property
    def has_denominator(self) -> bool:
        return self.indicator.unit != Unit.COUNT

    @property
    def group_label(self) -> str:
        if self.by_month:
            return _("Month")
        return str(DIM_LABELS[self.dim]) if self.dim is not None else _("Group")

    @property
    def kind(self) -> str:
        """What `build` calls this table: "month", "total" or the dimension."""
        return "month" if self.by_month else (self.dim.value if self.dim else "total")

    @property
    def slug(self) -> str:
        return f"{self.indicator.code}-{self.kind}"


def format_value(value: float | None, unit: Unit) -> str:
    if value is None:
        return HIDDEN_VALUE
    if unit == Unit.PERCENT:
        return f"{value:.1f}%"
    if unit == Unit.RATIO:
        return f"{value:.1f}"
    return f"{value:.0f}"


def _row(
    indicator: Indicator,
    label: str,
    code: str,
    figure: Figure,
    numerator: Cell,
    denominator: Cell | None,
    hidden: bool,
) -> Row:
    value = None if hidden else figure.value(indicator.unit)
    met = indicator.target.met(value) if indicator.target is not None else None
    return Row(label, code, numerator, denominator, value, format_value(value, indicator.unit), met)


Key = object  # a group's key, a month, or TOTAL
Figures = dict[Key, Figure]


@dataclass(frozen=True)
class Masked:
    """An indicator's figures for one table, and which of their counts are hidden."""

    figures: Figures
    hidden_numerators: frozenset[Key]
    hidden_denominators: frozenset[Key]


def _figures(
    indicator: Indicator,
    scope: Scope,
    period: Period,
    filters: Filters,
    what: str,
    location_level: int,
) -> dict[Selection, Figures] | None:
    """The figures of table WHAT ("total", "month" or a dimension) for every selection of
    FILTERS (by the names of the filters applied), TOTAL among them where the groups add up
    to one: from one query where the indicator counts its filters apart, else one query per
    selection."""
    split = _split(indicator, scope, period, filters, what, location_level)
    if split is not None:
        return split
    out: dict[Selection, Figures] = {}
    # The selection of every filter first: where it cannot be counted, nothing else is.
    for selection, _positions in reversed(selections(tuple(filters.active()))):
        one = _one(indicator, scope, period, filters.only(selection), what, location_level)
        if one is None:
            return None
        out[selection] = one
    return out


def _one(
    indicator: Indicator,
    scope: Scope,
    period: Period,
    filters: Filters,
    what: str,
    location_level: int,
) -> Figures | None:
    """The figures of table WHAT under FILTERS, all applied."""
    if what == "total":
        return compute(indicator, scope, period, filters)
    if what == "month":
        months = trend(indicator, scope, period, filters)
        return None if months is None else _with_total(indicator, months)
    return compute(indicator, scope, period, filters, Dim(what), location_level)


def _with_total(indicator: Indicator, months: dict[date, Figure]) -> Figures:
    """The figures by month, with the period's total where months add up to one."""
    figures: Figures = {}
    figures.update(months.items())
    if not indicator.stock:  # snapshots month by month do not add up to a total
        figures[TOTAL] = _sum(list(months.values()))
    return figures


def _split(
    indicator: Indicator,
    scope: Scope,
    period: Period,
    filters: Filters,
    what: str,
    location_level: int,
) -> dict[Selection, Figures] | None:
    """The figures of every selection of FILTERS from one count, or None where the indicator
    cannot count its filters apart."""
    if what == "month":
        months = trend_split(indicator, scope, period, filters)
        if months is None:
            return None
        return {selection: _with_total(indicator, found) for selection, found in months.items()}
    dim = None if what == "total" else Dim(what)
    return compute_split(indicator, scope, period, filters, dim, location_level)


def _hide(
    keys: list[Key], counts: Figures, pick: str, threshold: int, forced: set[Key]
) -> frozenset[Key]:
    """The keys whose count (numerator or denominator, PICK) is hidden: one column with its
    total, so that the total minus the others never gives a hidden count."""
    values = [getattr(counts[key], pick) or 0 for key in keys]
    total = counts.get(TOTAL)
    positions: list[Position] = [("cell", i, 0) for i, key in enumerate(keys) if key in forced]
    if TOTAL in forced:
        positions.append(GRAND)
    grid = suppress(
        [[value] for value in values],
        threshold=threshold,
        grand=(getattr(total, pick) or 0) if total is not None else None,
        forced=positions,
    )
    hidden = {key for key, row in zip(keys, grid.cells, strict=True) if row[0].suppressed}
    if grid.grand is not None and grid.grand.suppressed:
        hidden.add(TOTAL)
    return frozenset(hidden)


def snapshots_enabled() -> bool:
    """Whether computed tables are kept for a while (PCM_MEAL_SNAPSHOTS, on by default)."""
    return bool(getattr(settings, "PCM_MEAL_SNAPSHOTS", True))


TableKey = tuple[str, Filters, str, int]  # indicator code, filters, table, location level
Place = tuple[str, int, object]  # ("v", level, group), ("r", level, parent) or the total


@dataclass(frozen=True)
class Remainders:
    """The people recorded at an area itself (its count minus its parts' one level down), by
    ("r", lower level, area), and which of those values are hidden."""

    values: dict[Place, int]
    hidden: frozenset[Place]


@dataclass
class Memo:
    """What one request has computed: the tables, and the figures of every selection of a
    set of filters (both by indicator code, filters, table and location level)."""

    tables: dict[TableKey, Masked | None] = field(default_factory=dict)
    figures: dict[TableKey, dict[Selection, Figures] | None] = field(default_factory=dict)
    # Location tables of every level at once, by indicator code and filters, and the
    # remainders they worked out (people recorded at an area itself), by what they count.
    levels: dict[tuple[str, Filters], dict[int, Masked] | None] = field(default_factory=dict)
    remainders: dict[tuple[str, Filters, str], Remainders] = field(default_factory=dict)


def _filter_as_group(filters: Filters, name: str) -> tuple[Dim, object, int] | None:
    """The group a filter selects, in the table of its own dimension (and the location level
    of that table)."""
    value = getattr(filters, name)
    simple = {
        "sex": Dim.SEX,
        "age_group": Dim.AGE_GROUP,
        "disability": Dim.DISABILITY,
        "displacement": Dim.DISPLACEMENT,
        "risk_level": Dim.RISK_LEVEL,
    }
    if name in simple:
        return simple[name], value, 1
    if name == "team":
        return Dim.TEAM, value.pk, 1
    if name == "risk_type":
        return Dim.RISK_TYPE, value.pk, 1
    if name == "location":
        return Dim.LOCATION, value.pk, value.level
    return None


@dataclass
class Constraints:
    """What a table must hide whatever the counts' size, numerators and denominators."""

    forced_numerators: set[Key] = field(default_factory=set)
    forced_denominators: set[Key] = field(default_factory=set)


def _compare(
    figures: Figures, wider: Masked, threshold: int, percent: bool, out: Constraints
) -> None:
    """What comparing FIGURES with the WIDER table (one filter fewer) asks of them: hide what
    the wider table hides and what lies a small count apart from it. (A count equal to one
    the wider table shows is known only where both are shown: hidden here, it stays unknown.)"""
    for key, figure in figures.items():
        other = wider.figures.get(key)
        gap = other.numerator - figure.numerator if other is not None else 0
        if key in wider.hidden_numerators or 0 < gap < threshold:
            out.forced_numerators.add(key)
        if not percent:
            continue
        gap = (other.denominator or 0) - (figure.denominator or 0) if other else 0
        if key in wider.hidden_denominators or 0 < gap < threshold:
            out.forced_denominators.add(key)


def _own_group(
    indicator: Indicator,
    scope: Scope,
    period: Period,
    filters: Filters,
    name: str,
    memo: Memo,
    within: Filters,
    figures: Figures,
) -> tuple[bool, bool]:
    """Whether the filter NAME selects a group whose numerator (and denominator) its own
    dimension's table, without that filter, hides: the filtered total is that group's
    figure, so it must be hidden too."""
    group = _filter_as_group(filters, name)
    if group is None or group[0] not in indicator.dims or TOTAL not in figures:
        return False, False
    dim, selected, level = group
    wider_filters = filters.without(name)
    own = masked(indicator, scope, period, wider_filters, dim.value, level, memo, within)
    if own is None:
        return False, False
    return selected in own.hidden_numerators, selected in own.hidden_denominators


def masked(
    indicator: Indicator,
    scope: Scope,
    period: Period,
    filters: Filters,
    what: str,
    location_level: int = 1,
    memo: Memo | None = None,
    within: Filters | None = None,
) -> Masked | None:
    """INDICATOR's figures for table WHAT under FILTERS, with the counts to hide.

    Besides the counts below the threshold and those that would give them away, a filtered
    table hides what the same table with one filter fewer hides, and any count whose
    difference from it is small: otherwise comparing two selections of filters would give
    away a hidden count (the wider table minus the narrower one). And where a filter selects
    a group that its own dimension's table hides, the filtered table hides its total, which
    is that group's count.

    The wider tables' figures come with the first table's: WITHIN is the selection of filters
    first asked for (FILTERS itself, or a wider selection being worked out for it), and one
    count gives the figures of every selection of WITHIN.
    """
    memo = Memo() if memo is None else memo
    within = filters if within is None else within
    memo_key = (indicator.code, filters, what, location_level)
    if memo_key in memo.tables:
        return memo.tables[memo_key]
    if what == Dim.LOCATION.value:
        # Every level at once, and never from a snapshot: the levels (and the wider
        # selections' remainders) must come from the same counts to be suppressed together.
        every_level = _location_tables(indicator, scope, period, filters, memo, within)
        if every_level is None or location_level in every_level:
            found = None if every_level is None else every_level[location_level]
            memo.tables[memo_key] = found
            return found
    stored_as = ""
    if snapshots_enabled():
        stored_as = snapshots.snapshot_key(indicator, scope, period, filters, what, location_level)
        kept = snapshots.read(scope, stored_as)
        if kept is not None:
            memo.tables[memo_key] = kept
            return kept
    counted_key = (indicator.code, within, what, location_level)
    if counted_key not in memo.figures:
        memo.figures[counted_key] = _figures(indicator, scope, period, within, what, location_level)
    counted = memo.figures[counted_key]
    if counted is None:
        memo.tables[memo_key] = None
        return None
    figures = counted[frozenset(filters.active())]
    threshold = scope.threshold if indicator.counts_people else 0
    percent = indicator.unit == Unit.PERCENT
    asked = Constraints()
    for name in filters.active() if threshold else []:
        wider_filters = filters.without(name)
        wider = masked(indicator, scope, period, wider_filters, what, location_level, memo, within)
        if wider is not None:
            _compare(figures, wider, threshold, percent, asked)
        own = _own_group(indicator, scope, period, filters, name, memo, within, figures)
        if own[0]:
            asked.forced_numerators.add(TOTAL)
        if own[1]:
            asked.forced_denominators.add(TOTAL)
    keys = [key for key in figures if key != TOTAL]
    result = Masked(
        figures,
        _hide(keys, figures, "numerator", threshold, asked.forced_numerators),
        _hide(keys, figures, "denominator", threshold, asked.forced_denominators)
        if percent
        else frozenset(),
    )
    memo.tables[memo_key] = result
    if stored_as:
        snapshots.write(scope, stored_as, result)
    return result


def _location_tables(
    indicator: Indicator,
    scope: Scope,
    period: Period,
    filters: Filters,
    memo: Memo,
    within: Filters,
) -> dict[int, Masked] | None:
    """INDICATOR's tables by location at every administrative level under FILTERS, suppressed
    together: a province is the sum of its districts (and of the people recorded at the
    province itself), so a district hidden in one table must not be the difference between
    its province, shown in another, and its shown neighbours. Otherwise as `masked`: what
    comparing with one filter fewer would give away is hidden too."""
    cache_key = (indicator.code, filters)
    if cache_key in memo.levels:
        return memo.levels[cache_key]
    counted_key = (indicator.code, within, Dim.LOCATION.value, LEAVES)
    if counted_key not in memo.figures:
        memo.figures[counted_key] = _figures(
            indicator, scope, period, within, Dim.LOCATION.value, LEAVES
        )
    counted = memo.figures[counted_key]
    if counted is None:
        memo.levels[cache_key] = None
        return None
    leaves = counted[frozenset(filters.active())]
    tree = scope.locations or location_tree()
    levels = sorted({level for _parent, level in tree.values()}) or [1]
    figures_at = {level: _roll_up(leaves, tree, level) for level in levels}
    threshold = scope.threshold if indicator.counts_people else 0
    percent = indicator.unit == Unit.PERCENT
    asked = {level: Constraints() for level in levels}
    picks = ["numerator", "denominator"] if percent else ["numerator"]
    forced_remainders: dict[str, set[Place]] = {pick: set() for pick in picks}
    for name in filters.active() if threshold else []:
        wider_filters = filters.without(name)
        wider = _location_tables(indicator, scope, period, wider_filters, memo, within)
        if wider is not None:
            for level in levels:
                _compare(figures_at[level], wider[level], threshold, percent, asked[level])
            for pick in picks:
                own_remainders = _remainders(figures_at, tree, pick)
                wider_remainders = memo.remainders[(indicator.code, wider_filters, pick)]
                for place, value in own_remainders.items():
                    gap = wider_remainders.values.get(place, 0) - value
                    if place in wider_remainders.hidden or 0 < gap < threshold:
                        forced_remainders[pick].add(place)
        own = _own_group(indicator, scope, period, filters, name, memo, within, leaves)
        for level in levels:
            if own[0]:
                asked[level].forced_numerators.add(TOTAL)
            if own[1]:
                asked[level].forced_denominators.add(TOTAL)
    hidden: dict[str, dict[int, frozenset[Key]]] = {}
    for pick in picks:
        hidden[pick], memo.remainders[(indicator.code, filters, pick)] = _hide_levels(
            figures_at, tree, pick, threshold, asked, forced_remainders[pick]
        )
    numerators = hidden["numerator"]
    denominators = hidden.get("denominator", {level: frozenset[Key]() for level in levels})
    result = {
        level: Masked(figures_at[level], numerators[level], denominators[level]) for level in levels
    }
    memo.levels[cache_key] = result
    return result


def _remainders(
    figures_at: dict[int, Figures], tree: dict[int, tuple[int | None, int]], pick: str
) -> dict[Place, int]:
    """The people recorded at each area itself (not at one of its parts one level down), by
    ("r", lower level, area): the area's count (PICK) minus its parts'."""
    levels = sorted(figures_at)
    out: dict[Place, int] = {}
    for upper, lower in itertools.pairwise(levels):
        inside: dict[object, int] = {}
        for key, figure in figures_at[lower].items():
            if key not in (TOTAL, None):
                above = ancestor_at(tree, key, upper)  # type: ignore[arg-type]  # a location id
                inside[above] = inside.get(above, 0) + (getattr(figure, pick) or 0)
        for area, figure in figures_at[upper].items():
            if area not in (TOTAL, None):
                out[("r", lower, area)] = (getattr(figure, pick) or 0) - inside.get(area, 0)
    return out


def _roll_up(leaves: Figures, tree: dict[int, tuple[int | None, int]], level: int) -> Figures:
    """Figures by the place recorded, added up by the area of LEVEL each lies in."""
    out: Figures = {}
    for key, figure in leaves.items():
        if key == TOTAL:
            continue
        group = ancestor_at(tree, key, level)  # type: ignore[arg-type]  # a location id or None
        out[group] = add_figures(out[group], figure) if group in out else figure
    if TOTAL in leaves:
        out[TOTAL] = leaves[TOTAL]
    return out


def _hide_levels(
    figures_at: dict[int, Figures],
    tree: dict[int, tuple[int | None, int]],
    pick: str,
    threshold: int,
    asked: dict[int, Constraints],
    forced_remainders: set[Place],
) -> tuple[dict[int, frozenset[Key]], Remainders]:
    """Which counts (PICK: numerators or denominators) each level's table hides, as one
    system of equations: each level's groups add up to the total, and each area's count is
    the sum of its parts one level down plus the people recorded at the area itself (a
    remainder no table shows: hidden when small or FORCED_REMAINDERS, known when nought);
    and the remainders, with which are hidden."""
    levels = sorted(figures_at)
    remainder_values = _remainders(figures_at, tree, pick)
    numerators = pick == "numerator"
    forced = {
        level: c.forced_numerators if numerators else c.forced_denominators
        for level, c in asked.items()
    }
    grand: Place = ("t", 0, None)
    values: dict[Place, int] = {grand: getattr(figures_at[levels[0]].get(TOTAL), pick, 0) or 0}
    hidden: set[Place] = set()
    fixed: set[Place] = set()
    if values[grand] < threshold or any(TOTAL in keys for keys in forced.values()):
        hidden.add(grand)
    lines: list[tuple[list[Place], Place]] = []
    groups = {level: [key for key in figures_at[level] if key != TOTAL] for level in levels}
    for level in levels:
        members: list[Place] = []
        for key in groups[level]:
            place: Place = ("v", level, key)
            values[place] = getattr(figures_at[level][key], pick) or 0
            if values[place] < threshold or key in forced[level]:
                hidden.add(place)
            members.append(place)
        lines.append((members, grand))
    for upper, lower in itertools.pairwise(levels):
        parts: dict[object, list[Place]] = {}
        for key in groups[lower]:
            if key is not None:
                above = ancestor_at(tree, key, upper)  # type: ignore[arg-type]
                parts.setdefault(above, []).append(("v", lower, key))
        remainders: list[Place] = []
        for area in groups[upper]:
            if area is None:
                continue
            inside = parts.get(area, [])
            remainder: Place = ("r", lower, area)
            values[remainder] = remainder_values[remainder]
            if remainder in forced_remainders or 0 < values[remainder] < threshold:
                hidden.add(remainder)
            elif values[remainder] == 0:
                fixed.add(remainder)
            remainders.append(remainder)
            lines.append(([*inside, remainder], ("v", upper, area)))
        # The people recorded above the lower level: its group "none".
        for place in (("v", lower, None), ("v", upper, None)):
            if place not in values:
                values[place] = 0
                fixed.add(place)
        lines.append(([*remainders, ("v", upper, None)], ("v", lower, None)))
    kinds = {"r": 0, "v": 1, "t": 2}
    hidden = protect(
        values,
        lines,
        hidden,
        threshold,
        rank=lambda place: (kinds[place[0]], values[place], place[1], str(place[2])),
        fixed=fixed,
    )
    out: dict[int, frozenset[Key]] = {}
    for level in levels:
        keys: set[Key] = {key for key in groups[level] if ("v", level, key) in hidden}
        if grand in hidden:
            keys.add(TOTAL)
        out[level] = frozenset(keys)
    return out, Remainders(remainder_values, frozenset(hidden & remainder_values.keys()))


def _line(
    indicator: Indicator, table: Masked, key: Key, label: str, code: str, threshold: int
) -> Row:
    figure = table.figures[key]
    numerator = Cell(figure.numerator, key in table.hidden_numerators, threshold)
    denominator: Cell | None
    if indicator.unit == Unit.PERCENT:
        denominator = Cell(figure.denominator or 0, key in table.hidden_denominators, threshold)
    else:
        denominator = _staff(figure)
    hidden = numerator.suppressed or (denominator is not None and denominator.suppressed)
    return _row(indicator, label, code, figure, numerator, denominator, hidden)


def _rows(
    indicator: Indicator,
    table: Masked,
    labelled: list[tuple[Key, str, str]],
    threshold: int,
) -> tuple[list[Row], Row | None]:
    """The rows (KEY, label, code) of TABLE in that order, and its total row."""
    rows = [_line(indicator, table, key, label, code, threshold) for key, label, code in labelled]
    total = None
    if TOTAL in table.figures:
        total = _line(indicator, table, TOTAL, _("Total"), "", threshold)
    return rows, total


def _staff(figure: Figure) -> Cell | None:
    """A ratio's denominator counts staff, not service users: shown as it is."""
    if figure.denominator is None:
        return None
    return Cell(figure.denominator, suppressed=False, threshold=0)


def headline(
    indicator: Indicator,
    scope: Scope,
    period: Period,
    filters: Filters,
    memo: Memo | None = None,
) -> Table:
    """INDICATOR's total for the period: the dashboard's line."""
    title = str(indicator.title)
    table = masked(indicator, scope, period, filters, "total", memo=memo)
    if table is None:
        return Table(indicator, None, False, title, [], None, available=False)
    _unused, total = _rows(indicator, table, [], scope.threshold)
    return Table(indicator, None, False, title, [], total)


def by_group(
    indicator: Indicator,
    scope: Scope,
    period: Period,
    filters: Filters,
    dim: Dim,
    location_level: int = 1,
    memo: Memo | None = None,
) -> Table:
    """INDICATOR disaggregated by DIM, with its total."""
    title = _("%(indicator)s by %(dimension)s") % {
        "indicator": indicator.title,
        "dimension": str(DIM_LABELS[dim]).lower(),
    }
    table = masked(indicator, scope, period, filters, dim.value, location_level, memo)
    if table is None:
        return Table(indicator, dim, False, title, [], None, available=False)
    keys = [key for key in table.figures if key != TOTAL]
    labels = label_keys(dim, keys, scope)
    codes = location_pcodes(keys) if dim == Dim.LOCATION else {}
    ordered = sorted(keys, key=lambda key: (key is None or key == "", labels[key]))
    labelled = [
        (key, labels[key], str(codes.get(key, "" if key is None else key))) for key in ordered
    ]
    rows, total_row = _rows(indicator, table, labelled, scope.threshold)
    return Table(
        indicator,
        dim,
        False,
        title,
        rows,
        total_row,
        overlapping=dim in OVERLAPPING_DIMS,
        location_level=location_level,
    )


def by_month(
    indicator: Indicator,
    scope: Scope,
    period: Period,
    filters: Filters,
    memo: Memo | None = None,
) -> Table:
    """INDICATOR month by month over the period (not available for point-in-time figures)."""
    title = _("%(indicator)s by month") % {"indicator": indicator.title}
    table = masked(indicator, scope, period, filters, "month", memo=memo)
    if table is None:
        return Table(indicator, None, True, title, [], None, available=False)
    months = [key for key in table.figures if isinstance(key, date)]
    labelled: list[tuple[Key, str, str]] = [
        (month, _month_label(month), month.strftime("%Y-%m")) for month in months
    ]
    rows, total_row = _rows(indicator, table, labelled, scope.threshold)
    return Table(indicator, None, True, title, rows, total_row)


def _sum(figures: list[Figure]) -> Figure:
    numerator = sum(f.numerator for f in figures)
    if any(f.denominator is None for f in figures):
        return Figure(numerator)
    return Figure(numerator, sum(f.denominator or 0 for f in figures))


def _month_label(month: date) -> str:
    return date_format(month, "YEAR_MONTH_FORMAT")


def describe(table: Table) -> str:
    """A sentence for screen readers and the chart's text alternative."""
    if not table.available:
        return _("Not available with the filters chosen.")
    if not table.rows or not any(row.numerator.value for row in table.rows):
        return _("Nothing counted in this period.")
    shown = [row for row in table.rows if row.value is not None]
    if not shown:
        return _("Every figure is too small to show.")
    high = max(shown, key=lambda row: row.value or 0)
    low = min(shown, key=lambda row: row.value or 0)
    return _("Highest: %(high)s (%(high_value)s). Lowest: %(low)s (%(low_value)s).") % {
        "high": high.label,
        "high_value": high.value_text,
        "low": low.label,
        "low_value": low.value_text,
    }


def dim_choices() -> list[tuple[str, str | Promise]]:
    return [(dim.value, DIM_LABELS[dim]) for dim in Dim]


def build(
    indicator: Indicator,
    scope: Scope,
    period: Period,
    filters: Filters,
    table: str,
    location_level: int = 1,
) -> Table | None:
    """The table named TABLE ("total", "month" or a dimension) of INDICATOR; None if the
    indicator has no such table."""
    if table == "total":
        return headline(indicator, scope, period, filters)
    if table == "month":
        return by_month(indicator, scope, period, filters)
    if table not in Dim.__members__.values() or Dim(table) not in indicator.dims:
        return None
    return by_group(indicator, scope, period, filters, Dim(table), location_level)
