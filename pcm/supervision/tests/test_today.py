"""The caseworker's today page: what is due on their cases, grouped, most urgent first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pcm.cases.models import CaseStatus, RiskLevel
from pcm.cases.queue import DueItem, case_url
from pcm.supervision.models import CaseFileCheck, CheckAnswer
from pcm.supervision.overview import group_items
from pcm.supervision.tests.conftest import BAGHDAD

URL = reverse("supervision:today")


def section(page: str, heading_id: str) -> str:
    """The HTML of one section of the page, found by its heading's id."""
    start = page.index(f'id="{heading_id}"')
    end = page.find("<section", start)
    return page[start : end if end != -1 else len(page)]


def test_it_groups_overdue_today_and_coming_up_items(
    personas, due_case, client_for, known_providers
):
    overdue = due_case(personas.caseworker, -30, risk_level=RiskLevel.HIGH)
    soon = due_case(personas.caseworker, 24 * 3)
    later = due_case(personas.caseworker, 24 * 20)
    today_case = due_case(personas.caseworker, 24 * 30, first_response_at=timezone.now())
    CaseFileCheck.objects.create(
        case=today_case,
        version=1,
        checked_by=personas.supervisor,
        action_needed="Add the consent form to the file",
        action_due_on=timezone.localdate(timezone.now(), BAGHDAD),
        **dict.fromkeys(
            ["consent_present", "assessment_done", "plan_agreed", "notes_up_to_date"],
            CheckAnswer.YES,
        ),
        deadlines_met=CheckAnswer.NO,
    )
    page = client_for(personas.caseworker).get(URL).content.decode()

    overdue_part = section(page, "overdue-heading")
    assert overdue.number in overdue_part and overdue.person.full_name in overdue_part
    assert "Overdue" in overdue_part and "late" in overdue_part  # a word, not only a colour
    assert "High" in overdue_part
    today_part = section(page, "due-today-heading")
    assert today_case.number in today_part and "Action from the case file check" in today_part
    coming = section(page, "coming-up-heading")
    assert soon.number in coming and soon.number not in today_part
    assert later.number not in page.replace(case_url(later), "")
    assert "1 more item is due later." in coming


def test_it_shows_only_the_caseworkers_own_cases(personas, due_case, client_for, teammate):
    mine = due_case(personas.caseworker, -5)
    teammates = due_case(teammate, -5)
    other_team = due_case(personas.other_caseworker, -5)
    page = client_for(personas.caseworker).get(URL).content.decode()
    assert mine.number in page and mine.person.full_name in page
    for hidden in (teammates, other_team):
        assert hidden.number not in page and hidden.person.full_name not in page


def test_it_orders_overdue_items_by_risk_then_lateness(
    personas, due_case, client_for, known_providers
):
    low_very_late = due_case(personas.caseworker, -100, risk_level=RiskLevel.LOW)
    high_late = due_case(personas.caseworker, -2, risk_level=RiskLevel.HIGH)
    high_very_late = due_case(personas.caseworker, -50, risk_level=RiskLevel.HIGH)
    page = client_for(personas.caseworker).get(URL).content.decode()
    part = section(page, "overdue-heading")
    positions = [part.index(case.number) for case in (high_very_late, high_late, low_very_late)]
    assert positions == sorted(positions)


def test_it_shows_the_caseload_against_the_standard(personas, case_for, client_for):
    for _ in range(3):
        case_for(personas.caseworker, risk_level=RiskLevel.HIGH)
    case_for(personas.caseworker, status=CaseStatus.CLOSED)
    case_for(personas.other_caseworker)
    page = client_for(personas.caseworker).get(URL).content.decode()
    assert "3 open cases, against a standard of at most 25." in page
    assert "3 of them are high risk." in page
    assert "Above the standard" not in section(page, "caseload-heading")


def test_it_warns_above_25_open_cases(personas, case_for, client_for):
    for _ in range(26):
        case_for(personas.caseworker)
    page = client_for(personas.caseworker).get(URL).content.decode()
    assert "26 open cases" in page
    assert "Above the standard" in section(page, "caseload-heading")


def test_it_says_so_when_nothing_is_due(personas, case_for, client_for, known_providers):
    case_for(personas.caseworker)
    page = client_for(personas.caseworker).get(URL).content.decode()
    assert "Nothing is due on your cases." in page


def queries_for(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL)
    assert response.status_code == 200
    return len(captured)


def add_cases_with_items(personas, due_case, count: int) -> None:
    for number in range(count):
        case = due_case(
            personas.caseworker,
            -48 + number * 7,
            risk_level=[RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW][number % 3],
            status=CaseStatus.PLANNING if number % 4 == 0 else CaseStatus.ASSESSMENT,
        )
        CaseFileCheck.objects.create(
            case=case,
            version=1,
            checked_by=personas.supervisor,
            action_needed="Update the notes",
            action_due_on=timezone.localdate() + timedelta(days=number % 9 - 3),
            **dict.fromkeys(
                [
                    "consent_present",
                    "assessment_done",
                    "plan_agreed",
                    "notes_up_to_date",
                    "deadlines_met",
                ],
                CheckAnswer.YES,
            ),
        )


def test_it_issues_the_same_number_of_queries_for_3_or_40_cases(personas, due_case, client_for):
    client = client_for(personas.caseworker)
    add_cases_with_items(personas, due_case, 3)
    client.get(URL)  # warm the session so both measured requests do the same work
    few = queries_for(client)
    add_cases_with_items(personas, due_case, 37)
    many = queries_for(client)
    assert few == many


@pytest.mark.parametrize("role", ["manager", "meal_officer", "provider", "administrator"])
def test_other_roles_are_refused(personas, client_for, role):
    assert client_for(getattr(personas, role)).get(URL).status_code == 403


def test_a_supervisor_is_sent_to_the_team_page(personas, client_for):
    response = client_for(personas.supervisor).get(URL)
    assert response.status_code == 302
    assert response.url == reverse("supervision:team")


def test_an_outsider_sees_nothing_of_this_agency(personas, due_case, client_for):
    hidden = due_case(personas.caseworker, -5)
    page = client_for(personas.outsider).get(URL).content.decode()
    assert hidden.number not in page and hidden.person.full_name not in page


# Grouping, with a fixed clock ----------------------------------------------------------------


def item(case, due_at, actor="caseworker") -> DueItem:
    return DueItem(case=case, kind="k", label="L", due_at=due_at, url="/", actor=actor)


def test_grouping_follows_the_agency_day_not_utc(personas, case_for):
    case = case_for(personas.caseworker)
    # 22:30 UTC is already 01:30 the next day in Baghdad.
    now = datetime(2026, 3, 10, 22, 30, tzinfo=UTC)
    with timezone.override(BAGHDAD):
        queue = group_items(
            [
                item(case, now - timedelta(minutes=1)),  # overdue
                item(case, now + timedelta(hours=20)),  # 21:30 Baghdad on the 11th: today
                item(case, now + timedelta(hours=23)),  # 00:30 on the 12th: coming up
                item(case, None),  # as soon as possible: today
                item(case, now + timedelta(days=7, hours=20)),  # the 18th: still within 7 days
                item(case, now + timedelta(days=7, hours=23)),  # the 19th: later
                item(case, now - timedelta(days=1), actor="supervisor"),
            ],
            now,
        )
    assert len(queue.overdue) == 1 and queue.overdue[0].overdue
    assert len(queue.due_today) == 2
    assert len(queue.coming_up) == 2
    assert queue.later == 1
    assert len(queue.waiting_for_supervisor) == 1
