"""The people-reached (5W) table across location levels and filters: no hidden count can be
worked out from a row, a column, its area one level up, or the same table with one filter
fewer.

People are random records (place, sex, age group) counted in memory, over the small tree of
test_suppression_across_levels (a country, two provinces, districts; some people recorded at a
province only).
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pcm.meal import reach as reach_module
from pcm.meal.indicators import selections
from pcm.meal.query import Filters, Scope, ancestor_at
from pcm.meal.suppression import gives_away
from pcm.meal.tests.test_suppression_across_levels import PLACES, TREE

THRESHOLD = 5
SEXES = ("female", "male")
AGES = ("18-24", "25-59")
WIDTH = reach_module.WIDTH

people = st.tuples(
    st.lists(
        st.tuples(
            st.sampled_from([21, 22, 23, 31, 32]),
            st.sampled_from(SEXES),
            st.sampled_from(AGES),
        ),
        max_size=50,
    ),
    st.lists(
        st.tuples(st.sampled_from([2, 3]), st.sampled_from(SEXES), st.sampled_from(AGES)),
        max_size=2,
    ),
).map(lambda parts: parts[0] + parts[1])


def _counts(records, filters: Filters):
    def one(chosen: Filters):
        grid: dict[object, list[int]] = {}
        for place, sex, age in records:
            if chosen.sex and sex != chosen.sex:
                continue
            area = chosen.location
            if area is not None and ancestor_at(TREE, place, area.level) != area.pk:
                continue
            column = reach_module._column_of(sex, age)
            assert column is not None
            grid.setdefault(place, [0] * WIDTH)[column] += 1
        return grid

    return {
        chosen: one(filters.only(chosen))
        for chosen, _positions in selections(tuple(filters.active()))
    }


def _selections():
    for sex, place in itertools.product(("", *SEXES), (None, *PLACES)):
        yield Filters(sex=sex, location=place)  # type: ignore[arg-type]  # stands for a Location


@pytest.fixture
def scope(personas):
    return Scope(agency=personas.agency, threshold=THRESHOLD, locations=TREE)


def _lines(grids, values) -> list[tuple[list[Any], Any]]:
    """The equations a reader can write with the tables of every level."""
    lines: list[tuple[list[Any], Any]] = []
    columns = [("k", j) for j in range(WIDTH)]
    lines.append((columns, ("g",)))
    for level, grid in grids.items():
        for key in grid:
            lines.append(([("c", level, key, j) for j in range(WIDTH)], ("r", level, key)))
        for j in range(WIDTH):
            lines.append(([("c", level, key, j) for key in grid], ("k", j)))
        lines.append(([("r", level, key) for key in grid], ("g",)))
    for upper, lower in ((0, 1), (1, 2)):
        for area in grids[upper]:
            if area is None:
                continue
            parts = [
                k for k in grids[lower] if k is not None and ancestor_at(TREE, k, upper) == area
            ]
            for j in [*range(WIDTH), None]:

                def at(lv, k, j=j):
                    return ("r", lv, k) if j is None else ("c", lv, k, j)

                inside = [at(lower, k) for k in parts]
                remainder = values[at(upper, area)] - sum(values[s] for s in inside)
                if remainder == 0:  # the reader may assume nobody is recorded at the area
                    lines.append((inside, at(upper, area)))
    return lines


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(records=people)
@example(
    records=[(21, "female", "25-59")] * 3
    + [(22, "female", "25-59")] * 9
    + [(31, "male", "18-24")] * 6
    + [(32, "male", "18-24")] * 8
)
def test_no_level_nor_filter_gives_away_a_hidden_count(records, scope):
    shown = {}
    for filters in _selections():
        memo = reach_module.ReachMemo(_counts(records, filters), {})
        grids, hidden = reach_module._masked(scope, filters, memo)
        values = reach_module._values(grids, TREE)
        shown[filters] = (values, hidden)
        for spot, value in values.items():
            # Every small count is hidden; so is every small remainder (the people recorded
            # at an area itself), which no table shows but subtraction could give.
            if value < THRESHOLD and (spot[0] != "m" or value > 0):
                assert spot in hidden, spot
        for members, total in _lines(grids, values):
            present = [m for m in members if m in values]
            if not present:
                continue  # a table of nobody
            assert not gives_away(present, total, hidden, values, THRESHOLD), (members, total)
    for filters, (values, hidden) in shown.items():
        for name in filters.active():
            wider_values, wider_hidden = shown[filters.without(name)]
            for spot, value in values.items():
                if spot in wider_hidden:
                    assert spot in hidden
                elif spot not in hidden:
                    gap = wider_values.get(spot, 0) - value
                    assert gap == 0 or gap >= THRESHOLD


def test_the_table_shows_every_level(scope, monkeypatch):
    records = [(21, "female", "25-59")] * 6 + [(31, "male", "18-24")] * 7
    monkeypatch.setattr(reach_module, "_counts", lambda s, p, f: _counts(records, f))
    monkeypatch.setattr(reach_module, "label_keys", lambda dim, keys, s: {k: str(k) for k in keys})
    monkeypatch.setattr(reach_module, "location_pcodes", lambda keys: {})
    table = reach_module.reach(scope, None, Filters(), location_level=2)  # type: ignore[arg-type]
    assert [row.label for row in table.rows] == ["21", "31"]
    assert [row.total.text for row in table.rows] == ["6", "7"]
    assert table.totals.total.text == "13"
