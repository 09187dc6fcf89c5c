"""Small-cell suppression: no count below the threshold shows, nor one that gives it away."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pcm.meal.suppression import Cell, SuppressedTable, suppress

THRESHOLD = 5

grids = st.integers(min_value=1, max_value=6).flatmap(
    lambda rows: st.integers(min_value=1, max_value=5).flatmap(
        lambda columns: st.lists(
            st.lists(st.integers(min_value=0, max_value=40), min_size=columns, max_size=columns),
            min_size=rows,
            max_size=rows,
        )
    )
)


def _with_margins(cells: list[list[int]]) -> SuppressedTable:
    return suppress(
        cells,
        threshold=THRESHOLD,
        row_totals=[sum(row) for row in cells],
        col_totals=[sum(column) for column in zip(*cells, strict=True)],
        grand=sum(map(sum, cells)),
    )


def _lines(table: SuppressedTable) -> list[list[bool]]:
    """Each equation of the table as the hidden flags of its values."""
    assert table.row_totals is not None and table.col_totals is not None
    assert table.grand is not None
    lines = [
        [cell.suppressed for cell in row] + [total.suppressed]
        for row, total in zip(table.cells, table.row_totals, strict=True)
    ]
    for j, total in enumerate(table.col_totals):
        lines.append([row[j].suppressed for row in table.cells] + [total.suppressed])
    lines.append([total.suppressed for total in table.col_totals] + [table.grand.suppressed])
    lines.append([total.suppressed for total in table.row_totals] + [table.grand.suppressed])
    return lines


@settings(max_examples=300, deadline=None)
@given(grids)
def test_it_hides_every_count_below_the_threshold(cells):
    table = _with_margins(cells)
    values = [cell for row in table.cells for cell in row]
    assert table.grand is not None
    values += [*(table.row_totals or []), *(table.col_totals or []), table.grand]
    for cell in values:
        if cell.value < THRESHOLD:
            assert cell.suppressed and cell.text == "<5" and cell.shown is None


@settings(max_examples=300, deadline=None)
@given(grids)
def test_it_never_leaves_a_hidden_count_alone_in_a_row_or_column(cells):
    """A row or column (with its total) hiding exactly one value would give it away."""
    for line in _lines(_with_margins(cells)):
        assert sum(line) != 1, line


@settings(max_examples=300, deadline=None)
@given(grids)
def test_no_hidden_cell_can_be_worked_out_from_what_is_shown(cells):
    """Each hidden cell has another hidden value in its row and in its column (or the total
    of that line is hidden too), so subtraction never yields it."""
    table = _with_margins(cells)
    assert table.row_totals is not None and table.col_totals is not None
    for i, row in enumerate(table.cells):
        for j, cell in enumerate(row):
            if not cell.suppressed:
                continue
            others_in_row = [c for k, c in enumerate(row) if k != j] + [table.row_totals[i]]
            others_in_column = [r[j] for k, r in enumerate(table.cells) if k != i]
            others_in_column.append(table.col_totals[j])
            assert any(c.suppressed for c in others_in_row)
            assert any(c.suppressed for c in others_in_column)


def _value_lines(table: SuppressedTable) -> list[list[tuple[int, bool]]]:
    """Each equation of the table as (value, hidden) pairs, its total last."""
    assert table.row_totals is not None and table.col_totals is not None
    assert table.grand is not None
    pair = lambda cell: (cell.value, cell.suppressed)  # noqa: E731 - a one-line helper
    lines = [
        [pair(cell) for cell in row] + [pair(total)]
        for row, total in zip(table.cells, table.row_totals, strict=True)
    ]
    for j, total in enumerate(table.col_totals):
        lines.append([pair(row[j]) for row in table.cells] + [pair(total)])
    lines.append([pair(total) for total in table.col_totals] + [pair(table.grand)])
    lines.append([pair(total) for total in table.row_totals] + [pair(table.grand)])
    return lines


@settings(max_examples=300, deadline=None)
@given(grids)
def test_the_hidden_values_of_a_line_never_add_up_to_a_small_count(cells):
    """Under a shown total, what is hidden in a line adds up to 0 or at least the threshold:
    the total minus the shown values never reveals a small group (e.g. a hidden 2 beside a
    hidden 0)."""
    for line in _value_lines(_with_margins(cells)):
        *parts, (_total, total_hidden) = line
        if total_hidden:
            continue
        hidden_sum = sum(value for value, hidden in parts if hidden)
        assert hidden_sum == 0 or hidden_sum >= THRESHOLD, line


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=8))
def test_a_single_column_never_gives_away_a_small_hidden_sum(counts):
    table = suppress([[n] for n in counts], threshold=THRESHOLD, grand=sum(counts))
    assert table.grand is not None
    if not table.grand.suppressed:
        hidden_sum = sum(row[0].value for row in table.cells if row[0].suppressed)
        assert hidden_sum == 0 or hidden_sum >= THRESHOLD


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=8))
def test_a_single_column_never_gives_away_one_hidden_count(counts):
    table = suppress([[n] for n in counts], threshold=THRESHOLD, grand=sum(counts))
    assert table.grand is not None
    hidden = [row[0].suppressed for row in table.cells] + [table.grand.suppressed]
    assert sum(hidden) != 1


@settings(max_examples=200, deadline=None)
@given(grids)
def test_it_shows_every_count_it_does_not_need_to_hide(cells):
    """Suppression hides the smallest companion, never a count at random: every shown count
    is its true value, and a table with no small count hides nothing."""
    table = _with_margins(cells)
    for row, source in zip(table.cells, cells, strict=True):
        for cell, value in zip(row, source, strict=True):
            assert cell.value == value
            if not cell.suppressed:
                assert cell.text == str(value)
    if all(value >= THRESHOLD for row in cells for value in row):
        assert not any(cell.suppressed for row in table.cells for cell in row)


def test_it_hides_a_second_cell_beside_a_small_one():
    table = suppress(
        [[3, 20], [10, 12]], threshold=5, row_totals=[23, 22], col_totals=[13, 32], grand=45
    )
    shown = [[cell.text for cell in row] for row in table.cells]
    # 3 is small; 20 (its row) and 10 (its column) would give it away, and then 12 too.
    assert shown == [["<5", "<5"], ["<5", "<5"]]
    assert [c.text for c in table.row_totals or []] == ["23", "22"]
    assert table.grand is not None and table.grand.text == "45"


def test_it_hides_what_it_is_told_to_and_what_gives_it_away():
    table = suppress([[10], [12], [30]], threshold=5, grand=52, forced=[("cell", 1, 0)])
    assert [row[0].text for row in table.cells] == ["<5", "<5", "30"]
    assert table.grand is not None and table.grand.text == "52"


def _worked_out(table: SuppressedTable) -> list[tuple[int, int]]:
    """The hidden cells below the threshold that the table's equations (every row and column
    with its total, the totals with the grand total), solved together, determine: Gaussian
    elimination over the fractions, written apart from the code under test."""
    assert table.row_totals is not None and table.col_totals is not None
    assert table.grand is not None
    unknown: list[tuple[str, int, int]] = []
    rows, columns = len(table.cells), len(table.col_totals)

    def var(kind: str, i: int, j: int, cell: Cell) -> None:
        if cell.suppressed:
            unknown.append((kind, i, j))

    for i, row in enumerate(table.cells):
        for j, cell in enumerate(row):
            var("cell", i, j, cell)
    for i, cell in enumerate(table.row_totals):
        var("row", i, 0, cell)
    for j, cell in enumerate(table.col_totals):
        var("col", 0, j, cell)
    var("grand", 0, 0, table.grand)
    index = {key: n for n, key in enumerate(unknown)}
    equations = []
    for i in range(rows):
        equations.append([("cell", i, j, 1) for j in range(columns)] + [("row", i, 0, -1)])
    for j in range(columns):
        equations.append([("cell", i, j, 1) for i in range(rows)] + [("col", 0, j, -1)])
    equations.append([("col", 0, j, 1) for j in range(columns)] + [("grand", 0, 0, -1)])
    equations.append([("row", i, 0, 1) for i in range(rows)] + [("grand", 0, 0, -1)])
    matrix = []
    for equation in equations:
        coefficients = [Fraction(0)] * len(unknown)
        for kind, i, j, sign in equation:
            if (kind, i, j) in index:
                coefficients[index[(kind, i, j)]] += sign
        matrix.append(coefficients)

    def rank(rows_: list[list[Fraction]]) -> int:
        m = [list(r) for r in rows_]
        found = 0
        for col in range(len(unknown)):
            pivot = next((r for r in range(found, len(m)) if m[r][col] != 0), None)
            if pivot is None:
                continue
            m[found], m[pivot] = m[pivot], m[found]
            for r in range(len(m)):
                if r != found and m[r][col] != 0:
                    factor = m[r][col] / m[found][col]
                    m[r] = [a - factor * b for a, b in zip(m[r], m[found], strict=True)]
            found += 1
        return found

    base = rank(matrix)
    out = []
    for i, row in enumerate(table.cells):
        for j, cell in enumerate(row):
            if cell.suppressed and 0 < cell.value < THRESHOLD:
                unit = [Fraction(0)] * len(unknown)
                unit[index[("cell", i, j)]] = Fraction(1)
                if rank([*matrix, unit]) == base:
                    out.append((i, j))
    return out


# Every row and column hiding two values or none, yet the 1 follows from the equations
# together (found by hypothesis before `protect` solved them).
BRIDGE = [[0, 0, 5, 5], [1, 6, 0, 5], [5, 0, 5, 5], [5, 5, 0, 0]]


@settings(max_examples=300, deadline=None)
@given(grids)
@example(cells=BRIDGE)
def test_no_small_hidden_cell_follows_from_the_equations_together(cells):
    """Not only one line at a time: no combination of rows and columns determines a small
    hidden count."""
    assert _worked_out(_with_margins(cells)) == []
