"""Consent governs what a transfer carries: only the consented groups of information travel,
a withdrawn consent stops the transfer, and the caseworker sees both before asking."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from pcm.access.fields import FieldGroup
from pcm.assessments.models import Assessment, IdentifiedRisk, PerpetratorType
from pcm.assessments.tests.factories import make_assessment
from pcm.audit.models import AuditEvent
from pcm.cases.intake import Eligibility, IntakeScreening
from pcm.cases.models import Case
from pcm.cases.search import search_cases
from pcm.cases.taxonomy import RiskType
from pcm.casework.models import CaseNote
from pcm.casework.tests.factories import make_note
from pcm.closure.models import ClosureEvent, TransferRequest
from pcm.closure.tests.conftest import give_consent
from pcm.closure.transfer_actions import do_accept_transfer, do_request_transfer
from pcm.core.errors import ActionRefused
from pcm.people.models import Person
from pcm.plans.safety import EmergencyContact, SafetyPlan
from tests.factories import CaseFactory

REASON = "The family moved to Kharkiv, where the receiving agency works."


@pytest.fixture
def full_case(personas, case):
    """A case with something of every group: contact, documents, risk, free text."""
    person = case.person
    person.address = "Street 4, house 12"
    person.id_document_number = "A1234567"
    person.save()
    risk = RiskType.objects.filter(agency=case.agency).order_by("code").first()
    assert risk is not None
    screening = IntakeScreening.objects.create(
        case=case,
        eligibility=Eligibility.ELIGIBLE,
        eligibility_reason="Threats from a neighbour over the house.",
        screened_by=personas.caseworker,
    )
    screening.risk_types.set([risk])
    assessment = make_assessment(case)
    IdentifiedRisk.objects.create(
        assessment=assessment, risk_type=risk, perpetrator=PerpetratorType.ARMED_ACTOR
    )
    make_note(case, narrative="Talked about the checkpoint incident.")
    plan = SafetyPlan.objects.create(
        case=case,
        warning_signs="Cars parked outside at night.",
        created_by=personas.caseworker,
        updated_by=personas.caseworker,
    )
    EmergencyContact.objects.create(safety_plan=plan, name="Aunt Samira", phone="+964 750 000")
    return case


def _transfer(personas, case, shared_fields):
    give_consent(case, personas.other_agency, shared_fields=shared_fields)
    transfer = do_request_transfer(
        case, personas.other_agency, REASON, acting_user=personas.caseworker
    )
    return do_accept_transfer(
        transfer,
        team=personas.outsider.team,
        caseworker=personas.outsider,
        acting_user=personas.outsider_supervisor,
    )


def test_only_the_consented_groups_travel(personas, full_case):
    name, family = full_case.person.given_name, full_case.person.family_name
    moved = _transfer(personas, full_case, [FieldGroup.IDENTITY, FieldGroup.RISK])
    person = Person.objects.get(pk=moved.person_id)
    # Identity and risk were consented: they came.
    assert (person.given_name, person.family_name) == (name, family)
    assert person.date_of_birth == date(1990, 5, 17)
    assert IntakeScreening.objects.get(case=moved).risk_types.count() == 1
    assert IdentifiedRisk.objects.filter(assessment__case=moved).count() == 1
    # Contact, documents and free text were not: nothing of them reached the receiver.
    assert (person.phone, person.address, person.id_document_number) == ("", "", "")
    assert not EmergencyContact.objects.filter(safety_plan__case=moved).exists()
    assert CaseNote.objects.get(case=moved).narrative == ""
    assert Assessment.objects.get(case=moved).summary == ""
    assert IntakeScreening.objects.get(case=moved).eligibility_reason == ""
    assert SafetyPlan.objects.get(case=moved).warning_signs == ""
    # The structure stays: the note is there, with its date and mode.
    assert CaseNote.objects.filter(case=moved).count() == 1
    # The transfer's own reason was written for the receiver: it stays.
    assert TransferRequest.objects.get(case=moved).reason == REASON
    event = AuditEvent.objects.get(event_type=ClosureEvent.TRANSFER_ACCEPTED)
    assert event.detail["shared"] == ["identity", "risk"]
    assert event.detail["withheld"] == ["contact", "documents", "narrative"]
    assert "casework.CaseNote" in event.detail["erased"]


def test_everything_consented_travels_untouched(personas, full_case):
    phone = full_case.person.phone
    moved = _transfer(personas, full_case, list(FieldGroup.values))
    person = Person.objects.get(pk=moved.person_id)
    assert (person.phone, person.address, person.id_document_number) == (
        phone,
        "Street 4, house 12",
        "A1234567",
    )
    assert CaseNote.objects.get(case=moved).narrative == "Talked about the checkpoint incident."
    assert EmergencyContact.objects.get(safety_plan__case=moved).name == "Aunt Samira"


def test_without_identity_the_name_is_gone_and_cannot_be_searched(personas, full_case):
    name = full_case.person.given_name
    moved = _transfer(personas, full_case, [FieldGroup.CONTACT, FieldGroup.RISK])
    person = Person.objects.get(pk=moved.person_id)
    assert (person.given_name, person.family_name) == ("", "")
    # Only the year survives, so the age group can still be counted.
    assert person.date_of_birth == date(1990, 7, 1)
    assert person.date_of_birth_is_estimated
    assert not search_cases(personas.outsider, name).exists()
    assert person.phone  # contact was consented


def test_a_person_with_another_case_at_the_sender_is_copied_not_moved(personas, case):
    other = CaseFactory.create(assigned_to=personas.caseworker, person=case.person)
    phone = case.person.phone
    moved = _transfer(personas, case, [FieldGroup.IDENTITY])
    assert moved.person_id != other.person_id
    kept = Person.objects.get(pk=other.person_id)
    assert kept.agency == personas.agency
    assert kept.phone == phone  # the sending agency's other case keeps its service user whole
    copy = Person.objects.get(pk=moved.person_id)
    assert copy.agency == personas.other_agency
    assert copy.given_name == kept.given_name
    assert copy.phone == ""


def test_a_withdrawn_consent_blocks_the_transfer_and_says_why(personas, case, client_for):
    give_consent(case, personas.other_agency)
    give_consent(case, personas.other_agency, withdrawn=True)
    with pytest.raises(ActionRefused, match="withdrew their consent"):
        do_request_transfer(case, personas.other_agency, REASON, acting_user=personas.caseworker)
    url = reverse("closure:request_transfer", args=[case.public_id])
    client = client_for(personas.caseworker)
    page = client.get(url).content.decode()
    assert 'id="transfer-blocked"' in page
    assert "withdrew their consent" in page
    response = client.post(url, {"to_agency": personas.other_agency.pk, "reason": REASON})
    assert response.status_code == 400
    assert "withdrew their consent" in response.content.decode()
    assert not TransferRequest.objects.exists()


def test_the_form_shows_what_goes_and_what_stays(personas, case, client_for):
    give_consent(case, personas.other_agency, shared_fields=[FieldGroup.IDENTITY])
    url = reverse("closure:request_transfer", args=[case.public_id])
    page = client_for(personas.caseworker).get(url).content.decode()
    shared = page.split('id="transfer-shared"')[1].split("</ul>")[0]
    withheld = page.split('id="transfer-withheld"')[1].split("</ul>")[0]
    assert "Name and date of birth" in shared
    assert "Phone number and address" in withheld
    assert "Notes, assessments and plans (free text)" in withheld
    assert "Kalyna Relief" in page
    assert 'id="transfer-blocked"' not in page


def test_the_receiving_supervisor_sees_which_groups_would_come(personas, case, client_for):
    give_consent(case, personas.other_agency, shared_fields=[FieldGroup.IDENTITY])
    transfer = do_request_transfer(
        case, personas.other_agency, REASON, acting_user=personas.caseworker
    )
    url = reverse("closure:incoming_transfer", args=[transfer.public_id])
    page = client_for(personas.outsider_supervisor).get(url).content.decode()
    coming = page.split('id="transfer-coming"')[1].split("</p>")[0]
    assert "Name and date of birth" in coming
    assert "The rest is erased before the case moves." in coming
    assert case.person.given_name not in page


def test_a_consent_revised_to_share_less_after_the_request_governs_acceptance(personas, case):
    give_consent(case, personas.other_agency)
    transfer = do_request_transfer(
        case, personas.other_agency, REASON, acting_user=personas.caseworker
    )
    give_consent(case, personas.other_agency, shared_fields=[FieldGroup.IDENTITY])
    moved = do_accept_transfer(
        transfer,
        team=personas.outsider.team,
        caseworker=personas.outsider,
        acting_user=personas.outsider_supervisor,
    )
    assert Person.objects.get(pk=moved.person_id).phone == ""
    assert Case.objects.get(pk=moved.pk).agency == personas.other_agency
