"""The provider portal: a focal point sees only the referrals to their services, only the shared
fields, and nothing else of any case, whatever URL they try."""

from __future__ import annotations

import pytest

from pcm.audit.models import AuditEvent
from pcm.plans.models import ActionStatus
from pcm.referrals.models import FocalPoint, ReferralStatus
from pcm.services.models import Service
from tests.factories import UserFactory

from .test_sending import send


def test_the_focal_point_sees_exactly_the_shared_fields(
    personas, client_for, high_risk_case, legal_aid, partner_focal_point
):
    referral = send(high_risk_case, legal_aid, personas.caseworker)
    client = client_for(partner_focal_point)
    inbox = client.get("/portal/")
    assert referral.reference in inbox.content.decode()
    page = client.get(f"/portal/referrals/{referral.public_id}/")
    html = page.content.decode()
    assert page.status_code == 200
    for shown in ("Mariam Haddad", "+964 750 123 4567", "High"):
        assert shown in html
    for hidden in ("12 Orchard", "A1234567", high_risk_case.number, "Date of birth"):
        assert hidden not in html
    assert AuditEvent.objects.filter(
        event_type="referral_viewed_by_provider", actor=partner_focal_point
    ).exists()


def test_the_focal_point_reaches_nothing_else(
    personas, client_for, high_risk_case, legal_aid, paper_service, partner_focal_point
):
    mine = send(high_risk_case, legal_aid, personas.caseworker)
    other = send(high_risk_case, paper_service, personas.caseworker)
    client = client_for(partner_focal_point)
    assert client.get(f"/portal/referrals/{other.public_id}/").status_code == 404
    for url in (
        f"/cases/{high_risk_case.public_id}/",
        f"/cases/{high_risk_case.public_id}/plan/",
        f"/referrals/{mine.public_id}/",
        f"/referrals/{mine.public_id}/form.pdf",
        f"/cases/{high_risk_case.public_id}/referrals/new/",
    ):
        assert client.get(url).status_code in (403, 404), url
    answered = client.post(
        f"/portal/referrals/{other.public_id}/answer/",
        {"status": "accepted", "version": other.version, "text": ""},
    )
    assert answered.status_code == 404


def test_a_focal_point_of_another_service_sees_nothing(
    personas, client_for, high_risk_case, legal_aid
):
    referral = send(high_risk_case, legal_aid, personas.caseworker)
    stranger = UserFactory.create(role="provider_focal_point", agency=personas.other_agency)
    other_service = Service.objects.create(
        provider=legal_aid.provider, name="Civil documentation", sector="legal"
    )
    FocalPoint.objects.create(service=other_service, user=stranger, added_by=personas.manager)
    client = client_for(stranger)
    assert referral.reference not in client.get("/portal/").content.decode()
    assert client.get(f"/portal/referrals/{referral.public_id}/").status_code == 404


def test_accepting_and_recording_the_outcome_in_the_portal(
    personas, client_for, high_risk_case, legal_aid, referral_action, partner_focal_point
):
    referral = send(high_risk_case, legal_aid, personas.caseworker, action=referral_action)
    client = client_for(partner_focal_point)
    url = f"/portal/referrals/{referral.public_id}/answer/"
    assert client.post(url, {"status": "accepted", "version": 1, "text": ""}).status_code == 302
    missing = client.post(url, {"status": "provided", "version": 2, "text": ""})
    assert missing.status_code == 400
    assert "Record the outcome" in missing.content.decode()
    stale = client.post(url, {"status": "provided", "version": 1, "text": "Done"})
    assert stale.status_code == 409
    done = client.post(url, {"status": "provided", "version": 2, "text": "Stay of eviction"})
    assert done.status_code == 302
    referral.refresh_from_db()
    referral_action.refresh_from_db()
    assert referral.status == ReferralStatus.PROVIDED
    assert referral_action.status == ActionStatus.DONE
    case_page = client_for(personas.caseworker).get(f"/referrals/{referral.public_id}/")
    assert "Stay of eviction" in case_page.content.decode()


@pytest.mark.parametrize("count", [1, 8])
def test_the_inbox_costs_the_same_queries_for_any_number(
    personas,
    client_for,
    high_risk_case,
    legal_aid,
    partner_focal_point,
    django_assert_max_num_queries,
    count,
):
    for _index in range(count):
        send(high_risk_case, legal_aid, personas.caseworker)
    client = client_for(partner_focal_point)
    with django_assert_max_num_queries(12):
        response = client.get("/portal/")
    assert response.content.decode().count("R-0") >= count


def test_a_focal_point_who_left_the_providers_agency_sees_nothing(
    personas, client_for, high_risk_case, legal_aid, partner_focal_point
):
    referral = send(high_risk_case, legal_aid, personas.caseworker)
    partner_focal_point.agency = personas.agency
    partner_focal_point.save()
    client = client_for(partner_focal_point)
    assert client.get(f"/portal/referrals/{referral.public_id}/").status_code == 404
