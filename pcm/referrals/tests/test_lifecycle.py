"""A referral's life: sent → acknowledged → accepted or declined → provided → closed, each step
with who and when; the plan action is done when the service is provided."""

from __future__ import annotations

import pytest

from pcm.core.errors import ActionRefused, EditConflict
from pcm.notifications.models import Notification, NotificationKind
from pcm.plans.models import ActionStatus
from pcm.referrals.actions import do_move_referral
from pcm.referrals.models import ReferralStatus as S

from .test_sending import send


def move(referral, status, user, text=""):
    return do_move_referral(
        referral, status, text=text, expected_version=referral.version, acting_user=user
    )


def test_the_provider_answers_and_the_plan_action_is_done(
    personas,
    high_risk_case,
    legal_aid,
    referral_action,
    partner_focal_point,
    django_capture_on_commit_callbacks,
):
    referral = send(high_risk_case, legal_aid, personas.caseworker, action=referral_action)
    with django_capture_on_commit_callbacks(execute=True):
        referral = move(referral, S.ACKNOWLEDGED, partner_focal_point)
        referral = move(referral, S.ACCEPTED, partner_focal_point, "We will call her tomorrow")
        referral = move(referral, S.PROVIDED, partner_focal_point, "Lawyer obtained a stay")
    assert referral.status == S.PROVIDED
    assert referral.outcome == "Lawyer obtained a stay"
    assert referral.acknowledged_at and referral.responded_at and referral.provided_at
    steps = list(referral.steps.order_by("at", "id"))
    assert [(step.status, step.by) for step in steps] == [
        ("sent", personas.caseworker),
        ("acknowledged", partner_focal_point),
        ("accepted", partner_focal_point),
        ("provided", partner_focal_point),
    ]
    assert steps[2].note == "We will call her tomorrow"
    referral_action.refresh_from_db()
    assert referral_action.status == ActionStatus.DONE
    assert referral_action.status_changed_by == partner_focal_point
    kinds = Notification.objects.filter(recipient=personas.caseworker).values_list(
        "kind", flat=True
    )
    assert set(kinds) == {NotificationKind.REFERRAL_ANSWERED}
    referral = move(referral, S.CLOSED, personas.caseworker)
    assert referral.status == S.CLOSED and referral.closed_at


def test_a_decline_needs_its_reason_and_is_closed_by_the_caseworker(
    personas, high_risk_case, legal_aid, partner_focal_point
):
    referral = send(high_risk_case, legal_aid, personas.caseworker)
    with pytest.raises(ActionRefused, match="why the referral is declined"):
        move(referral, S.DECLINED, partner_focal_point, "  ")
    referral = move(referral, S.DECLINED, partner_focal_point, "No lawyer free this month")
    assert referral.decline_reason == "No lawyer free this month"
    with pytest.raises(ActionRefused):
        move(referral, S.CLOSED, partner_focal_point)  # closing is the referrer's
    assert move(referral, S.CLOSED, personas.caseworker).status == S.CLOSED


def test_steps_out_of_order_are_refused(personas, high_risk_case, legal_aid, partner_focal_point):
    referral = send(high_risk_case, legal_aid, personas.caseworker)
    with pytest.raises(ActionRefused, match="cannot become"):
        move(referral, S.PROVIDED, partner_focal_point, "x")
    with pytest.raises(ActionRefused):
        move(referral, S.ACCEPTED, personas.caseworker)  # the provider answers in the portal


def test_a_stale_answer_is_refused_and_nothing_is_overwritten(
    personas, high_risk_case, legal_aid, partner_focal_point
):
    referral = send(high_risk_case, legal_aid, personas.caseworker)
    stale_version = referral.version
    move(referral, S.ACCEPTED, partner_focal_point)
    with pytest.raises(EditConflict):
        do_move_referral(
            referral,
            S.WITHDRAWN,
            text="changed my mind",
            expected_version=stale_version,
            acting_user=personas.caseworker,
        )
    referral.refresh_from_db()
    assert referral.status == S.ACCEPTED


def test_a_provider_outside_pcm_is_answered_by_the_caseworker(
    personas, high_risk_case, paper_service, partner_focal_point
):
    referral = send(high_risk_case, paper_service, personas.caseworker)
    assert not referral.through_portal
    with pytest.raises(ActionRefused):
        move(referral, S.ACCEPTED, partner_focal_point)
    referral = move(referral, S.ACCEPTED, personas.caseworker, "Accepted on the phone")
    step = referral.steps.get(status=S.ACCEPTED)
    assert step.on_behalf_of_provider and step.by == personas.caseworker


def test_withdrawing_hides_what_was_shared_from_the_provider(
    personas, client_for, high_risk_case, legal_aid, partner_focal_point
):
    referral = send(high_risk_case, legal_aid, personas.caseworker)
    move(referral, S.WITHDRAWN, personas.caseworker, "She moved away")
    page = client_for(partner_focal_point).get(f"/portal/referrals/{referral.public_id}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "withdrew this referral" in html
    assert "Mariam" not in html and "+964" not in html and "moved away" not in html


def test_withdrawn_consent_hides_what_was_shared_from_the_provider(
    personas, client_for, high_risk_case, legal_aid, partner_focal_point
):
    from .conftest import give_consent

    referral = send(high_risk_case, legal_aid, personas.caseworker)
    give_consent(high_risk_case, withdrawn=True)
    html = client_for(partner_focal_point).get(f"/portal/referrals/{referral.public_id}/")
    assert "Mariam" not in html.content.decode() and "+964" not in html.content.decode()


def test_a_closed_cases_referral_can_still_be_withdrawn_and_its_plan_stays(
    personas, high_risk_case, legal_aid, referral_action, partner_focal_point
):
    from pcm.cases.models import Case, CaseStatus

    referral = send(high_risk_case, legal_aid, personas.caseworker, action=referral_action)
    referral = move(referral, S.ACCEPTED, partner_focal_point)
    Case.objects.filter(pk=high_risk_case.pk).update(status=CaseStatus.CLOSED)
    referral.case.refresh_from_db()
    referral = move(referral, S.PROVIDED, partner_focal_point, "Seen")
    referral_action.refresh_from_db()
    assert referral_action.status == "in_progress"  # a closed case's plan no longer changes
    assert move(referral, S.CLOSED, personas.caseworker).status == S.CLOSED


def test_a_role_without_the_contact_group_cannot_send_the_phone(
    personas, high_risk_case, legal_aid
):
    agency = personas.agency
    agency.field_visibility = {"caseworker": ["identity", "risk"]}
    agency.save()
    personas.caseworker.refresh_from_db()
    with pytest.raises(ActionRefused, match="consent does not cover"):
        send(high_risk_case, legal_aid, personas.caseworker, shared=["name", "phone"])
