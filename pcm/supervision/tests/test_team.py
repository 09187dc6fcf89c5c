"""The supervisor's team page: caseloads against 1:25 and 1:6, approvals, overdue items."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pcm.accounts.models import Role
from pcm.cases.models import CaseStatus, RiskLevel
from pcm.supervision.tests.test_today import add_cases_with_items, section
from tests.factories import TeamFactory, UserFactory

URL = reverse("supervision:team")


def caseworker_row(page: str, name: str) -> str:
    start = page.index(f'<th scope="row">{name}</th>')
    return page[start : page.index("</tr>", start)]


def test_it_shows_each_caseworkers_load(personas, case_for, due_case, client_for, teammate):
    for _ in range(2):
        case_for(personas.caseworker, risk_level=RiskLevel.HIGH)
    case_for(personas.caseworker, risk_level=RiskLevel.LOW)
    case_for(personas.caseworker, status=CaseStatus.CLOSED, risk_level=RiskLevel.HIGH)
    due_case(personas.caseworker, -10)
    due_case(teammate, -10)
    due_case(teammate, -20)
    page = client_for(personas.supervisor).get(URL).content.decode()
    layla = caseworker_row(page, "Layla Hassan")
    assert [cell.split("<")[0].strip() for cell in layla.split("<td>")[1:4]] == ["4", "2", "1"]
    rasha = caseworker_row(page, "Rasha Ali")
    assert [cell.split("<")[0].strip() for cell in rasha.split("<td>")[1:4]] == ["2", "0", "2"]
    assert "You supervise 2 caseworkers, against a standard of at most 6." in page


def test_it_warns_above_25_cases_and_above_6_caseworkers(personas, case_for, client_for):
    for _ in range(26):
        case_for(personas.caseworker)
    for _ in range(6):
        extra = UserFactory.create(agency=personas.agency, role=Role.CASEWORKER)
        extra.team = personas.team
        extra.save()
    page = client_for(personas.supervisor).get(URL).content.decode()
    assert "Above the standard" in caseworker_row(page, "Layla Hassan")
    assert "You supervise 7 caseworkers" in page
    assert "Ask your manager about another supervisor" in page


def test_it_counts_caseworkers_of_every_team_the_supervisor_leads(personas, client_for):
    second = TeamFactory.create(agency=personas.agency, name="Mosul team B")
    second.supervisor = personas.supervisor
    second.save()
    other = UserFactory.create(
        agency=personas.agency, role=Role.CASEWORKER, first_name="Noor", last_name="Aziz"
    )
    other.team = second
    other.save()
    page = client_for(personas.supervisor).get(URL).content.decode()
    assert "Mosul team A" in page and "Mosul team B" in page and "Noor Aziz" in page
    assert "You supervise 2 caseworkers" in page


def test_it_lists_approvals_first_then_overdue_items_with_a_reassign_link(
    personas, case_for, due_case, client_for, known_providers
):
    waiting = case_for(personas.caseworker, status=CaseStatus.PLANNING)
    late = due_case(personas.caseworker, -3, risk_level=RiskLevel.HIGH)
    not_yet = due_case(personas.caseworker, 30)
    page = client_for(personas.supervisor).get(URL).content.decode()
    approvals = section(page, "approvals-heading")
    assert waiting.number in approvals and "Plan approval" in approvals
    overdue = section(page, "team-overdue-heading")
    assert late.number in overdue and late.person.full_name in overdue
    assert "Layla Hassan" in overdue
    detail = reverse("cases:detail", args=[late.public_id])
    assert f'href="{detail}#reassign-form"' in overdue
    assert not_yet.number not in page
    assert page.index("approvals-heading") < page.index("team-overdue-heading")


def test_it_shows_only_the_teams_the_supervisor_leads(personas, due_case, client_for):
    hidden = due_case(personas.other_caseworker, -5)
    page = client_for(personas.supervisor).get(URL).content.decode()
    assert hidden.number not in page and hidden.person.full_name not in page
    assert "Karim" not in page and "Erbil team" not in page


def test_it_says_so_to_a_supervisor_without_a_team(personas, client_for):
    lonely = UserFactory.create(agency=personas.agency, role=Role.SUPERVISOR)
    page = client_for(lonely).get(URL).content.decode()
    assert "You do not lead a team yet." in page


def queries_for(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL)
    assert response.status_code == 200
    return len(captured)


def test_it_issues_the_same_number_of_queries_for_3_or_40_cases(
    personas, due_case, client_for, teammate
):
    client = client_for(personas.supervisor)
    add_cases_with_items(personas, due_case, 3)
    client.get(URL)
    few = queries_for(client)
    add_cases_with_items(personas, due_case, 37)
    for _ in range(5):
        due_case(teammate, -5)
    many = queries_for(client)
    assert few == many


@pytest.mark.parametrize("role", ["manager", "meal_officer", "provider", "administrator"])
def test_other_roles_are_refused(personas, client_for, role):
    assert client_for(getattr(personas, role)).get(URL).status_code == 403


def test_a_caseworker_is_sent_to_the_today_page(personas, client_for):
    response = client_for(personas.caseworker).get(URL)
    assert response.status_code == 302
    assert response.url == reverse("supervision:today")


def test_another_agencys_supervisor_sees_nothing_of_this_agency(personas, due_case, client_for):
    hidden = due_case(personas.caseworker, -5)
    page = client_for(personas.outsider_supervisor).get(URL).content.decode()
    assert hidden.number not in page and "Layla" not in page
