"""Sending a referral: consent limits what can go, the caseworker ticks the minimum, the plan
action starts, the provider's focal point is told, and the payload carries only what was ticked."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pcm.audit.models import AuditEvent
from pcm.core.errors import ActionRefused
from pcm.notifications.models import Notification, NotificationKind
from pcm.plans.models import ActionStatus
from pcm.referrals import payload
from pcm.referrals.actions import NewReferral, do_send_referral
from pcm.referrals.models import ReferralStatus, Urgency
from pcm.referrals.rules import default_urgency
from pcm.referrals.sharing import referral_consent

from .conftest import give_consent

THREE = ["name", "phone", "risk_level"]


def send(case, service, user, shared=THREE, action=None, urgency=Urgency.IMMEDIATE):
    return do_send_referral(
        case,
        NewReferral(
            service=service,
            urgency=urgency,
            reason="Threatened with eviction by the landlord",
            note_for_provider="Call mornings only",
            shared_fields=list(shared),
            plan_action_key=str(action.key) if action else None,
        ),
        acting_user=user,
    )


def test_consent_decides_which_fields_can_be_ticked(high_risk_case):
    consent = referral_consent(high_risk_case)
    assert consent.allowed
    # identity, contact and risk consented; documents not; profile fields always.
    assert consent.allowed_keys == {
        "name",
        "date_of_birth",
        "age",
        "sex",
        "phone",
        "address",
        "area",
        "languages",
        "risk_level",
        "risk_types",
    }
    refused = [choice for choice in consent.choices if not choice.allowed]
    assert [choice.field.key for choice in refused] == ["id_document_number"]
    assert "Identity document number" in refused[0].why_not


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"withdrawn": True}, "withdrew their consent"),
        ({"referrals": False}, "does not cover referrals"),
    ],
)
def test_without_consent_for_referrals_nothing_can_be_sent(
    personas, high_risk_case, legal_aid, kwargs, message
):
    give_consent(high_risk_case, **kwargs)
    assert message in referral_consent(high_risk_case).reasons[0]
    with pytest.raises(ActionRefused, match=message):
        send(high_risk_case, legal_aid, personas.caseworker)


def test_a_field_the_consent_does_not_cover_is_refused(personas, high_risk_case, legal_aid):
    with pytest.raises(ActionRefused, match="consent does not cover"):
        send(high_risk_case, legal_aid, personas.caseworker, shared=["name", "id_document_number"])


def test_the_payload_carries_exactly_the_ticked_fields(
    personas, high_risk_case, legal_aid, referral_action, partner_focal_point
):
    referral = send(high_risk_case, legal_aid, personas.caseworker, action=referral_action)
    document = payload.loads(referral.payload)
    assert document["format"] == "pcm.referral" and document["version"] == 1
    assert document["person"] == {
        "name": "Mariam Haddad",
        "phone": "+964 750 123 4567",
        "risk_level": "high",
    }
    assert document["reference"] == referral.reference
    assert document["to"] == {
        "provider": "Kalyna legal clinic",
        "service": "Legal aid on housing",
        "sector": "legal",
    }
    assert document["reason"] == "Threatened with eviction by the landlord"
    assert "12 Orchard" not in referral.payload and "A1234567" not in referral.payload
    assert referral.status == ReferralStatus.SENT and referral.through_portal
    assert [step.status for step in referral.steps.all()] == ["sent"]


def test_sending_starts_the_plan_action_and_tells_the_focal_point(
    personas,
    high_risk_case,
    legal_aid,
    referral_action,
    partner_focal_point,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        referral = send(high_risk_case, legal_aid, personas.caseworker, action=referral_action)
    referral_action.refresh_from_db()
    assert referral_action.status == ActionStatus.IN_PROGRESS
    assert referral.plan_action_key == referral_action.key
    notification = Notification.objects.get(recipient=partner_focal_point)
    assert notification.kind == NotificationKind.REFERRAL_RECEIVED
    assert notification.case is None  # the provider never gets a link to the case
    assert str(referral.public_id) in notification.link
    event = AuditEvent.objects.get(event_type="referral_sent")
    assert event.detail["shared"] == THREE
    assert "Mariam" not in str(event.detail)


def test_the_answer_is_due_by_urgency_and_the_services_usual_time(
    personas, high_risk_case, legal_aid
):
    assert default_urgency(high_risk_case) == Urgency.IMMEDIATE
    immediate = send(high_risk_case, legal_aid, personas.caseworker)
    assert immediate.respond_by - immediate.sent_at == timedelta(days=1)
    routine = send(high_risk_case, legal_aid, personas.caseworker, urgency=Urgency.ROUTINE)
    assert routine.respond_by - routine.sent_at == timedelta(days=5)  # the service's own time


@pytest.mark.parametrize("who", ["manager", "other_caseworker", "provider", "outsider"])
def test_only_the_caseworker_or_supervisor_refers(personas, high_risk_case, legal_aid, who):
    with pytest.raises(ActionRefused):
        send(high_risk_case, legal_aid, getattr(personas, who))


def test_a_service_of_another_agencys_directory_cannot_be_used(personas, high_risk_case, legal_aid):
    legal_aid.provider.agency = personas.other_agency
    legal_aid.provider.save()
    with pytest.raises(ActionRefused, match="directory"):
        send(high_risk_case, legal_aid, personas.caseworker)


def test_the_form_shows_why_a_field_cannot_be_ticked_and_sends(
    personas, client_for, high_risk_case, legal_aid, referral_action
):
    client = client_for(personas.caseworker)
    url = f"/cases/{high_risk_case.public_id}/referrals/new/?action={referral_action.key}"
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="id_document_number" id="share-id_document_number" disabled' in html
    assert "The consent does not cover sharing" in html
    response = client.post(
        url,
        {
            "service": legal_aid.pk,
            "urgency": "immediate",
            "reason": "Eviction threat",
            "note_for_provider": "",
            "shared_fields": ["name", "phone", "risk_level"],
            "action": str(referral_action.key),
        },
    )
    assert response.status_code == 302
    referral_action.refresh_from_db()
    assert referral_action.status == ActionStatus.IN_PROGRESS


def test_a_bad_form_says_what_is_missing_and_sends_nothing(
    personas, client_for, high_risk_case, legal_aid
):
    client = client_for(personas.caseworker)
    url = f"/cases/{high_risk_case.public_id}/referrals/new/"
    response = client.post(url, {"service": legal_aid.pk, "urgency": "immediate", "reason": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    forged = client.post(
        url,
        {
            "service": legal_aid.pk,
            "urgency": "immediate",
            "reason": "x",
            "shared_fields": ["id_document_number"],
        },
    )
    assert forged.status_code == 400
    from pcm.referrals.models import Referral

    assert not Referral.objects.exists()
