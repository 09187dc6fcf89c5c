"""The case page: who may open it, what it shows, and that reading it is recorded."""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import reverse

from pcm.audit.models import AuditEvent, AuditEventType


def test_it_shows_the_case_and_the_person_to_the_caseworker(personas, case_for, client_for):
    case = case_for(personas.caseworker)
    page = client_for(personas.caseworker).get(reverse("cases:detail", args=[case.public_id]))
    text = page.content.decode()
    assert case.number in text
    assert case.person.full_name in text
    assert case.person.phone in text
    assert AuditEvent.objects.filter(
        event_type=AuditEventType.CASE_VIEWED, actor=personas.caseworker, target_id=str(case.pk)
    ).exists()


@pytest.mark.parametrize(
    "role", ["other_caseworker", "other_supervisor", "outsider", "outsider_manager", "meal_officer"]
)
def test_it_answers_404_to_anyone_outside_the_cases_view(personas, case_for, client_for, role):
    case = case_for(personas.caseworker)
    client = client_for(getattr(personas, role))
    response = client.get(reverse("cases:detail", args=[case.public_id]))
    assert response.status_code == 404
    assert case.person.given_name not in response.content.decode()
    assert case.number not in response.content.decode()


def test_an_unknown_case_looks_exactly_like_a_forbidden_one(personas, case_for, client_for):
    case = case_for(personas.other_caseworker)
    client = client_for(personas.caseworker)
    forbidden = client.get(reverse("cases:detail", args=[case.public_id]))
    missing = client.get(reverse("cases:detail", args=[uuid.uuid4()]))
    assert forbidden.status_code == missing.status_code == 404
    # The pages are identical but for the per-response CSRF token mask and the address asked.
    token = re.compile(rb'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+')
    address = re.compile(rb"/cases/[0-9a-f-]{36}/")
    assert address.sub(b"", token.sub(b"", forbidden.content)) == address.sub(
        b"", token.sub(b"", missing.content)
    )
