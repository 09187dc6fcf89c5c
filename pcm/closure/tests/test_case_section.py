"""The closure and transfer section of the case page: what each person sees and may do."""

from __future__ import annotations

from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pcm.cases.models import CaseStatus
from pcm.closure.case_page import CASE_SECTION
from pcm.closure.tests.conftest import closed_case, request_closure


def page(client, case) -> str:
    response = client.get(reverse("cases:detail", args=[case.public_id]))
    assert response.status_code == 200
    return str(response.content.decode())


def test_the_caseworker_is_offered_closure_and_transfer(personas, case, client_for):
    html = page(client_for(personas.caseworker), case)
    assert 'id="closure"' in html
    assert reverse("closure:request_closure", args=[case.public_id]) in html
    assert reverse("closure:request_transfer", args=[case.public_id]) in html


def test_the_supervisor_decides_from_the_case_page(personas, case, client_for):
    request_closure(case)
    html = page(client_for(personas.supervisor), case)
    assert "Approve the closure" in html
    assert "Send the closure request back" in html
    assert reverse("closure:approve_closure", args=[case.public_id]) in html
    caseworker = page(client_for(personas.caseworker), case)
    assert "Approve the closure" not in caseworker
    assert "Awaiting the supervisor" in caseworker
    assert "Record the satisfaction survey" in caseworker


def test_the_manager_reads_the_status_without_forms(personas, case, client_for):
    request_closure(case)
    html = page(client_for(personas.manager), case)
    assert "Awaiting the supervisor" in html
    assert "Approve the closure" not in html
    assert "Request closure" not in html


def test_a_closed_case_offers_reopening(personas, case, client_for):
    closed_case(case)
    html = page(client_for(personas.caseworker), case)
    assert reverse("closure:reopen_case", args=[case.public_id]) in html
    assert "Reopen the case" in html
    assert "Transfer to another agency" not in html


def test_nothing_shows_for_a_reader_with_nothing_to_do(personas, case_for):
    case = case_for(personas.caseworker, status=CaseStatus.ASSESSMENT)
    request = RequestFactory().get("/")
    request.user = personas.manager
    assert CASE_SECTION(request, case) is None


def test_the_section_reads_a_few_queries(personas, case):
    closed_case(case)
    request = RequestFactory().get("/")
    request.user = personas.caseworker
    case.refresh_from_db()
    case.team  # noqa: B018 - loaded by the case page's own query
    with CaptureQueriesContext(connection) as queries:
        CASE_SECTION(request, case)
    assert len(queries) <= 4
