"""A person's exact address and identity document number: registered, corrected, shown only to
who may see them, and stored encrypted."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from pcm.audit.models import AuditEvent, AuditEventType
from pcm.cases.models import Case
from pcm.cases.taxonomy import RiskType
from pcm.people.models import Person

REGISTER = reverse("cases:register")
ADDRESS = "House 12, Street 4\nAl-Zuhur quarter"
DOCUMENT = "IQ-00123456"


def _raw(person: Person, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM people_person WHERE id = %s", [person.pk])  # noqa: S608
        value: str = cursor.fetchone()[0]
    return value


def registration(**overrides):
    risk = (
        RiskType.objects.filter(code="PAF-11", agency__code="APN")
        .values_list("pk", flat=True)
        .get()
    )
    return {
        "step": "register",
        "decision": "open",
        "risk_types": [risk],
        "eligibility": "eligible",
        "eligibility_reason": "Threatened by a neighbour; meets the violence criteria.",
        "given_name": "Zainab",
        "family_name": "Al-Tamimi",
        "sex": "female",
        "date_of_birth": "1991-03-14",
        "estimated_age": "",
        "phone": "+964 770 123 4567",
        "address": f"  {ADDRESS}  ",
        "id_document_number": f" {DOCUMENT} ",
        "displacement_status": "idp",
        "risk_level": "high",
        **overrides,
    }


def test_registration_keeps_the_address_and_document_number_encrypted(personas, client_for):
    client = client_for(personas.caseworker)
    assert client.post(REGISTER, registration()).status_code == 302
    person = Person.objects.get()
    assert (person.address, person.id_document_number) == (ADDRESS, DOCUMENT)
    assert "Zuhur" not in _raw(person, "address")
    assert DOCUMENT not in _raw(person, "id_document_number")
    event = AuditEvent.objects.get(event_type=AuditEventType.PERSON_REGISTERED)
    assert {"address", "id_document_number"} <= set(event.fields)
    assert DOCUMENT not in str(event.detail)


def test_both_are_optional(personas, client_for):
    data = registration(address="", id_document_number="")
    assert client_for(personas.caseworker).post(REGISTER, data).status_code == 302
    person = Person.objects.get()
    assert (person.address, person.id_document_number) == ("", "")


def test_the_registration_form_offers_them(personas, client_for):
    body = client_for(personas.caseworker).post(REGISTER, {"step": "register"}).content.decode()
    assert 'name="address"' in body and 'name="id_document_number"' in body


def test_too_long_a_document_number_is_refused_next_to_the_field(personas, client_for):
    data = registration(id_document_number="9" * 61)
    response = client_for(personas.caseworker).post(REGISTER, data)
    assert response.status_code == 200
    assert "Ensure this value has at most 60 characters" in response.content.decode()
    assert not Person.objects.exists()


@pytest.fixture
def case(personas, case_for) -> Case:
    made: Case = case_for(personas.caseworker)
    made.person.address, made.person.id_document_number = ADDRESS, DOCUMENT
    made.person.save()
    return made


def test_the_case_page_shows_them_to_the_caseworker_and_not_to_the_manager(
    personas, client_for, case
):
    url = reverse("cases:detail", args=[case.public_id])
    body = client_for(personas.caseworker).get(url).content.decode()
    assert "Al-Zuhur quarter" in body and DOCUMENT in body
    assert reverse("cases:edit_person", args=[case.public_id]) in body
    manager = client_for(personas.manager).get(url).content.decode()
    assert "Al-Zuhur quarter" not in manager and DOCUMENT not in manager
    assert reverse("cases:edit_person", args=[case.public_id]) not in manager


def test_an_agency_may_let_its_managers_see_documents(personas, client_for, case):
    personas.agency.field_visibility = {"manager": ["risk", "documents"]}
    personas.agency.save()
    body = client_for(personas.manager).get(reverse("cases:detail", args=[case.public_id]))
    assert DOCUMENT in body.content.decode()
    assert "Al-Zuhur quarter" not in body.content.decode()


# Correcting the details -----------------------------------------------------------------------


def edit_data(person: Person, **overrides):
    return {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "sex": person.sex,
        "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else "",
        "estimated_age": "",
        "phone": person.phone,
        "address": person.address,
        "id_document_number": person.id_document_number,
        "displacement_status": person.displacement_status,
        "languages": person.languages,
        "version": person.version,
        **overrides,
    }


def test_the_form_shows_the_details_as_they_are(personas, client_for, case):
    body = client_for(personas.caseworker).get(reverse("cases:edit_person", args=[case.public_id]))
    text = body.content.decode()
    assert body.status_code == 200
    assert case.person.given_name in text and DOCUMENT in text and "Al-Zuhur quarter" in text


def test_the_caseworker_corrects_the_details_and_the_audit_names_the_fields(
    personas, client_for, case
):
    url = reverse("cases:edit_person", args=[case.public_id])
    data = edit_data(case.person, id_document_number="IQ-999", address="Camp 3, tent 41")
    response = client_for(personas.caseworker).post(url, data)
    assert response.status_code == 302
    person = Person.objects.get(pk=case.person_id)
    assert (person.id_document_number, person.address, person.version) == (
        "IQ-999",
        "Camp 3, tent 41",
        2,
    )
    event = AuditEvent.objects.get(event_type=AuditEventType.RECORD_CHANGED, target_id=person.pk)
    assert event.fields == ["address", "id_document_number"]
    assert "IQ-999" not in str(event.detail) and "tent" not in str(event.detail)


def test_the_supervisor_corrects_a_name_and_search_follows(personas, client_for, case):
    from pcm.cases.search import search_cases

    url = reverse("cases:edit_person", args=[case.public_id])
    data = edit_data(case.person, given_name="Fatima", family_name="Hassan")
    assert client_for(personas.supervisor).post(url, data).status_code == 302
    assert list(search_cases(personas.caseworker, "فاطمة")) == [case]


def test_an_edit_made_meanwhile_is_not_overwritten(personas, client_for, case):
    url = reverse("cases:edit_person", args=[case.public_id])
    stale = edit_data(case.person, phone="+964 750 000 0001")
    client_for(personas.supervisor).post(url, edit_data(case.person, phone="+964 750 000 0002"))
    response = client_for(personas.caseworker).post(url, stale)
    assert response.status_code == 409
    text = response.content.decode()
    assert "Someone changed this person&#x27;s details" in text
    assert "+964 750 000 0001" in text  # what the caseworker typed is kept
    assert "+964 750 000 0002" in text  # and the saved value is shown beside it
    assert Person.objects.get(pk=case.person_id).phone == "+964 750 000 0002"


def test_bad_input_is_explained_and_nothing_is_saved(personas, client_for, case):
    url = reverse("cases:edit_person", args=[case.public_id])
    data = edit_data(case.person, phone="call me maybe", given_name="")
    response = client_for(personas.caseworker).post(url, data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Enter a phone number with digits only" in text
    assert "This field is required" in text
    assert Person.objects.get(pk=case.person_id).version == 1


def test_a_form_without_its_version_asks_to_reload(personas, client_for, case):
    url = reverse("cases:edit_person", args=[case.public_id])
    data = edit_data(case.person)
    del data["version"]
    response = client_for(personas.caseworker).post(url, data)
    assert response.status_code == 400
    assert "open the page again" in response.content.decode()


def test_readers_and_outsiders_cannot_edit(personas, client_for, case):
    url = reverse("cases:edit_person", args=[case.public_id])
    assert client_for(personas.manager).get(url).status_code == 403
    assert client_for(personas.other_caseworker).get(url).status_code == 404
    assert client_for(personas.outsider).post(url, edit_data(case.person)).status_code == 404
    assert Person.objects.get(pk=case.person_id).version == 1


def test_saving_an_estimated_age_unchanged_changes_nothing(personas, client_for, case):
    from datetime import date

    from django.utils import timezone

    person = case.person
    person.date_of_birth = date(timezone.localdate().year - 40, 1, 1)
    person.date_of_birth_is_estimated = True
    person.save()
    url = reverse("cases:edit_person", args=[case.public_id])
    form = client_for(personas.caseworker).get(url).context["form"]
    assert form.initial["estimated_age"] == 40 and form.initial["date_of_birth"] is None
    data = edit_data(person, date_of_birth="", estimated_age="40")
    assert client_for(personas.caseworker).post(url, data).status_code == 302
    person.refresh_from_db()
    assert person.version == 1 and person.date_of_birth_is_estimated
    assert not AuditEvent.objects.filter(event_type=AuditEventType.RECORD_CHANGED).exists()
