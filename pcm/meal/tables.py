"""The tables the dashboards show and the exports write: an indicator's figures by group (or by
month), every count passed through small-cell suppression before anyone sees it.

`masked` reads a table as a slice of its cube (pcm.meal.linked), where numerators and
denominators are each decided with every table they add up with: the same table under each
value of each filter, the table without each filter, and for locations every level. A value
(a percentage, a ratio) is shown only when both its counts are. Suppressed counts read "<N"
whether small themselves or hidden to protect a small one, so that nobody can tell which is
which.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from pcm.meal import linked, snapshots
from pcm.meal.indicators import (
    TOTAL,
    Figure,
    Indicator,
    Unit,
    compute,
    trend,
    with_ratio_denominators,
)
from pcm.meal.query import (
    DIM_LABELS,
    OVERLAPPING_DIMS,
    Dim,
    Filters,
    Period,
    Scope,
    label_keys,
    location_pcodes,
)
from pcm.meal.suppression import Cell

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


def snapshots_enabled() -> bool:
    """Whether computed tables are kept for a while (PCM_MEAL_SNAPSHOTS, on by default)."""
    return bool(getattr(settings, "PCM_MEAL_SNAPSHOTS", True))


@dataclass
class Memo:
    """What one request has computed: the tables (by indicator code, period, filters, table
    and location level), and the cubes decided so far (pcm.meal.linked)."""

    tables: dict[tuple[str, Period, Filters, str, int], Masked | None] = field(default_factory=dict)
    # By indicator code and the period its cubes count (a month's and a quarter's: the year's).
    lattices: dict[tuple[str, Period], linked.Lattice] = field(default_factory=dict)
    slices: dict[tuple[str, Period, Filters, str], linked.Slice | None] = field(
        default_factory=dict
    )


def masked(
    indicator: Indicator,
    scope: Scope,
    period: Period,
    filters: Filters,
    what: str,
    location_level: int = 1,
    memo: Memo | None = None,
) -> Masked | None:
    """INDICATOR's figures for table WHAT ("total", "month" or a dimension) under FILTERS,
    with the counts to hide: a slice of the cube of the filters' and the rows' axes, decided
    with every other table of that cube and its margins (pcm.meal.linked). None where the
    indicator has no such table, or none under those filters."""
    memo = Memo() if memo is None else memo
    memo_key = (indicator.code, period, filters, what, location_level)
    if memo_key in memo.tables:
        return memo.tables[memo_key]
    # Tables by location are never snapshotted: their levels are decided together.
    stored_as = ""
    if snapshots_enabled() and what != Dim.LOCATION.value:
        stored_as = snapshots.snapshot_key(indicator, scope, period, filters, what, location_level)
        kept = snapshots.read(scope, stored_as)
        if kept is not None:
            memo.tables[memo_key] = kept
            return kept
    if not indicator.counts_people:  # staff only: nothing to hide, each table on its own
        result = _unprotected(indicator, scope, period, filters, what, location_level)
        memo.tables[memo_key] = result
        return result
    slice_key = (indicator.code, period, filters, what)
    if slice_key not in memo.slices:
        context = linked.Context(indicator, scope, period, linked.Lattice())
        context.lattice = memo.lattices.setdefault(
            (indicator.code, context.period), context.lattice
        )
        memo.slices[slice_key] = linked.table_slice(context, filters, what)
    found = memo.slices[slice_key]
    level = location_level if what == Dim.LOCATION.value else 0
    result = None
    if found is not None and level in found.figures:
        figures = found.figures[level]
        if indicator.ratio_denominator is not None:
            staff = indicator.ratio_denominator(scope, filters)
            if what == "month":  # each month's figure over the staff, as the total's
                figures = {k: Figure(f.numerator, staff.get(None, 0)) for k, f in figures.items()}
            else:
                dim = None if what == "total" else Dim(what)
                figures = with_ratio_denominators(indicator, dim, figures, staff)
        hidden = found.hidden_numerators[level]
        if scope.threshold:
            # Teams with staff and no case: a count of nought, hidden as any below the threshold.
            hidden = hidden | (figures.keys() - found.figures[level].keys())
        result = Masked(figures, hidden, found.hidden_denominators[level])
    memo.tables[memo_key] = result
    if stored_as and result is not None:
        snapshots.write(scope, stored_as, result)
    return result


def _unprotected(
    indicator: Indicator,
    scope: Scope,
    period: Period,
    filters: Filters,
    what: str,
    location_level: int,
) -> Masked | None:
    """The figures of an indicator that counts staff only, nothing hidden."""
    if what == "month":
        months = trend(indicator, scope, period, filters)
        if months is None:
            return None
        figures: dict[object, Figure] = {}
        figures.update(months.items())
        if not indicator.stock:
            figures[TOTAL] = _sum(list(months.values()))
    else:
        dim = None if what == "total" else Dim(what)
        found = compute(indicator, scope, period, filters, dim, location_level)
        if found is None:
            return None
        figures = found
    return Masked(figures, frozenset(), frozenset())


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
