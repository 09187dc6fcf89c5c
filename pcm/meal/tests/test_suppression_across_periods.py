"""Suppression across periods: the tables of a year, of each of its quarters and of each of its
months, under every selection of filters, give no small hidden count away together (a quarter
minus two of its months is the third; a year minus three quarters is the fourth). Checked by
linear algebra (pcm.meal.tests.attack) over random people counted in memory.

A month's or a quarter's tables are slices of the year's cubes (pcm.meal.linked), which have
the month as an axis and the quarters as its sums: so they are decided with the year's.
"""

from __future__ import annotations

import itertools
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pcm.meal import linked, tables
from pcm.meal.indicators import MONTH, TOTAL, Figure, get_indicator
from pcm.meal.query import Dim, Filters, Grain, Period, Scope
from pcm.meal.tests.attack import Analyst, counting, examples

THRESHOLD = 5
ZONE = ZoneInfo("UTC")
LATER = date(2099, 1, 1)  # "today" for the periods: 2025 is over
SEXES = ("female", "male", "other")
LEVELS = ("high", "low")
MONTHS = [date(2025, month, 1) for month in range(1, 13)]
# People opened in the first half of the year: small counts abound, and the third quarter and
# July are there with nobody.
OPENED = MONTHS[:6]
PERIODS = [
    Period.calendar(Grain.YEAR, date(2025, 1, 1), ZONE, LATER),
    *(Period.calendar(Grain.QUARTER, date(2025, m, 1), ZONE, LATER) for m in (1, 4, 7)),
    *(Period.calendar(Grain.MONTH, month, ZONE, LATER) for month in MONTHS[:7]),
]
ATOMS = list(itertools.product(MONTHS, SEXES, LEVELS))
TABLES = ("total", "sex", "risk_level", "month")

people = st.lists(
    st.tuples(st.sampled_from(OPENED), st.sampled_from(SEXES), st.sampled_from(LEVELS)),
    max_size=50,
)


def _attribute(record, by):
    if by == MONTH:
        return record[0]
    return record[1] if Dim(by) == Dim.SEX else record[2]


def _selections():
    for sex, level in itertools.product(("", *SEXES), ("", *LEVELS)):
        yield Filters(sex=sex, risk_level=level)


def _meets(atom, period: Period, filters: Filters, what: str, key: object) -> bool:
    month, sex, level = atom
    if not period.start <= month <= period.end:
        return False
    if (filters.sex and sex != filters.sex) or (filters.risk_level and level != filters.risk_level):
        return False
    if key == TOTAL:
        return True
    return bool(key == {"sex": sex, "risk_level": level, "month": month}[what])


@pytest.fixture
def scope(personas):
    return Scope(agency=personas.agency, threshold=THRESHOLD)


@examples(40)
@given(records=people)
# Women at high risk: 10 in January, 7 in February, 2 in March, 6 in April. Hiding April
# beside March would keep the year's line safe, not the first quarter's: 19 - 10 - 7 = 2.
@example(
    records=[(MONTHS[0], "female", "high")] * 10
    + [(MONTHS[1], "female", "high")] * 7
    + [(MONTHS[2], "female", "high")] * 2
    + [(MONTHS[3], "female", "high")] * 6
    + [(MONTHS[4], "male", "low")] * 8
)
def test_no_combination_of_periods_gives_away_a_hidden_count(records, scope, monkeypatch, settings):
    settings.PCM_MEAL_SNAPSHOTS = False  # each example counts other records
    monkeypatch.setattr(linked, "count_atoms", counting(records, _attribute))
    indicator = get_indicator("new_cases")
    assert indicator is not None
    memo = tables.Memo()
    analyst = Analyst(ATOMS)
    secrets: list[list[tuple[date, str, str]]] = []
    for period, filters, what in itertools.product(PERIODS, _selections(), TABLES):
        table = tables.masked(indicator, scope, period, filters, what, memo=memo)
        assert table is not None
        if what == "month":
            assert [key for key in table.figures if key != TOTAL] == period.months()
        secrets += analyst.reads(
            table,
            lambda key: [a for a in ATOMS if _meets(a, period, filters, what, key)],  # noqa: B023
            records,
            THRESHOLD,
        )
    # The year's cubes alone were counted (the quarters' and months' are slices of them).
    assert {period for _code, period in memo.lattices} == {PERIODS[0]}
    for atoms in secrets:
        assert not analyst.knows(atoms), atoms


# --- A point-in-time figure: the caseload at the end of each month --------------------------

STILL_OPEN = 12  # closed in no month of the year
# (sex, the month opened, the month closed): open at the end of the months in between.
SPELLS = [
    (sex, first, last)
    for sex in SEXES[:2]
    for first in range(4)
    for last in [*range(first + 1, 7), STILL_OPEN]
]

spells = st.lists(st.sampled_from(SPELLS), max_size=40)


def _open_at(spell: tuple[str, int, int], month: int) -> bool:
    return spell[1] <= month < spell[2]


def _counting_stock(records):
    """The caseload counted in memory: by month, at each month's end; else at the period's."""

    def count(indicator, scope, period, filters, axes, distinct):
        atoms: dict[tuple[object, ...], Figure] = {}
        by_month = MONTH in axes
        at_end = [MONTHS.index(period.end.replace(day=1))]
        months = [MONTHS.index(m) for m in period.months()] if by_month else at_end
        for record, month in itertools.product(records, months):
            if not _open_at(record, month):
                continue
            key = tuple(MONTHS[month] if by == MONTH else record[0] for by in axes)
            atoms[key] = Figure((atoms[key].numerator if key in atoms else 0) + 1)
        return atoms

    return count


def _stock_meets(spell, period: Period, filters: Filters, what: str, key: object) -> bool:
    if filters.sex and spell[0] != filters.sex:
        return False
    at = MONTHS.index(period.end.replace(day=1))
    if what == "month":
        return _open_at(spell, MONTHS.index(key))  # type: ignore[arg-type]  # a month
    return _open_at(spell, at) and (key == TOTAL or spell[0] == key)


@examples(30)
@given(records=spells)
def test_no_combination_of_periods_gives_away_a_hidden_caseload(
    records, scope, monkeypatch, settings
):
    settings.PCM_MEAL_SNAPSHOTS = False
    monkeypatch.setattr(linked, "count_atoms", _counting_stock(records))
    indicator = get_indicator("caseload")
    assert indicator is not None and indicator.stock
    memo = tables.Memo()
    analyst = Analyst(SPELLS)
    secrets: list[list[tuple[str, int, int]]] = []
    for period, filters, what in itertools.product(
        PERIODS, [Filters(sex=sex) for sex in ("", *SEXES[:2])], ("total", "sex", "month")
    ):
        table = tables.masked(indicator, scope, period, filters, what, memo=memo)
        assert table is not None
        if what == "month":
            assert TOTAL not in table.figures  # a caseload's months do not add up
        secrets += analyst.reads(
            table,
            lambda key: [s for s in SPELLS if _stock_meets(s, period, filters, what, key)],  # noqa: B023
            records,
            THRESHOLD,
        )
    for atoms in secrets:
        assert not analyst.knows(atoms), atoms
