"""The case list: what each user sees, filters, pages, search, and a constant query count."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pcm.cases.models import CaseStatus, RiskLevel
from pcm.cases.search import search_cases

URL = reverse("cases:list")


def queries_for(client, url=URL) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_it_issues_the_same_number_of_queries_whatever_the_caseload(personas, case_for, client_for):
    client = client_for(personas.caseworker)
    case_for(personas.caseworker)
    client.get(URL)  # warm the session so both measured requests do the same work
    few = queries_for(client)
    for _ in range(30):
        case_for(personas.caseworker)
    many = queries_for(client)
    assert few == many
    assert many <= 8


def test_the_supervisor_list_issues_a_constant_number_of_queries(personas, case_for, client_for):
    client = client_for(personas.supervisor)
    case_for(personas.caseworker)
    client.get(URL)
    few = queries_for(client)
    for _ in range(30):
        case_for(personas.caseworker)
    assert queries_for(client) == few


def test_it_lists_only_visible_cases_with_their_service_users(personas, case_for, client_for):
    mine = case_for(personas.caseworker)
    theirs = case_for(personas.other_caseworker)
    page = client_for(personas.caseworker).get(URL).content.decode()
    assert mine.number in page and mine.person.given_name in page
    assert theirs.number not in page and theirs.person.given_name not in page


def test_it_hides_closed_cases_unless_asked(personas, case_for, client_for):
    open_case = case_for(personas.caseworker)
    closed = case_for(personas.caseworker, status=CaseStatus.CLOSED)
    client = client_for(personas.caseworker)
    page = client.get(URL).content.decode()
    assert open_case.number in page and closed.number not in page
    page = client.get(URL, {"status": "all"}).content.decode()
    assert open_case.number in page and closed.number in page
    page = client.get(URL, {"status": "closed"}).content.decode()
    assert open_case.number not in page and closed.number in page


def test_it_filters_by_risk_level(personas, case_for, client_for):
    high = case_for(personas.caseworker, risk_level=RiskLevel.HIGH)
    low = case_for(personas.caseworker, risk_level=RiskLevel.LOW)
    page = client_for(personas.caseworker).get(URL, {"risk": "high"}).content.decode()
    assert high.number in page and low.number not in page


def test_it_pages_a_long_list(personas, case_for, client_for, settings):
    settings.CASES_PER_PAGE = 5
    for _ in range(12):
        case_for(personas.caseworker)
    client = client_for(personas.caseworker)
    assert "Page 1 of 3" in client.get(URL).content.decode()
    assert "Page 3 of 3" in client.get(URL, {"page": "3"}).content.decode()


@pytest.mark.parametrize(
    "query",
    [{"page": "abc"}, {"page": "-4"}, {"page": "99999"}, {"status": "bogus"}, {"risk": "x"}],
)
def test_it_survives_bad_query_strings(personas, case_for, client_for, query):
    case_for(personas.caseworker)
    assert client_for(personas.caseworker).get(URL, query).status_code == 200


def test_it_finds_a_case_by_full_number_or_its_end(personas, case_for):
    case = case_for(personas.caseworker, number="APN-IQ-2026-00042")
    case_for(personas.caseworker, number="APN-IQ-2026-00043")
    for query in ("APN-IQ-2026-00042", "apn-iq-2026-00042", "2026-00042", "00042", "42"):
        assert list(search_cases(personas.caseworker, query)) == [case], query


def test_it_finds_a_case_by_any_part_of_the_name(personas, case_for):
    case = case_for(personas.caseworker)
    case.person.given_name, case.person.family_name = "Zainab", "Al-Tamimi"
    case.person.save()
    case_for(personas.caseworker)
    for query in ("zainab", "Al-Tamimi", "zainab tamimi", "  ZAINAB   "):
        assert list(search_cases(personas.caseworker, query)) == [case], query
    assert not search_cases(personas.caseworker, "zainab nobody").exists()


def test_search_never_reaches_beyond_what_the_user_may_see(personas, case_for):
    hidden = case_for(personas.other_caseworker, number="APN-IQ-2026-00077")
    assert not search_cases(personas.caseworker, hidden.number).exists()
    assert not search_cases(personas.caseworker, hidden.person.given_name).exists()
    assert not search_cases(personas.meal_officer, hidden.number).exists()


def test_search_is_posted_so_names_never_appear_in_a_url(personas, case_for, client_for):
    case = case_for(personas.caseworker)
    client = client_for(personas.caseworker)
    response = client.post(URL, {"q": case.person.given_name})
    assert response.status_code == 200
    page = response.content.decode()
    assert case.number in page
    assert 'method="post"' in page.split('role="search"')[0].rsplit("<form", 1)[1]


def test_htmx_search_returns_only_the_results_table(personas, case_for, client_for):
    case = case_for(personas.caseworker)
    response = client_for(personas.caseworker).post(URL, {"q": case.number}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert case.number in page
    assert "<html" not in page


@pytest.mark.parametrize("role", ["meal_officer", "provider", "administrator"])
def test_roles_without_case_work_cannot_open_the_list(personas, client_for, role):
    assert client_for(getattr(personas, role)).get(URL).status_code == 403
