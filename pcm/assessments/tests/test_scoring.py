"""PHQ-9 and WG-SS scoring, by the published rules, over every answer a form can give."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pcm.assessments.scoring import (
    PHQ9_ITEMS,
    WG_DOMAINS,
    Difficulty,
    Phq9Severity,
    phq9_self_harm_alert,
    phq9_severity,
    phq9_total,
    wg_has_disability,
)

answer = st.integers(min_value=0, max_value=3)
phq9_answers = st.lists(answer, min_size=9, max_size=9)
wg_answers = st.lists(st.sampled_from(list(Difficulty)), min_size=6, max_size=6)
BANDS = list(Phq9Severity)


@given(phq9_answers)
def test_it_totals_nine_answers_between_0_and_27(answers):
    total = phq9_total(answers)
    assert total == sum(answers)
    assert 0 <= total <= 27


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, Phq9Severity.MINIMAL),
        (4, Phq9Severity.MINIMAL),
        (5, Phq9Severity.MILD),
        (9, Phq9Severity.MILD),
        (10, Phq9Severity.MODERATE),
        (14, Phq9Severity.MODERATE),
        (15, Phq9Severity.MODERATELY_SEVERE),
        (19, Phq9Severity.MODERATELY_SEVERE),
        (20, Phq9Severity.SEVERE),
        (27, Phq9Severity.SEVERE),
    ],
)
def test_it_bands_severity_at_the_published_cut_offs(total, band):
    assert phq9_severity(total) == band


@given(st.integers(0, 27))
def test_each_total_falls_in_exactly_the_band_of_its_range(total):
    ranges = {
        Phq9Severity.MINIMAL: range(0, 5),
        Phq9Severity.MILD: range(5, 10),
        Phq9Severity.MODERATE: range(10, 15),
        Phq9Severity.MODERATELY_SEVERE: range(15, 20),
        Phq9Severity.SEVERE: range(20, 28),
    }
    assert [band for band, span in ranges.items() if total in span] == [phq9_severity(total)]


@given(st.integers(0, 27), st.integers(0, 27))
def test_a_higher_total_is_never_a_milder_band(low, high):
    low, high = sorted((low, high))
    assert BANDS.index(phq9_severity(low)) <= BANDS.index(phq9_severity(high))


@given(st.integers().filter(lambda total: not 0 <= total <= 27))
def test_it_refuses_a_total_outside_0_to_27(total):
    with pytest.raises(ValueError):
        phq9_severity(total)


@given(st.lists(answer, max_size=20).filter(lambda answers: len(answers) != 9))
def test_it_refuses_anything_but_nine_answers(answers):
    with pytest.raises(ValueError):
        phq9_total(answers)


@given(phq9_answers, st.integers(0, 8), st.integers().filter(lambda value: not 0 <= value <= 3))
def test_it_refuses_an_answer_outside_0_to_3(answers, position, wrong):
    answers[position] = wrong
    with pytest.raises(ValueError):
        phq9_total(answers)


@given(phq9_answers)
def test_it_alerts_exactly_when_item_9_is_above_0(answers):
    assert phq9_self_harm_alert(answers) == (answers[8] > 0)


def test_item_9_is_the_self_harm_question_and_there_are_nine_items():
    assert len(PHQ9_ITEMS) == 9
    assert "better off dead" in str(PHQ9_ITEMS[8])


@given(wg_answers)
def test_it_identifies_disability_by_the_washington_group_cut_off(answers):
    expected = any(value in (Difficulty.A_LOT, Difficulty.CANNOT) for value in answers)
    assert wg_has_disability(answers) is expected


@given(st.lists(st.sampled_from(list(Difficulty)), max_size=10).filter(lambda a: len(a) != 6))
def test_it_refuses_anything_but_six_wg_answers(answers):
    with pytest.raises(ValueError):
        wg_has_disability(answers)


def test_some_difficulty_everywhere_is_not_a_disability_but_one_a_lot_is():
    assert not wg_has_disability([Difficulty.SOME] * 6)
    assert wg_has_disability([Difficulty.NONE] * 5 + [Difficulty.A_LOT])
    assert wg_has_disability([Difficulty.CANNOT] + [Difficulty.NONE] * 5)
    with pytest.raises(ValueError):
        wg_has_disability(["none"] * 5 + ["a little"])
    assert len(WG_DOMAINS) == 6
