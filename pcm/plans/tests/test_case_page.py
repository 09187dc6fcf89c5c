"""The planning section of the case page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import Personas
from pcm.accounts.models import User
from pcm.cases.models import Case
from pcm.plans.tests.conftest import agreed_plan, sample_draft

pytestmark = pytest.mark.django_db


def test_it_shows_the_plan_in_force_and_what_is_overdue(
    personas: Personas, planning_case: Case, client_for: Callable[[User], Client]
) -> None:
    agreed_plan(planning_case)
    page = client_for(personas.caseworker).get(
        reverse("cases:detail", kwargs={"public_id": planning_case.public_id})
    )
    body = page.content.decode()
    assert "3. Case action planning" in body
    assert "Version 1 in force (Agreed with the service user)." in body
    assert "0 of 2 actions done." in body
    assert reverse("plans:plan", kwargs={"public_id": planning_case.public_id}) in body


def test_the_section_makes_the_same_queries_for_any_plan_size(
    personas: Personas, planning_case: Case, case_for: Callable[..., Case]
) -> None:
    from django.test import RequestFactory

    from pcm.plans.case_page import CASE_SECTION

    request = RequestFactory().get("/")
    request.user = personas.caseworker
    agreed_plan(planning_case, sample_draft(actions=1))
    with CaptureQueriesContext(connection) as small:
        CASE_SECTION(request, planning_case)
    big = case_for(personas.caseworker, status=planning_case.status)
    agreed_plan(big, sample_draft(actions=15))
    with CaptureQueriesContext(connection) as large:
        CASE_SECTION(request, big)
    assert len(small) == len(large) <= 5
