"""Consent governs sharing: which groups of information may go, to whom, and why not."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from pcm.access.fields import FieldGroup
from pcm.cases.consent import Consent, ConsentMethod, GivenBy, current_consent, sharing_decision
from pcm.cases.models import CaseStatus
from tests.factories import AgencyFactory


@pytest.fixture
def case(personas, case_for):
    return case_for(personas.caseworker, status=CaseStatus.INTAKE)


def consent(case, *agencies, withdrawn=False, data_sharing=True, shared=("identity", "risk")):
    version = Consent.objects.filter(case=case).count() + 1
    record = Consent.objects.create(
        case=case,
        version=version,
        withdrawn=withdrawn,
        given_by=GivenBy.SERVICE_USER,
        method=ConsentMethod.VERBAL,
        given_at=timezone.now(),
        case_management=True,
        data_sharing=data_sharing,
        shared_fields=list(shared),
        recorded_by=case.assigned_to,
    )
    record.share_with.set(agencies)
    return record


def test_no_consent_shares_nothing(personas, case):
    decision = sharing_decision(case, personas.other_agency)
    assert not decision.allowed and decision.groups == frozenset()
    assert decision.reasons == ["No consent is recorded for this case: nothing may be shared."]


def test_a_consent_naming_the_agency_shares_only_its_groups(personas, case):
    consent(case, personas.other_agency)
    decision = sharing_decision(case, personas.other_agency)
    assert decision.allowed
    assert decision.groups == {FieldGroup.IDENTITY, FieldGroup.RISK}
    assert decision.reasons == []
    assert decision.withheld == [FieldGroup.CONTACT, FieldGroup.DOCUMENTS, FieldGroup.NARRATIVE]
    assert decision.consent_version == 1


def test_an_agency_the_consent_does_not_name_gets_nothing(personas, case):
    consent(case, AgencyFactory.create(name="Third Agency"))
    decision = sharing_decision(case, personas.other_agency)
    assert not decision.allowed and decision.groups == frozenset()
    assert "does not name Kalyna Relief" in decision.reasons[0]


def test_a_consent_without_data_sharing_shares_nothing(personas, case):
    consent(case, personas.other_agency, data_sharing=False)
    decision = sharing_decision(case, personas.other_agency)
    assert not decision.allowed
    assert "does not cover sharing information" in decision.reasons[0]


def test_a_withdrawn_consent_stops_all_further_sharing(personas, case):
    consent(case, personas.other_agency)
    consent(case, personas.other_agency, withdrawn=True)
    decision = sharing_decision(case, personas.other_agency)
    assert not decision.allowed and decision.groups == frozenset()
    assert "withdrew their consent" in decision.reasons[0]


def consent_url(case):
    return reverse("cases:consent", args=[case.public_id])


def form(**overrides):
    data = {
        "given_by": "service_user",
        "method": "verbal",
        "given_at": "2026-01-05T10:30",
        "case_management": "on",
        "consent_version": "0",
    }
    data.update(overrides)
    return data


def ticked(page: str) -> list[str]:
    boxes = re.findall(r'<input[^>]*name="shared_fields"[^>]*>', page)
    return [re.findall(r'value="([a-z]+)"', box)[0] for box in boxes if "checked" in box]


def test_the_form_proposes_identity_contact_and_risk_and_explains(personas, case, client_for):
    page = client_for(personas.caseworker).get(consent_url(case)).content.decode()
    assert "Information that may be shared with other agencies" in page
    assert "Only what is ticked goes to the agencies" in page
    assert ticked(page) == ["identity", "contact", "risk"]


def test_the_form_records_what_may_be_shared_and_shows_it_again(personas, case, client_for):
    client = client_for(personas.caseworker)
    other = personas.other_agency
    data = form(data_sharing="on", share_with=[other.pk], shared_fields=["identity", "narrative"])
    assert client.post(consent_url(case), data).status_code == 302
    recorded = current_consent(case)
    assert recorded is not None
    assert recorded.shared_fields == ["identity", "narrative"]
    page = client.get(consent_url(case)).content.decode()
    assert ticked(page) == ["identity", "narrative"]
    assert "Name and date of birth, Notes, assessments and plans (free text)" in page


def test_sharing_needs_at_least_one_group(personas, case, client_for):
    data = form(data_sharing="on", share_with=[personas.other_agency.pk])
    response = client_for(personas.caseworker).post(consent_url(case), data)
    assert response.status_code == 200
    assert "Tick the information that may be shared" in response.content.decode()
    assert current_consent(case) is None


def test_groups_ticked_without_sharing_are_not_kept(personas, case, client_for):
    client_for(personas.caseworker).post(consent_url(case), form(shared_fields=["identity"]))
    recorded = current_consent(case)
    assert recorded is not None and recorded.shared_fields == []
