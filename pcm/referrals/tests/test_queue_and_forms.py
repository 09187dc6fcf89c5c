"""A late referral surfaces in the caseworker's and the supervisor's queues; the case page
lists the referrals; the referral form (page and PDF) carries only the shared fields."""

from __future__ import annotations

import io
from datetime import timedelta

from django.db.models import F
from django.utils import timezone
from pypdf import PdfReader

from pcm.referrals.actions import do_move_referral
from pcm.referrals.models import Referral, ReferralStatus
from pcm.supervision import overview

from .test_sending import send


def test_a_late_high_risk_referral_appears_in_the_supervisors_queue(
    personas, high_risk_case, legal_aid
):
    """With the clock frozen before and after the answer is due (24 hours for high risk)."""
    sent_at = timezone.now()
    referral = send(high_risk_case, legal_aid, personas.caseworker)
    before, after = sent_at + timedelta(hours=20), sent_at + timedelta(hours=26)

    def overdue_labels(now):
        team = overview.team_overview(personas.supervisor, now)
        mine = overview.caseworker_queue(personas.caseworker, now)
        return [row.item.label for row in team.overdue], [row.item.label for row in mine.overdue]

    label = f"Referral {referral.reference}: answer awaited from Legal aid on housing"
    assert overdue_labels(before) == ([], [])
    assert overdue_labels(after) == ([label], [label])
    assert not referral.is_late(before) and referral.is_late(after)


def test_the_late_referral_shows_on_the_supervisors_page(
    personas, client_for, high_risk_case, legal_aid
):
    referral = send(high_risk_case, legal_aid, personas.caseworker)
    Referral.objects.filter(pk=referral.pk).update(
        sent_at=F("sent_at") - timedelta(hours=26), respond_by=F("respond_by") - timedelta(hours=26)
    )
    page = client_for(personas.supervisor).get("/team/").content.decode()
    overdue_section = page.split("team-overdue-heading", 1)[1]
    assert f"Referral {referral.reference}: answer awaited" in overdue_section


def test_an_answered_referral_is_no_longer_late(
    personas, high_risk_case, legal_aid, partner_focal_point
):
    referral = send(high_risk_case, legal_aid, personas.caseworker)
    referral = do_move_referral(
        referral,
        ReferralStatus.ACCEPTED,
        expected_version=referral.version,
        acting_user=partner_focal_point,
    )
    assert not referral.is_late(timezone.now() + timedelta(days=30))


def test_the_case_page_lists_the_referrals(personas, client_for, high_risk_case, legal_aid):
    referral = send(high_risk_case, legal_aid, personas.caseworker)
    page = client_for(personas.caseworker).get(f"/cases/{high_risk_case.public_id}/")
    html = page.content.decode()
    assert referral.reference in html and "Refer to a service" in html


def test_the_pdf_form_contains_only_the_shared_fields(
    personas, client_for, high_risk_case, legal_aid
):
    referral = send(high_risk_case, legal_aid, personas.caseworker)
    response = client_for(personas.caseworker).get(f"/referrals/{referral.public_id}/form.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Mariam" not in response["Content-Disposition"]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    for shared in ("Mariam Haddad", "+964 750 123 4567", "High", referral.reference):
        assert shared in text
    for withheld in ("Orchard", "A1234567", high_risk_case.number, "Date of birth"):
        assert withheld not in text


def test_the_printable_page_shows_the_same(personas, client_for, high_risk_case, legal_aid):
    referral = send(high_risk_case, legal_aid, personas.caseworker)
    html = client_for(personas.caseworker).get(f"/referrals/{referral.public_id}/form/")
    content = html.content.decode()
    assert "Mariam Haddad" in content and "Orchard" not in content


def test_a_referral_action_leaves_the_plan_queue_once_its_referral_is_sent(
    personas, high_risk_case, legal_aid, referral_action
):
    from pcm.cases.models import Case
    from pcm.plans.queue import plan_actions_due

    PlanAction = type(referral_action)
    PlanAction.objects.filter(pk=referral_action.pk).update(due_on=timezone.localdate())
    cases = Case.objects.visible_to(personas.caseworker)
    assert [item.kind for item in plan_actions_due(cases, timezone.now())] == ["plan_action"]
    send(high_risk_case, legal_aid, personas.caseworker, action=referral_action)
    assert plan_actions_due(cases, timezone.now()) == []
