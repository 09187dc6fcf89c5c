"""Field-level visibility on the case pages: a manager reads the caseload without names,
contact details or free text; the agency may change that per role."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from pcm.accounts.models import Role
from pcm.assessments.tests.factories import make_assessment
from pcm.cases.intake import Eligibility, IntakeScreening
from pcm.cases.models import CaseStatus, RiskLevel
from pcm.casework.tests.factories import make_note
from pcm.closure.tests.conftest import request_closure
from pcm.plans.safety import EmergencyContact, SafetyPlan

LIST = reverse("cases:list")
NOTE = "She was followed home from the market twice."
REASON = "Threatened by her former employer over unpaid wages."


def detail(case):
    return reverse("cases:detail", args=[case.public_id])


def test_the_managers_case_list_shows_age_group_and_sex_instead_of_names(
    personas, case_for, client_for
):
    case = case_for(personas.caseworker)
    person = case.person
    page = client_for(personas.manager).get(LIST).content.decode()
    assert case.number in page
    assert person.given_name not in page and person.family_name not in page
    assert person.phone not in page
    assert "Identity hidden" in page
    assert "Female, 25 to 59" in page
    caseworker_page = client_for(personas.caseworker).get(LIST).content.decode()
    assert person.full_name in caseworker_page


def test_the_managers_case_page_hides_identity_contact_and_free_text(
    personas, case_for, client_for
):
    case = case_for(personas.caseworker, status=CaseStatus.IMPLEMENTATION)
    person = case.person
    IntakeScreening.objects.create(
        case=case,
        eligibility=Eligibility.ELIGIBLE,
        eligibility_reason=REASON,
        screened_by=personas.caseworker,
    )
    make_assessment(case)
    make_note(case, narrative=NOTE)
    request_closure(case, summary="Goals met; she moved in with her sister in Erbil.")
    page = client_for(personas.manager).get(detail(case)).content.decode()
    for secret in (person.given_name, person.family_name, person.phone, "17/05/1990"):
        assert secret not in page
    for text in (REASON, NOTE, "moved in with her sister", "Threatened over property"):
        assert text not in page
    assert "Free text hidden for your role" in page
    assert "Identity hidden" in page and "Contact details hidden" in page
    assert "25 to 59" in page  # the age group
    # The structure stays: the risk level, the steps, who wrote the note and when.
    assert "Medium risk" in page
    assert str(personas.caseworker) in page
    page = client_for(personas.caseworker).get(detail(case)).content.decode()
    born = "17/05/1990"
    for text in (person.full_name, person.phone, born, REASON, NOTE[:20], "moved in with her"):
        assert text in page
    assert "Free text hidden for your role" not in page


def test_the_agency_can_let_its_managers_see_names(personas, case_for, client_for):
    case = case_for(personas.caseworker)
    agency = personas.agency
    agency.field_visibility = {Role.MANAGER: ["identity", "risk"]}
    agency.save()
    client = client_for(personas.manager)
    assert case.person.full_name in client.get(LIST).content.decode()
    page = client.get(detail(case)).content.decode()
    assert case.person.full_name in page
    assert case.person.phone not in page  # contact is still not ticked


def test_a_role_that_does_not_see_risk_sees_no_risk_and_cannot_filter_by_it(
    personas, case_for, client_for
):
    high = case_for(personas.caseworker, risk_level=RiskLevel.HIGH)
    low = case_for(personas.caseworker, risk_level=RiskLevel.LOW)
    agency = personas.agency
    agency.field_visibility = {Role.MANAGER: []}
    agency.save()
    client = client_for(personas.manager)
    page = client.get(LIST, {"risk": "high"}).content.decode()
    assert high.number in page and low.number in page  # the filter is ignored
    assert "Risk hidden" in page
    assert 'name="risk"' not in page
    assert "High risk" not in client.get(detail(high)).content.decode()


def test_a_manager_finds_cases_by_number_only(personas, case_for, client_for):
    case = case_for(personas.caseworker)
    client = client_for(personas.manager)
    by_name = client.post(LIST, {"q": case.person.given_name}).content.decode()
    assert case.number not in by_name
    by_number = client.post(LIST, {"q": case.number}).content.decode()
    assert case.number in by_number
    assert "Case number or name" not in client.get(LIST).content.decode()
    # The caseworker still finds the case by name.
    found = client_for(personas.caseworker).post(LIST, {"q": case.person.given_name})
    assert case.number in found.content.decode()


def test_the_safety_plan_hides_its_text_and_contacts_from_the_manager(
    personas, case_for, client_for
):
    case = case_for(personas.caseworker, status=CaseStatus.PLANNING)
    plan = SafetyPlan.objects.create(
        case=case,
        warning_signs="The brother's car outside the school.",
        created_by=personas.caseworker,
        updated_by=personas.caseworker,
        updated_at=timezone.now(),
    )
    EmergencyContact.objects.create(safety_plan=plan, name="Aunt Samira", phone="+964 750 123")
    for name in ("plans:safety", "plans:safety_print"):
        url = reverse(name, args=[case.public_id])
        page = client_for(personas.manager).get(url).content.decode()
        assert "brother's car" not in page and "Aunt Samira" not in page
        assert "+964 750 123" not in page
        assert "Free text hidden for your role" in page
        own = client_for(personas.caseworker).get(url).content.decode()
        assert "Aunt Samira" in own and "car outside the school" in own


def test_the_casework_history_hides_the_notes_from_the_manager(personas, case_for, client_for):
    case = case_for(personas.caseworker, status=CaseStatus.IMPLEMENTATION)
    make_note(case, narrative=NOTE)
    url = reverse("casework:timeline", args=[case.public_id])
    page = client_for(personas.manager).get(url).content.decode()
    assert NOTE not in page
    assert "Free text hidden for your role" in page
    assert NOTE in client_for(personas.caseworker).get(url).content.decode()
