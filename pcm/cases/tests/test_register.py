"""Registering a service user and opening a case for them."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pcm.audit.models import AuditEvent, AuditEventType
from pcm.cases.intake import ContactRecord, ExceptionStatus
from pcm.cases.models import Case, CaseStatus
from pcm.cases.taxonomy import RiskType
from pcm.people.models import Person

URL = reverse("cases:register")


def risk(code: str) -> int:
    found = RiskType.objects.filter(code=code).values_list("pk", flat=True).first()
    assert found is not None
    return found


def form_data(**overrides):
    data = {
        "step": "register",
        "decision": "open",
        "risk_types": [risk("PAF-11")],
        "eligibility": "eligible",
        "eligibility_reason": "Threatened by a neighbour; meets the violence criteria.",
        "given_name": "Zainab",
        "family_name": "Al-Tamimi",
        "sex": "female",
        "date_of_birth": "1991-03-14",
        "estimated_age": "",
        "phone": "+964 770 123 4567",
        "displacement_status": "idp",
        "languages": ["ar", "ku"],
        "risk_level": "high",
    }
    data.update(overrides)
    return data


def test_it_registers_a_person_and_opens_a_case_assigned_to_the_caseworker(personas, client_for):
    response = client_for(personas.caseworker).post(URL, form_data())
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.public_id])
    assert case.assigned_to == personas.caseworker
    assert case.team == personas.team
    assert case.status == CaseStatus.INTAKE
    assert case.risk_level == "high"
    person = case.person
    assert (person.given_name, person.family_name) == ("Zainab", "Al-Tamimi")
    assert person.date_of_birth == date(1991, 3, 14)
    assert not person.date_of_birth_is_estimated
    assert person.languages == ["ar", "ku"]
    assert person.agency == personas.agency


def test_it_numbers_cases_by_agency_country_and_year_revealing_nothing_else(personas, client_for):
    client = client_for(personas.caseworker)
    client.post(URL, form_data())
    client.post(URL, form_data(given_name="Huda"))
    year = timezone.now().year
    numbers = sorted(Case.objects.values_list("number", flat=True))
    assert numbers == [f"APN-IQ-{year}-00001", f"APN-IQ-{year}-00002"]
    assert all(re.fullmatch(r"APN-IQ-\d{4}-\d{5}", number) for number in numbers)


def test_it_keeps_an_estimated_age_as_an_estimated_date_of_birth(personas, client_for):
    client_for(personas.caseworker).post(URL, form_data(date_of_birth="", estimated_age="40"))
    person = Person.objects.get()
    assert person.date_of_birth_is_estimated
    assert person.date_of_birth == date(timezone.localdate().year - 40, 1, 1)


def test_it_lets_a_supervisor_open_a_case_for_a_caseworker_of_their_team(personas, client_for):
    response = client_for(personas.supervisor).post(
        URL, form_data(assigned_to=personas.caseworker.pk)
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.assigned_to == personas.caseworker
    assert case.opened_by == personas.supervisor


def test_it_refuses_a_supervisor_assigning_outside_their_team(personas, client_for):
    response = client_for(personas.supervisor).post(
        URL, form_data(assigned_to=personas.other_caseworker.pk)
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"given_name": ""}, "given_name", "This field is required."),
        (
            {"date_of_birth": "", "estimated_age": ""},
            "date_of_birth",
            "Enter a date of birth, or an estimated age",
        ),
        ({"estimated_age": "30"}, "estimated_age", "not both"),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth", "cannot be in the future"),
        ({"date_of_birth": "1850-01-01"}, "date_of_birth", "older than 120"),
        ({"date_of_birth": "not a date"}, "date_of_birth", "Enter a valid date."),
        ({"eligibility": ""}, "eligibility", "This field is required."),
        ({"eligibility": "not_eligible"}, "eligibility", "record what you gave them"),
        ({"risk_types": []}, "risk_types", "This field is required."),
        ({"phone": "call me maybe"}, "phone", "digits only"),
        ({"risk_level": "extreme"}, "risk_level", "Select a valid choice"),
        ({"sex": ""}, "sex", "This field is required."),
        ({"languages": ["xx"]}, "languages", "Select a valid choice"),
    ],
)
def test_it_explains_bad_input_next_to_the_field_and_saves_nothing(
    personas, client_for, overrides, field, message
):
    response = client_for(personas.caseworker).post(URL, form_data(**overrides))
    assert response.status_code == 200
    page = response.content.decode()
    error_block = re.search(rf'id="id_{field}_errors"[^>]*>([^<]*)<', page)
    assert error_block is not None, f"no error shown next to {field}"
    assert message in error_block.group(1)
    assert 'aria-describedby="' in page
    assert not Case.objects.exists()
    assert not Person.objects.exists()


@pytest.mark.parametrize("role", ["manager", "meal_officer", "provider", "administrator"])
def test_it_refuses_registration_to_roles_that_do_not_do_intake(personas, client_for, role):
    client = client_for(getattr(personas, role))
    assert client.get(URL).status_code == 403
    assert client.post(URL, form_data()).status_code == 403
    assert not Case.objects.exists()


def test_it_records_who_opened_the_case_without_personal_data(personas, client_for):
    client_for(personas.caseworker).post(URL, form_data())
    case = Case.objects.get()
    event = AuditEvent.objects.get(event_type=AuditEventType.CASE_OPENED)
    assert event.actor == personas.caseworker
    assert event.target_id == str(case.pk)
    registered = AuditEvent.objects.get(event_type=AuditEventType.PERSON_REGISTERED)
    assert "given_name" in registered.fields
    assert "Zainab" not in str(registered.fields) + str(registered.detail)


def test_it_stores_the_screening_and_sets_the_first_response_deadline(personas, client_for):
    client_for(personas.caseworker).post(URL, form_data())
    case = Case.objects.get()
    screening = case.screening
    assert screening.eligibility == "eligible"
    assert [r.code for r in screening.risk_types.all()] == ["PAF-11"]
    assert case.first_response_due_at == case.opened_at + timedelta(hours=24)  # high risk
    assert case.first_response_at is None


def test_it_searches_before_registering_within_what_the_user_may_see(
    personas, case_for, client_for
):
    mine = case_for(personas.caseworker)
    hidden = case_for(personas.other_caseworker)
    hidden.person.given_name = mine.person.given_name
    hidden.person.save()
    page = (
        client_for(personas.caseworker)
        .post(URL, {"step": "search", "search-name": mine.person.given_name})
        .content.decode()
    )
    assert mine.number in page
    assert hidden.number not in page
    assert hidden.person.phone not in page
    assert 'name="step" value="register"' in page  # the registration form follows


def test_search_needs_at_least_one_term(personas, client_for):
    page = client_for(personas.caseworker).post(URL, {"step": "search"}).content.decode()
    assert "Enter a name, a phone number or a date of birth" in page


def test_a_child_is_routed_to_specialised_care_not_given_a_case(personas, client_for):
    client = client_for(personas.caseworker)
    page = client.post(URL, form_data(date_of_birth="", estimated_age="16")).content.decode()
    assert "This person is a child: PCM does not open a case" in page
    assert not Case.objects.exists()
    response = client.post(
        URL,
        form_data(
            date_of_birth="",
            estimated_age="16",
            decision="refer",
            given="Referred to the child protection case management of the camp office.",
        ),
    )
    assert response.status_code == 302
    assert not Case.objects.exists()
    assert not Person.objects.exists()
    record = ContactRecord.objects.get()
    assert record.kind == "child_protection"
    assert record.age_group == "0-17"
    assert "Zainab" not in str(vars(record))


def test_a_gbv_survivor_is_routed_unless_the_supervisor_approves_an_exception(personas, client_for):
    client = client_for(personas.caseworker)
    gbv = form_data(risk_types=[risk("PAF-08")])
    page = client.post(URL, gbv).content.decode()
    assert "Gender-based violence: PCM does not open a case" in page
    missing_reason = client.post(URL, {**gbv, "decision": "exception"}).content.decode()
    assert "Explain why PCM should take this case" in missing_reason
    response = client.post(
        URL, {**gbv, "decision": "exception", "exception_reason": "No GBV service in the district."}
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.screening.exception_status == ExceptionStatus.PENDING
    assert case.screening.blocks_progress


def test_a_person_who_is_not_eligible_gets_a_contact_record_without_a_name(personas, client_for):
    response = client_for(personas.caseworker).post(
        URL,
        form_data(
            eligibility="not_eligible",
            decision="contact",
            given="Information on the legal aid clinic's opening hours.",
        ),
    )
    assert response.status_code == 302
    assert not Case.objects.exists()
    assert not Person.objects.exists()
    assert ContactRecord.objects.get().kind == "information"
