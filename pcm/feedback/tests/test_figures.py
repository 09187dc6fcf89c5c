"""The figures MEAL reads, checked against values worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from pcm.feedback import figures
from pcm.feedback.figures import Period
from pcm.feedback.models import Category, Channel, FeedbackEntry, Kind, Status

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))


@pytest.fixture
def register(personas, entry_for) -> list[FeedbackEntry]:
    """Seven entries of the agency (one outside March, one of another agency).

    | # | received | kind       | channel   | category | responded | closed | days | status      |
    | 1 | 02 Mar   | complaint  | hotline   | quality  | 05 Mar    | 06 Mar | 4    | closed      |
    | 2 | 03 Mar   | complaint  | in person | staff    | 20 Mar    | 10 Apr | 38   | closed      |
    | 3 | 10 Mar   | feedback   | box       | access   | -         | 12 Mar | 2    | closed      |
    | 4 | 15 Mar   | question   | hotline   | info     | 16 Mar    | -      | -    | responded   |
    | 5 | 30 Mar   | compliment | in person | quality  | -         | -      | -    | received    |
    | 6 | 20 Feb   | complaint  | hotline   | safety   | 25 Feb    | 21 Mar | 29   | closed      |
    | 7 | 10 Mar   | complaint  | hotline   | quality  | (other agency)                      |
    """
    caseworker = personas.caseworker

    def entry(**fields: object) -> FeedbackEntry:
        made: FeedbackEntry = entry_for(caseworker, **fields)
        return made

    entries = [
        entry(
            received_on=date(2026, 3, 2),
            responded_on=date(2026, 3, 5),
            closed_on=date(2026, 3, 6),
            status=Status.CLOSED,
        ),
        entry(
            received_on=date(2026, 3, 3),
            channel=Channel.IN_PERSON,
            category=Category.STAFF_CONDUCT,
            about_staff=True,
            responded_on=date(2026, 3, 20),
            closed_on=date(2026, 4, 10),
            status=Status.CLOSED,
        ),
        entry(
            received_on=date(2026, 3, 10),
            kind=Kind.FEEDBACK,
            channel=Channel.SUGGESTION_BOX,
            category=Category.ACCESS,
            closed_on=date(2026, 3, 12),
            status=Status.CLOSED,
        ),
        entry(
            received_on=date(2026, 3, 15),
            kind=Kind.QUESTION,
            category=Category.INFORMATION,
            responded_on=date(2026, 3, 16),
            status=Status.RESPONDED,
        ),
        entry(
            received_on=date(2026, 3, 30),
            kind=Kind.COMPLIMENT,
            channel=Channel.IN_PERSON,
        ),
        entry(
            received_on=date(2026, 2, 20),
            category=Category.SAFETY,
            responded_on=date(2026, 2, 25),
            closed_on=date(2026, 3, 21),
            status=Status.CLOSED,
        ),
    ]
    entry_for(personas.outsider, received_on=date(2026, 3, 10))
    return entries


def test_counts_by_kind_channel_category_and_status(personas, register):
    agency = personas.agency
    by_kind = figures.count_by_kind(agency, MARCH)
    assert by_kind == {"feedback": 1, "complaint": 2, "compliment": 1, "question": 1}
    by_channel = figures.count_by_channel(agency, MARCH)
    assert by_channel["hotline"] == 2 and by_channel["in_person"] == 2
    assert by_channel["suggestion_box"] == 1 and by_channel["email"] == 0
    assert sum(by_channel.values()) == 5
    by_category = figures.count_by_category(agency, MARCH)
    assert by_category["quality"] == 2 and by_category["staff_conduct"] == 1
    assert by_category["access"] == 1 and by_category["information"] == 1
    assert by_category["safety"] == 0  # received in February
    by_status = figures.count_by_status(agency, MARCH)
    assert by_status == {
        "received": 1,
        "acknowledged": 0,
        "in_progress": 0,
        "responded": 1,
        "closed": 3,
    }


def test_shares_and_days_to_close(personas, register):
    agency = personas.agency
    # Received in March: #1-#5; responded: #1, #2, #4 → 3/5.
    assert figures.share_responded(agency, MARCH) == pytest.approx(0.6)
    # Closed in March: #1 (4 days), #3 (2 days), #6 (29 days); #2 closed in April.
    assert figures.days_to_close(agency, MARCH) == [2, 4, 29]
    assert figures.median_days_to_close(agency, MARCH) == 4.0
    assert figures.average_days_to_close(agency, MARCH) == pytest.approx(35 / 3)
    # Received in March and closed within 30 days: #1 and #3 (#2 took 38) → 2/5.
    assert figures.share_closed_within(agency, MARCH) == pytest.approx(0.4)
    assert figures.share_closed_within(agency, MARCH, days=40) == pytest.approx(0.6)


def test_an_even_number_of_closures_takes_the_middle_mean(personas, register):
    spring = Period(date(2026, 3, 1), date(2026, 4, 30))
    # Closed in March-April: 2, 4, 29, 38 → median (4 + 29) / 2.
    assert figures.median_days_to_close(personas.agency, spring) == 16.5
    assert figures.average_days_to_close(personas.agency, spring) == pytest.approx(73 / 4)


def test_a_queryset_narrows_the_figures(personas, register):
    staff = FeedbackEntry.objects.filter(agency=personas.agency, about_staff=True)
    result = figures.figures(staff, MARCH)
    assert result.received == 1
    assert result.by_kind["complaint"] == 1
    assert result.share_responded == 1.0
    assert result.median_days_to_close is None  # closed in April
    assert result.share_closed_within_30_days == 0.0


def test_an_empty_period_has_no_shares(personas, register):
    empty = Period(date(2025, 1, 1), date(2025, 1, 31))
    result = figures.figures(personas.agency, empty)
    assert result.received == 0 and set(result.by_status.values()) == {0}
    assert result.share_responded is None
    assert result.median_days_to_close is None and result.average_days_to_close is None
    assert result.share_closed_within_30_days is None


def test_all_figures_together(personas, register):
    result = figures.figures(personas.agency, MARCH)
    assert result.received == 5
    assert result.share_responded == pytest.approx(0.6)
    assert result.median_days_to_close == 4.0
    assert result.share_closed_within_30_days == pytest.approx(0.4)


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        Period(date(2026, 3, 2), date(2026, 3, 1))
