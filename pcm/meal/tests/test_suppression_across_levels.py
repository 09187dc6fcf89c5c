"""Suppression across the levels of the administrative hierarchy, and across filters on place
and sex: a district hidden in the table by district is never the difference between its
province (in the table by province) and what is shown beside it, nor what any combination of
the tables of every level and every selection of filters gives (checked by linear algebra,
pcm.meal.tests.attack), whatever the filters.

People are random records (a place and a sex) counted in memory; the places form a small
tree: a country, two provinces, two or three districts each. Some people are recorded at a
province only, so a province is its districts plus a remainder no table shows (protected too
when small).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pcm.meal import linked, tables
from pcm.meal.indicators import TOTAL, get_indicator
from pcm.meal.query import Dim, Filters, Period, Scope, ancestor_at
from pcm.meal.tests.attack import Analyst, counting, examples

THRESHOLD = 5
PERIOD = Period(date(2026, 1, 1), date(2026, 3, 31), ZoneInfo("UTC"))
# id: (parent, level)
TREE: dict[int, tuple[int | None, int]] = {
    1: (None, 0),
    2: (1, 1),
    3: (1, 1),
    21: (2, 2),
    22: (2, 2),
    23: (2, 2),
    31: (3, 2),
    32: (3, 2),
}
SEXES = ("female", "male")


@dataclass(frozen=True)
class Place:
    """Stands for a Location in the filters (what the tables read of it)."""

    pk: int
    level: int


PLACES = [Place(2, 1), Place(3, 1), Place(21, 2)]

# Mostly people recorded at a district; now and then at a province only.
people = st.tuples(
    st.lists(st.tuples(st.sampled_from([21, 22, 23, 31, 32]), st.sampled_from(SEXES)), max_size=60),
    st.lists(st.tuples(st.sampled_from([2, 3]), st.sampled_from(SEXES)), max_size=2),
).map(lambda parts: parts[0] + parts[1])


def _inside(pk: int, area: Place) -> bool:
    return ancestor_at(TREE, pk, area.level) == area.pk


def _attribute(record, by):
    return record[0] if Dim(by) == Dim.LOCATION else record[1]


ATOMS = list(itertools.product([2, 3, 21, 22, 23, 31, 32], SEXES))


def _selections():
    for sex, place in itertools.product(("", *SEXES), (None, *PLACES)):
        yield Filters(sex=sex, location=place)  # type: ignore[arg-type]  # stands for a Location


def _meets(atom, filters: Filters, what: str, level: int, key: object) -> bool:
    place, sex = atom
    if filters.sex and sex != filters.sex:
        return False
    if filters.location is not None and not _inside(place, filters.location):  # type: ignore[arg-type]
        return False
    if key == TOTAL:
        return True
    if what == "sex":
        return bool(sex == key)
    area: object = ancestor_at(TREE, place, level)
    return bool(area == key)


@pytest.fixture
def scope(personas):
    return Scope(agency=personas.agency, threshold=THRESHOLD, locations=TREE)


@examples(80)
@given(records=people)
# A small district beside a small-ish one in the other province: hiding those two alone would
# keep the table by district safe, but not the first province's line.
@example(
    records=[(21, "female")] * 3
    + [(22, "male")] * 10
    + [(23, "male")] * 10
    + [(31, "female")] * 6
    + [(32, "male")] * 10
)
@example(  # every gap is 0 or 5 and more, but 7 and 5 people at the first province itself
    records=[(21, "female")] * 5
    + [(21, "male")] * 5
    + [(22, "female")] * 10
    + [(2, "female")] * 5
    + [(2, "male")] * 2
    + [(31, "female")] * 10
    + [(32, "female")] * 5
    + [(32, "male")] * 5
    + [(3, "female")] * 5
    + [(3, "male")] * 3
)
def test_no_level_nor_filter_gives_away_a_hidden_count(records, scope, monkeypatch, settings):
    settings.PCM_MEAL_SNAPSHOTS = False
    monkeypatch.setattr(linked, "count_atoms", counting(records, _attribute))
    indicator = get_indicator("new_cases")
    assert indicator is not None
    memo = tables.Memo()
    analyst = Analyst(ATOMS)
    secrets: list[list[tuple[int, str]]] = []
    asked = [("location", level) for level in (0, 1, 2)] + [("sex", 1), ("total", 1)]
    for filters, (what, level) in itertools.product(_selections(), asked):
        table = tables.masked(indicator, scope, PERIOD, filters, what, level, memo)
        assert table is not None
        secrets += analyst.reads(
            table,
            lambda key: [a for a in ATOMS if _meets(a, filters, what, level, key)],  # noqa: B023
            records,
            THRESHOLD,
        )
        # The people recorded at a province itself, shown by no table: protected when small.
        for province in (2, 3):
            atoms = [
                (province, sex) for sex in SEXES if _meets((province, sex), filters, "", 0, TOTAL)
            ]
            if 0 < sum(1 for r in records if r in atoms) < THRESHOLD:
                secrets.append(atoms)
    for atoms in secrets:
        assert not analyst.knows(atoms), atoms
