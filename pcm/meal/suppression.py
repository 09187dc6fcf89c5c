"""Small-cell suppression: no count below the agency's threshold is shown, nor any count from
which one could be worked out by subtraction.

A table is a grid of counts with its margins: row totals, column totals and the grand total.
Every row and every column of that grid, margins included, is an equation (the cells add up
to the margin), so a line in which exactly one value is hidden gives that value away. After
hiding every count below the threshold (primary suppression), each such line gets a second
value hidden (secondary suppression): the smallest shown cell of the line, a margin only where
no cell is left, the grand total last. This repeats until every line hides either none or at
least two of its values. A caller may also hide values whatever their size (`forced`), e.g.
those hidden in a wider table of the same figures, and secondary suppression then protects
them too.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from typing import Any, TypeVar

# ("cell", row, column), ("row", row, 0), ("col", 0, column) or ("grand", 0, 0).
Position = tuple[str, int, int]
GRAND: Position = ("grand", 0, 0)
# Which kind of value is hidden first when a second value must be hidden in a line.
_PREFERENCE = {"cell": 0, "row": 1, "col": 1, "grand": 2}


@dataclass(frozen=True)
class Cell:
    """A count as shown: its value is never shown when suppressed."""

    value: int
    suppressed: bool
    threshold: int

    @property
    def text(self) -> str:
        return f"<{self.threshold}" if self.suppressed else str(self.value)

    @property
    def shown(self) -> int | None:
        return None if self.suppressed else self.value


@dataclass(frozen=True)
class SuppressedTable:
    cells: list[list[Cell]]
    row_totals: list[Cell] | None
    col_totals: list[Cell] | None
    grand: Cell | None


def _lines(
    rows: int, columns: int, has_rows: bool, has_cols: bool, has_grand: bool, single: bool
) -> list[list[Position]]:
    """Every equation of the table: each row and column with its margin."""
    lines: list[list[Position]] = []
    if has_rows:
        for i in range(rows):
            lines.append([*(("cell", i, j) for j in range(columns)), ("row", i, 0)])
    for j in range(columns):
        column: list[Position] = [("cell", i, j) for i in range(rows)]
        if single and has_grand:
            lines.append([*column, GRAND])
        elif has_cols:
            lines.append([*column, ("col", 0, j)])
    if has_grand and has_cols:
        lines.append([*(("col", 0, j) for j in range(columns)), GRAND])
    if has_grand and has_rows:
        lines.append([*(("row", i, 0) for i in range(rows)), GRAND])
    return lines


_LEVEL = {"cell": 0, "row": 1, "col": 1, "grand": 2}

K = TypeVar("K", bound=Hashable)


def gives_away(
    members: Sequence[K], total: K, hidden: Set[K], values: Mapping[K, int], threshold: int
) -> bool:
    """Whether a line (MEMBERS adding up to TOTAL) gives a hidden value away by subtraction:
    one hidden value alone, or hidden values whose sum (the total minus what is shown) is
    small but not zero — e.g. a hidden 2 beside a hidden 0 under a shown total."""
    hidden_here = [key for key in (*members, total) if key in hidden]
    if len(hidden_here) == 1:
        return True
    if not hidden_here or total in hidden:
        return False  # nothing hidden, or the sum of the hidden values is itself hidden
    derivable = sum(values[key] for key in hidden_here)
    return 0 < derivable < threshold


# Arithmetic modulo a large prime: the equations' coefficients are 1 and -1, so a value is
# determined by them exactly when it is modulo P (barring a one-in-2^61 coincidence).
_P = (1 << 61) - 1


# The most unknown values linked by equations that `determined` solves together.
EXACT_LIMIT = 400


class _Reduced:
    """Equations over unknown values in reduced row echelon form (sparse rows modulo _P): each
    row has a pivot unknown that no other row holds. An unknown is determined exactly when
    its row holds nothing else."""

    def __init__(self) -> None:
        self.rows: dict[Any, dict[Any, int]] = {}  # pivot -> row (pivot's coefficient 1)
        self.holding: dict[Any, set[Any]] = {}  # a non-pivot unknown -> pivots of rows with it

    def _set(self, pivot: Any, key: Any, value: int) -> None:
        row = self.rows[pivot]
        if value:
            row[key] = value
            self.holding.setdefault(key, set()).add(pivot)
        else:
            row.pop(key, None)
            self.holding.get(key, set()).discard(pivot)

    def add(self, terms: Iterable[tuple[Any, int]]) -> None:
        row: dict[Any, int] = {}
        for key, coefficient in terms:
            row[key] = (row.get(key, 0) + coefficient) % _P
        # Rows hold no pivot but their own: one pass removes every pivot from ROW.
        for pivot in [key for key in row if key in self.rows]:
            factor = row.pop(pivot)
            for key, value in self.rows[pivot].items():
                if key != pivot:
                    row[key] = (row.get(key, 0) - factor * value) % _P
        row = {key: value for key, value in row.items() if value}
        if not row:
            return
        holding = self.holding
        pivot = min(row, key=lambda key: len(holding.get(key, ())))
        inverse = pow(row[pivot], _P - 2, _P)
        row = {key: value * inverse % _P for key, value in row.items()}
        for other in list(self.holding.pop(pivot, ())):
            factor = self.rows[other].pop(pivot)
            for key, value in row.items():
                if key != pivot:
                    self._set(other, key, (self.rows[other].get(key, 0) - factor * value) % _P)
        self.rows[pivot] = {pivot: 1}
        for key, value in row.items():
            if key != pivot:
                self._set(pivot, key, value)

    def determines(self, key: Any) -> bool:
        return key in self.rows and len(self.rows[key]) == 1


def determined(
    lines: Sequence[tuple[Sequence[K], K]],
    unknown: Set[K],
    among: Iterable[K],
) -> set[K]:
    """Those of AMONG (unknown values) that the LINES (members adding up to a total), with
    every value not UNKNOWN known, determine exactly: by any combination of the equations,
    not only one line at a time (e.g. a hidden cell between two groups of hidden cells, each
    of its lines hiding two values, can still be the sum of shown ones). Unknowns linked by
    no chain of equations are worked out apart; a chain of more than EXACT_LIMIT unknowns is
    not solved (it would take minutes in Python): there, only the lines one at a time protect."""
    among = [key for key in among if key in unknown]
    if not among:
        return set()
    parent: dict[K, K] = {}

    def root(key: K) -> K:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    equations: list[list[tuple[K, int]]] = []
    for members, total in lines:
        terms = [(key, 1) for key in members if key in unknown]
        if total in unknown:
            terms.append((total, -1))
        if terms:
            equations.append(terms)
            first = root(terms[0][0])
            for key, _sign in terms[1:]:
                parent[root(key)] = first
    wanted: dict[K, list[K]] = {}
    for key in among:
        if key in unknown and key in parent:
            wanted.setdefault(root(key), []).append(key)
    by_part: dict[K, list[list[tuple[K, int]]]] = {}
    for terms in equations:
        part = root(terms[0][0])
        if part in wanted:
            by_part.setdefault(part, []).append(terms)
    sizes: dict[K, int] = {}
    for key in unknown:
        if key in parent:
            part = root(key)
            sizes[part] = sizes.get(part, 0) + 1
    out: set[K] = set()
    for part, keys in wanted.items():
        if sizes.get(part, 0) > EXACT_LIMIT:
            continue
        reduced = _Reduced()
        for terms in by_part.get(part, []):
            reduced.add(terms)
        out |= {key for key in keys if reduced.determines(key)}
    return out


def protect(
    values: Mapping[K, int],
    lines: Sequence[tuple[Sequence[K], K]],
    hidden: Set[K],
    threshold: int,
    rank: Callable[[K], Any],
    fixed: Set[K] = frozenset(),
    settled: Sequence[tuple[Sequence[K], K]] = (),
) -> set[K]:
    """HIDDEN, and the further values to hide so that no hidden count below THRESHOLD can be
    worked out from VALUES' lines (members, total): in each line that gives a hidden value
    away, the shown value of lowest RANK is hidden, until none does; then the equations of
    every line together are solved for the small hidden counts, and while one is determined,
    the shown value of lowest rank in its lines is hidden and all starts again. Lines may share
    values (a table's rows and columns, the levels of a hierarchy). FIXED values are known
    anyway (e.g. a count of nobody that is not shown but is known to be nought): never chosen.
    Values that no table shows (e.g. people recorded at an area itself) are passed as HIDDEN
    and protected alike when small. SETTLED lines hold only values already decided (shown
    or hidden, e.g. a wider table's): no line rule to apply, but equations all the same."""
    out = set(hidden)
    sensitive = {key for key in out if 0 < values[key] < threshold and key not in fixed}
    lines_of: dict[K, list[int]] = {}
    for index, (members, total) in enumerate(lines):
        for key in (*members, total):
            lines_of.setdefault(key, []).append(index)
    while True:
        changed = True
        while changed:
            changed = False
            for members, total in lines:
                if not gives_away(members, total, out, values, threshold):
                    continue
                # Hiding a known value would protect nothing: it is never chosen.
                candidates = [k for k in (*members, total) if k not in out and k not in fixed]
                if not candidates:
                    continue
                out.add(min(candidates, key=rank))
                changed = True
        if not sensitive:
            return out
        found = determined([*settled, *lines], out - fixed, sensitive)
        more = False
        for key in sorted(found, key=repr):
            candidates = [
                k
                for index in lines_of.get(key, [])
                for k in (*lines[index][0], lines[index][1])
                if k not in out and k not in fixed
            ]
            if candidates:
                out.add(min(candidates, key=rank))
                more = True
        if not more:
            return out


def suppress(
    cells: Sequence[Sequence[int]],
    *,
    threshold: int,
    row_totals: Sequence[int] | None = None,
    col_totals: Sequence[int] | None = None,
    grand: int | None = None,
    forced: Iterable[Position] = (),
) -> SuppressedTable:
    """CELLS (rows of counts) with their margins, suppressed for THRESHOLD.

    For a single column, pass its total as GRAND (no column totals). FORCED positions are
    hidden whatever their value.
    """
    rows = len(cells)
    columns = len(cells[0]) if rows else (len(col_totals) if col_totals is not None else 1)
    single_column = columns == 1 and row_totals is None
    values: dict[Position, int] = {}
    for i, row in enumerate(cells):
        for j, value in enumerate(row):
            values[("cell", i, j)] = int(value)
    if row_totals is not None:
        for i, value in enumerate(row_totals):
            values[("row", i, 0)] = int(value)
    if col_totals is not None and not single_column:
        for j, value in enumerate(col_totals):
            values[("col", 0, j)] = int(value)
    if grand is not None:
        values[GRAND] = int(grand)
    hidden = {position for position, value in values.items() if value < threshold}
    hidden |= {position for position in forced if position in values}
    has_cols = col_totals is not None and not single_column
    lines = _lines(
        rows, columns, row_totals is not None, has_cols, grand is not None, single_column
    )
    equations = []
    for line in lines:
        present = [position for position in line if position in values]
        if present:
            total = max(present, key=lambda position: _LEVEL[position[0]])
            equations.append(([p for p in present if p != total], total))
    hidden = protect(
        values,
        equations,
        hidden,
        threshold,
        rank=lambda p: (_PREFERENCE[p[0]], values[p], p[1], p[2]),
    )

    def cell(position: Position) -> Cell:
        return Cell(values[position], position in hidden, threshold)

    return SuppressedTable(
        cells=[[cell(("cell", i, j)) for j in range(columns)] for i in range(rows)],
        row_totals=[cell(("row", i, 0)) for i in range(rows)] if row_totals is not None else None,
        col_totals=[cell(("col", 0, j)) for j in range(columns)] if has_cols else None,
        grand=cell(GRAND) if grand is not None else None,
    )
