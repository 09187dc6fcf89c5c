"""The people-reached (5W) table across location levels and filters: no hidden count can be
worked out from a row, a column, its area one level up, the same table under other filters,
nor any combination of those (checked by linear algebra, pcm.meal.tests.attack).

People are random records (place, sex, age group) counted in memory, over the small tree of
test_suppression_across_levels (a country, two provinces, districts; some people recorded at a
province only).
"""

from __future__ import annotations

import itertools
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pcm.meal import linked
from pcm.meal import reach as reach_module
from pcm.meal.query import Dim, Filters, Period, Scope, ancestor_at
from pcm.meal.tests.attack import Analyst, counting, examples
from pcm.meal.tests.test_suppression_across_levels import PLACES, TREE

THRESHOLD = 5
SEXES = ("female", "male")
AGES = ("18-24", "25-59")
PERIOD = Period(date(2026, 1, 1), date(2026, 3, 31), ZoneInfo("UTC"))
ATOMS = list(itertools.product([2, 3, 21, 22, 23, 31, 32], SEXES, AGES))
COLUMN = {tag_age: j for j, tag_age in enumerate(reach_module.COLUMNS)}
TAG = {"female": "+f", "male": "+m"}

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


def _attribute(record, by):
    return {Dim.LOCATION: record[0], Dim.SEX: record[1], Dim.AGE_GROUP: record[2]}[Dim(by)]


def _selections():
    for sex, place in itertools.product(("", *SEXES), (None, *PLACES)):
        yield Filters(sex=sex, location=place)  # type: ignore[arg-type]  # stands for a Location


def _meets(atom, filters: Filters, level: int, place: object, column: int | None) -> bool:
    """Whether people of ATOM count in the row of PLACE (at LEVEL; "all": the totals row) and
    COLUMN (None: the row's total)."""
    where, sex, age = atom
    if filters.sex and sex != filters.sex:
        return False
    area = filters.location
    if area is not None and ancestor_at(TREE, where, area.level) != area.pk:
        return False
    if place != "all" and ancestor_at(TREE, where, level) != place:
        return False
    return column is None or COLUMN[(TAG[sex], age)] == column


@pytest.fixture
def scope(personas):
    return Scope(agency=personas.agency, threshold=THRESHOLD, locations=TREE)


@examples(40)
@given(records=people)
@example(
    records=[(21, "female", "25-59")] * 3
    + [(22, "female", "25-59")] * 9
    + [(31, "male", "18-24")] * 6
    + [(32, "male", "18-24")] * 8
)
def test_no_level_nor_filter_gives_away_a_hidden_count(records, scope, monkeypatch, settings):
    settings.PCM_MEAL_SNAPSHOTS = False
    monkeypatch.setattr(linked, "count_atoms", counting(records, _attribute))
    analyst = Analyst(ATOMS)
    secrets = []
    for filters, level in itertools.product(_selections(), (0, 1, 2)):
        found = reach_module.grid(scope, PERIOD, filters, level)
        lines = [(place, found.rows[place]) for place in found.rows]
        lines.append(("all", found.totals))
        for place, (cells, total) in lines:
            for column, cell in [*enumerate(cells), (None, total)]:
                atoms = [a for a in ATOMS if _meets(a, filters, level, place, column)]
                assert cell.value == sum(1 for r in records if r in atoms), (
                    filters.active(),
                    level,
                    place,
                    column,
                )
                if cell.value < THRESHOLD:
                    assert cell.suppressed  # every small count is hidden
                if not cell.suppressed:
                    analyst.sees(atoms)
                elif 0 < cell.value < THRESHOLD:
                    secrets.append(atoms)  # a hidden count above it may be worked out
    for atoms in secrets:
        assert not analyst.knows(atoms), atoms
