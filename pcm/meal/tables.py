"""The tables the dashboards show and the exports write: an indicator's figures by group (or by
month), every count passed through small-cell suppression before anyone sees it.

Numerators and denominators are each suppressed as a column with its total (`_hide`), a
value (a percentage, a ratio) is shown only when both its counts are, and a table under
filters also hides what comparing it with a wider selection would give away (`masked`).
Suppressed counts read "<N" whether small themselves or hidden to protect a small one, so
that nobody can tell which is which.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from pcm.meal import snapshots
from pcm.meal.indicators import TOTAL, Figure, Indicator, Unit, compute, trend
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
from pcm.meal.suppression import GRAND, Cell, Position, suppress

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
) -> Figures | None:
    """The figures of table WHAT ("total", "month" or a dimension), TOTAL among them where
    the groups add up to one."""
    if what == "total":
        return compute(indicator, scope, period, filters)
    if what == "month":
        months = trend(indicator, scope, period, filters)
        if months is None:
            return None
        figures: Figures = {}
        figures.update(months.items())
        if not indicator.stock:  # snapshots month by month do not add up to a total
            figures[TOTAL] = _sum(list(months.values()))
        return figures
    return compute(indicator, scope, period, filters, Dim(what), location_level)


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


# Tables already computed in this request: (indicator code, filters, table, location level).
def snapshots_enabled() -> bool:
    """Whether computed tables are kept for a while (PCM_MEAL_SNAPSHOTS, on by default)."""
    return bool(getattr(settings, "PCM_MEAL_SNAPSHOTS", True))


Memo = dict[tuple[str, Filters, str, int], "Masked | None"]


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


def masked(
    indicator: Indicator,
    scope: Scope,
    period: Period,
    filters: Filters,
    what: str,
    location_level: int = 1,
    memo: Memo | None = None,
) -> Masked | None:
    """INDICATOR's figures for table WHAT under FILTERS, with the counts to hide.

    Besides the counts below the threshold and those that would give them away, a filtered
    table hides what the same table with one filter fewer hides, and any count whose
    difference from it is small: otherwise comparing two selections of filters would give
    away a hidden count (the wider table minus the narrower one). And where a filter selects
    a group that its own dimension's table hides, the filtered table hides its total, which
    is that group's count.
    """
    memo = {} if memo is None else memo
    memo_key = (indicator.code, filters, what, location_level)
    if memo_key in memo:
        return memo[memo_key]
    stored_as = ""
    if snapshots_enabled():
        stored_as = snapshots.snapshot_key(indicator, scope, period, filters, what, location_level)
        kept = snapshots.read(scope, stored_as)
        if kept is not None:
            memo[memo_key] = kept
            return kept
    figures = _figures(indicator, scope, period, filters, what, location_level)
    if figures is None:
        memo[memo_key] = None
        return None
    threshold = scope.threshold if indicator.counts_people else 0
    percent = indicator.unit == Unit.PERCENT
    forced_numerators: set[Key] = set()
    forced_denominators: set[Key] = set()
    for name in filters.active() if threshold else []:
        wider_filters = filters.without(name)
        wider = masked(indicator, scope, period, wider_filters, what, location_level, memo)
        if wider is not None:
            for key, figure in figures.items():
                other = wider.figures.get(key)
                gap = other.numerator - figure.numerator if other is not None else 0
                if key in wider.hidden_numerators or 0 < gap < threshold:
                    forced_numerators.add(key)
                if not percent:
                    continue
                gap = (other.denominator or 0) - (figure.denominator or 0) if other else 0
                if key in wider.hidden_denominators or 0 < gap < threshold:
                    forced_denominators.add(key)
        group = _filter_as_group(filters, name)
        if group is None or group[0] not in indicator.dims or TOTAL not in figures:
            continue
        dim, selected, level = group
        own = masked(indicator, scope, period, wider_filters, dim.value, level, memo)
        if own is not None and selected in own.hidden_numerators:
            forced_numerators.add(TOTAL)
        if own is not None and selected in own.hidden_denominators:
            forced_denominators.add(TOTAL)
    keys = [key for key in figures if key != TOTAL]
    result = Masked(
        figures,
        _hide(keys, figures, "numerator", threshold, forced_numerators),
        _hide(keys, figures, "denominator", threshold, forced_denominators)
        if percent
        else frozenset(),
    )
    memo[memo_key] = result
    if stored_as:
        snapshots.write(scope, stored_as, result)
    return result


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
