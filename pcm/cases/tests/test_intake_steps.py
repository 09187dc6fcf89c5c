"""Consent, the safeguard exception, the household and completing the intake."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from pcm.cases import intake_actions
from pcm.cases.consent import (
    Consent,
    ConsentMethod,
    GivenBy,
    Purpose,
    consent_allows,
    current_consent,
    may_share_with,
)
from pcm.cases.intake import Eligibility, ExceptionStatus, IntakeScreening, Safeguard
from pcm.cases.models import CaseStatus
from pcm.core.errors import ActionRefused, EditConflict
from pcm.notifications.models import Notification


@pytest.fixture
def case(personas, case_for):
    case = case_for(personas.caseworker, status=CaseStatus.INTAKE)
    IntakeScreening.objects.create(
        case=case,
        eligibility=Eligibility.ELIGIBLE,
        eligibility_reason="Meets the criteria.",
        screened_by=personas.caseworker,
    )
    return case


def consent_form(**overrides):
    data = {
        "given_by": "service_user",
        "method": "verbal",
        "given_at": "2026-01-05T10:30",
        "case_management": "on",
        "referrals": "on",
        "safe_contact_methods": ["phone_call"],
        "contact_restrictions": "No calls after 6 pm.",
        "consent_version": "0",
    }
    data.update(overrides)
    return data


def consent_url(case):
    return reverse("cases:consent", args=[case.public_id])


def test_the_case_cannot_leave_intake_without_consent(personas, case):
    with pytest.raises(ActionRefused, match="informed consent"):
        intake_actions.do_complete_intake(
            case, expected_version=case.version, acting_user=personas.caseworker
        )


def test_it_records_consent_and_completes_the_intake(personas, case, client_for):
    client = client_for(personas.caseworker)
    assert client.post(consent_url(case), consent_form()).status_code == 302
    consent = current_consent(case)
    assert consent is not None and consent.version == 1
    assert consent_allows(case, Purpose.CASE_MANAGEMENT)
    assert not consent_allows(case, Purpose.DATA_SHARING)
    response = client.post(
        reverse("cases:complete_intake", args=[case.public_id]), {"version": case.version}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSESSMENT


def test_revising_consent_keeps_every_version(personas, case, client_for):
    client = client_for(personas.caseworker)
    client.post(consent_url(case), consent_form())
    other = personas.other_agency
    client.post(
        consent_url(case),
        consent_form(
            data_sharing="on",
            share_with=[other.pk],
            shared_fields=["identity"],
            consent_version="1",
        ),
    )
    assert list(Consent.objects.filter(case=case).values_list("version", flat=True)) == [2, 1]
    assert may_share_with(case, other)


def test_a_withdrawn_consent_stops_sharing_and_progress(personas, case, client_for):
    client = client_for(personas.caseworker)
    other = personas.other_agency
    client.post(
        consent_url(case),
        consent_form(data_sharing="on", share_with=[other.pk], shared_fields=["identity"]),
    )
    client.post(reverse("cases:withdraw_consent", args=[case.public_id]), {"consent_version": "1"})
    latest = current_consent(case)
    assert latest is not None and latest.withdrawn
    assert not may_share_with(case, other)
    assert Consent.objects.filter(case=case).count() == 2
    with pytest.raises(ActionRefused, match="does not cover case management"):
        intake_actions.do_complete_intake(
            case, expected_version=case.version, acting_user=personas.caseworker
        )


def test_two_people_revising_consent_at_once_do_not_overwrite_each_other(
    personas, case, client_for
):
    client = client_for(personas.caseworker)
    client.post(consent_url(case), consent_form())
    client_for(personas.supervisor).post(consent_url(case), consent_form(consent_version="1"))
    stale = client.post(consent_url(case), consent_form(consent_version="1"))
    assert "Someone recorded another version of the consent" in stale.content.decode()
    assert Consent.objects.filter(case=case).count() == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"given_by": "caregiver"}, "Say why a caregiver"),
        ({"given_at": "2999-01-01T10:00"}, "cannot be given in the future"),
        ({"case_management": "", "referrals": ""}, "Tick what the person consents to"),
        ({"data_sharing": "on"}, "Name at least one agency"),
        ({"method": "telepathy"}, "Select a valid choice"),
    ],
)
def test_bad_consent_input_is_explained(personas, case, client_for, overrides, message):
    response = client_for(personas.caseworker).post(consent_url(case), consent_form(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Consent.objects.exists()


def test_a_manager_reads_consent_but_cannot_record_it(personas, case, client_for):
    client = client_for(personas.manager)
    assert client.get(consent_url(case)).status_code == 200
    assert client.post(consent_url(case), consent_form()).status_code == 403


def test_a_safeguarded_case_waits_for_the_supervisors_exception(personas, case, client_for):
    case.screening.safeguard = Safeguard.GBV
    case.screening.exception_status = ExceptionStatus.PENDING
    case.screening.exception_reason = "No GBV service in the district."
    case.screening.save()
    client_for(personas.caseworker).post(consent_url(case), consent_form())
    with pytest.raises(ActionRefused, match="approved exception"):
        intake_actions.do_complete_intake(
            case, expected_version=case.version, acting_user=personas.caseworker
        )
    url = reverse("cases:exception", args=[case.public_id])
    assert client_for(personas.caseworker).post(url, {"decision": "approve"}).status_code == 403
    client_for(personas.supervisor).post(url, {"decision": "approve", "comment": "Agreed."})
    case.screening.refresh_from_db()
    assert case.screening.exception_status == ExceptionStatus.APPROVED
    assert Notification.objects.filter(recipient=personas.caseworker, case=case).exists()
    case.refresh_from_db()
    intake_actions.do_complete_intake(
        case, expected_version=case.version, acting_user=personas.caseworker
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSESSMENT


def test_declining_an_exception_needs_a_reason(personas, case):
    case.screening.safeguard = Safeguard.CHILD
    case.screening.exception_status = ExceptionStatus.PENDING
    case.screening.save()
    with pytest.raises(ActionRefused, match="Say why"):
        intake_actions.do_decide_exception(
            case, approve=False, comment="", acting_user=personas.supervisor
        )


def test_completing_intake_from_a_stale_page_is_refused(personas, case):
    intake_actions.do_record_consent(
        case,
        intake_actions.ConsentDetails(
            given_by=GivenBy.SERVICE_USER,
            method=ConsentMethod.VERBAL,
            given_at=timezone.now(),
            case_management=True,
            referrals=False,
            data_sharing=False,
        ),
        expected_version=0,
        acting_user=personas.caseworker,
    )
    with pytest.raises(EditConflict):
        intake_actions.do_complete_intake(
            case, expected_version=99, acting_user=personas.caseworker
        )


def test_the_household_links_only_cases_the_user_may_see(personas, case, case_for, client_for):
    sibling = case_for(personas.caseworker)
    hidden = case_for(personas.other_caseworker)
    client = client_for(personas.caseworker)
    url = reverse("cases:household", args=[case.public_id])
    member = {"name": "Huda", "relationship": "sibling", "age": "19", "sex": "female"}
    assert client.post(url, {**member, "own_case_number": sibling.number}).status_code == 302
    refused = client.post(url, {**member, "own_case_number": hidden.number})
    assert "No case with this number among those you can see" in refused.content.decode()
    page = client.get(url).content.decode()
    assert sibling.number in page and hidden.number not in page
    assert case.household.count() == 1
    # A link made by someone who sees both cases shows as a link only to those who do too.
    reassigned = case.household.get()
    reassigned.own_case = hidden
    reassigned.save()
    assert hidden.number not in client.get(url).content.decode()
    assert "yes (not visible to you)" in client.get(url).content.decode()
    assert hidden.number in client_for(personas.manager).get(url).content.decode()


def test_a_manager_edits_the_agencys_risk_taxonomy(personas, client_for):
    from pcm.cases.taxonomy import RiskType

    client = client_for(personas.manager)
    page = client.get(reverse("cases:risk_types")).content.decode()
    assert "Gender-based violence" in page
    response = client.post(
        reverse("cases:risk_type_create"),
        {
            "code": "paf-11a",
            "name": "Threats by armed actors at checkpoints",
            "category": "violence",
            "specialised_route": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert RiskType.objects.get(code="PAF-11A").agency == personas.agency
    clash = client.post(
        reverse("cases:risk_type_create"),
        {"code": "PAF-11A", "name": "Again", "category": "violence", "is_active": "on"},
    )
    assert "Another risk type of your agency has this code" in clash.content.decode()
    assert client_for(personas.caseworker).get(reverse("cases:risk_types")).status_code == 403
