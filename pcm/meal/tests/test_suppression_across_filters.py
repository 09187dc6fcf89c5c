"""Suppression across selections of filters: comparing a filtered table with a wider one (the
same table with one filter fewer) never gives away a hidden count.

The figures come from random microdata counted in memory (the database's part is tested with
the known caseload); what is tested here is which counts the tables hide.
"""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pcm.meal import tables
from pcm.meal.indicators import TOTAL, Figure, get_indicator, selections
from pcm.meal.query import Filters, Period, Scope

THRESHOLD = 5
SEXES = ("female", "male", "other")
LEVELS = ("high", "medium", "low")
DISPLACEMENTS = ("idp", "refugee")
AGES = ("18-24", "25-59", "60+")
COLUMNS = {"sex": 0, "risk_level": 1, "displacement": 2, "age_group": 3}
PERIOD = Period(date(2026, 1, 1), date(2026, 3, 31), ZoneInfo("UTC"))

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


def _counting(records):
    def one(filters, what):
        chosen = [
            r
            for r in records
            if (not filters.sex or r[0] == filters.sex)
            and (not filters.risk_level or r[1] == filters.risk_level)
            and (not filters.displacement or r[2] == filters.displacement)
        ]
        found: dict[object, Figure] = {}
        if what in COLUMNS:
            by_group = Counter(r[COLUMNS[what]] for r in chosen)
            found = {key: Figure(n) for key, n in by_group.items()}
        found[TOTAL] = Figure(len(chosen))
        return found

    def figures(indicator, scope, period, filters, what, level):
        return {
            chosen: one(filters.only(chosen), what)
            for chosen, _positions in selections(tuple(filters.active()))
        }

    return figures


def _selections():
    """Every selection of the three filters (each unset or one of its values)."""
    for sex, level, displacement in itertools.product(
        ("", *SEXES), ("", *LEVELS), ("", *DISPLACEMENTS)
    ):
        yield Filters(sex=sex, risk_level=level, displacement=displacement)


@pytest.fixture
def scope(personas):
    return Scope(agency=personas.agency, threshold=THRESHOLD)


# The monkeypatch is set again for each example; the scope is read only.
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(records=people)
# Every man is at high risk: under "high risk" the men's count equals the one shown without
# that filter, and the selection "high risk, male" must not show it.
@example(
    records=[("female", "high", "idp", "25-59")] * 3
    + [("male", "high", "idp", "25-59")] * 20
    + [("female", "low", "idp", "25-59")] * 7
)
def test_no_two_selections_of_filters_give_away_a_hidden_count(
    records, scope, monkeypatch, settings
):
    settings.PCM_MEAL_SNAPSHOTS = False  # each example counts other records
    monkeypatch.setattr(tables, "_figures", _counting(records))
    indicator = get_indicator("new_cases")
    assert indicator is not None
    memo = tables.Memo()
    shown: dict[tuple[Filters, str], tables.Masked] = {}
    for filters, what in itertools.product(_selections(), [*COLUMNS, "total"]):
        table = tables.masked(indicator, scope, PERIOD, filters, what, memo=memo)
        assert table is not None
        shown[(filters, what)] = table
        keys = [key for key in table.figures if key != TOTAL]
        for key, figure in table.figures.items():
            if figure.numerator < THRESHOLD:
                assert key in table.hidden_numerators  # every small count is hidden
        # Within the table: never exactly one hidden count in the column and its total.
        if keys:
            column = [key in table.hidden_numerators for key in [*keys, TOTAL]]
            assert sum(column) != 1
    for (filters, what), table in shown.items():
        # The selection's total is hidden in every table of it, or in none: a table hides
        # another group rather than a total the headline shows. (A table of a single group is
        # that total: it can only hide both; see "What it does not protect against".)
        headline = shown[(filters, "total")]
        if len(table.figures) > 2:
            assert (TOTAL in table.hidden_numerators) == (TOTAL in headline.hidden_numerators)
        for name in filters.active():
            # The filter's own group, hidden in its dimension's table: the total is that
            # group's count, so it is hidden too.
            own = shown[(filters.without(name), name)]
            if getattr(filters, name) in own.hidden_numerators:
                assert TOTAL in table.hidden_numerators
            wider = shown[(filters.without(name), what)]
            for key, figure in table.figures.items():
                if key in wider.hidden_numerators:
                    # Hidden in the wider table: hidden in every narrower one, so that
                    # adding up the narrower tables never rebuilds it.
                    assert key in table.hidden_numerators
                elif key not in table.hidden_numerators:
                    gap = wider.figures[key].numerator - figure.numerator
                    # The difference between two shown counts is never a small count.
                    assert gap == 0 or gap >= THRESHOLD
