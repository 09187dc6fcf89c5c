"""Bad input anywhere — forms, addresses, query strings — gets an answer, never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pcm.cases.models import Case

# Any text a person (or a fuzzer) may type, including control characters, RTL marks and NUL.
any_text = st.text(st.characters(codec="utf-8"), max_size=300)
fuzz = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

REGISTER_FIELDS = [
    "given_name",
    "family_name",
    "sex",
    "date_of_birth",
    "estimated_age",
    "phone",
    "location",
    "displacement_status",
    "languages",
    "risk_level",
    "assigned_to",
]


@pytest.fixture
def caseworker_client(personas, client_for):
    return client_for(personas.caseworker)


@fuzz
@given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(REGISTER_FIELDS, any_text)))
def test_the_registration_form_answers_any_input_with_a_page(caseworker_client, data):
    before = Case.objects.count()
    response = caseworker_client.post(reverse("cases:register"), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert Case.objects.count() == before


@fuzz
@given(query=any_text)
def test_search_answers_any_text(caseworker_client, query):
    response = caseworker_client.post(reverse("cases:list"), {"q": query})
    assert response.status_code == 200


@fuzz
@given(params=st.dictionaries(st.sampled_from(["page", "status", "risk", "x"]), any_text))
def test_the_case_list_answers_any_query_string(caseworker_client, params):
    assert caseworker_client.get(reverse("cases:list"), params).status_code == 200


@fuzz
@given(tail=any_text)
def test_any_address_answers_without_a_server_error(caseworker_client, tail):
    response = caseworker_client.get("/cases/" + tail)
    assert response.status_code < 500


@fuzz
@given(token=any_text, version=any_text, caseworker=any_text)
def test_reassignment_answers_any_input(personas, client_for, case_for, token, version, caseworker):
    case = Case.objects.filter(assigned_to=personas.caseworker).first() or case_for(
        personas.caseworker
    )
    client = client_for(personas.supervisor)
    response = client.post(
        reverse("cases:reassign", args=[case.public_id]),
        {"version": version, "caseworker": caseworker},
    )
    assert response.status_code in (302, 400, 409)
    verify = client.post(reverse("accounts:verify"), {"token": token})
    assert verify.status_code in (200, 302)


@fuzz
@given(username=any_text, password=any_text)
def test_sign_in_answers_any_input(db, client, username, password):
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    assert response.status_code in (200, 429)
