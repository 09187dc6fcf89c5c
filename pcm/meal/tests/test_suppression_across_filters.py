"""Suppression across selections of filters: no combination of the tables of every selection
of filters (each filter unset or any of its values) gives a small hidden count away, not one
table minus another, nor a table minus its siblings (everyone minus men minus "other" is
women), nor anything else a reader could add and subtract: each hidden count below the
threshold is checked against every shown count by linear algebra (pcm.meal.tests.attack).

The figures come from random microdata counted in memory (the database's part is tested with
the known caseload); what is tested here is which counts the tables hide.
"""

from __future__ import annotations

import itertools
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pcm.meal import linked, tables
from pcm.meal.indicators import TOTAL, get_indicator
from pcm.meal.query import Dim, Filters, Period, Scope
from pcm.meal.tests.attack import Analyst, counting, examples

THRESHOLD = 5
SEXES = ("female", "male", "other")
LEVELS = ("high", "medium", "low")
DISPLACEMENTS = ("idp", "refugee")
AGES = ("18-24", "25-59", "60+")
COLUMNS = {"sex": 0, "risk_level": 1, "displacement": 2, "age_group": 3}
PERIOD = Period(date(2026, 1, 1), date(2026, 3, 31), ZoneInfo("UTC"))
ATOMS = list(itertools.product(SEXES, LEVELS, DISPLACEMENTS, AGES))

people = st.lists(
    st.tuples(
        st.sampled_from(SEXES),
        st.sampled_from(LEVELS),
        st.sampled_from(DISPLACEMENTS),
        st.sampled_from(AGES),
    ),
    min_size=0,
    max_size=60,
)


def _attribute(record, by):
    return record[COLUMNS[Dim(by).value]]


def _selections():
    """Every selection of the three filters (each unset or one of its values)."""
    for sex, level, displacement in itertools.product(
        ("", *SEXES), ("", *LEVELS), ("", *DISPLACEMENTS)
    ):
        yield Filters(sex=sex, risk_level=level, displacement=displacement)


def _meets(atom, filters: Filters, what: str, key: object) -> bool:
    chosen = {"sex": filters.sex, "risk_level": filters.risk_level}
    chosen["displacement"] = filters.displacement
    if any(value and atom[COLUMNS[name]] != value for name, value in chosen.items()):
        return False
    return key == TOTAL or atom[COLUMNS[what]] == key


@pytest.fixture
def scope(personas):
    return Scope(agency=personas.agency, threshold=THRESHOLD)


# The monkeypatch is set again for each example; the scope is read only.
@examples(60)
@given(records=people)
# Every man is at high risk: under "high risk" the men's count equals the one shown without
# that filter, and the selection "high risk, male" must not show it.
@example(
    records=[("female", "high", "idp", "25-59")] * 3
    + [("male", "high", "idp", "25-59")] * 20
    + [("female", "low", "idp", "25-59")] * 7
)
# Three women aged 25-59: everyone of that age (33) minus men (20) minus "other" (10), each
# table safe on its own and against everyone's.
@example(
    records=[("female", "high", "idp", "25-59")] * 3
    + [("female", "high", "idp", "18-24")] * 30
    + [("male", "high", "idp", "25-59")] * 20
    + [("other", "high", "idp", "25-59")] * 10
)
def test_no_combination_of_selections_of_filters_gives_away_a_hidden_count(
    records, scope, monkeypatch, settings
):
    settings.PCM_MEAL_SNAPSHOTS = False  # each example counts other records
    monkeypatch.setattr(linked, "count_atoms", counting(records, _attribute))
    indicator = get_indicator("new_cases")
    assert indicator is not None
    memo = tables.Memo()
    analyst = Analyst(ATOMS)
    secrets: list[list[tuple[str, ...]]] = []
    for filters, what in itertools.product(_selections(), [*COLUMNS, "total"]):
        table = tables.masked(indicator, scope, PERIOD, filters, what, memo=memo)
        assert table is not None
        secrets += analyst.reads(
            table,
            lambda key: [a for a in ATOMS if _meets(a, filters, what, key)],  # noqa: B023
            records,
            THRESHOLD,
        )
        # The same selection's total in every table of it.
        headline = tables.masked(indicator, scope, PERIOD, filters, "total", memo=memo)
        assert headline is not None
        assert (TOTAL in table.hidden_numerators) == (TOTAL in headline.hidden_numerators)
    for atoms in secrets:
        assert not analyst.knows(atoms), atoms
