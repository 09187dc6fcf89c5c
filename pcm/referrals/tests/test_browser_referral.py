"""The bar of issue 5, in Chromium: a caseworker refers a high-risk case to a partner agency's
legal aid sharing three fields; the partner's focal point sees exactly those, accepts and
records the outcome; the caseworker sees it on the case, and the plan action is done."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from pcm.plans.models import ActionStatus
from pcm.referrals.models import Referral, ReferralStatus
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_label("Username")).to_be_visible()


def test_refer_accept_and_record_the_outcome(
    page: Page, personas, high_risk_case, legal_aid, referral_action, partner_focal_point
):
    case = high_risk_case
    sign_in(page, personas.caseworker, f"/cases/{case.public_id}/plan/")
    page.get_by_role("link", name="Refer to a service for action 1").click()
    expect(page.get_by_role("heading", name="Refer to a service")).to_be_visible()
    # The consent does not cover the identity document: it cannot be ticked.
    expect(page.get_by_label("Identity document number")).to_be_disabled()
    page.get_by_label("Service", exact=True).select_option(value=str(legal_aid.pk))
    expect(page.get_by_label("Urgency")).to_have_value("immediate")
    page.get_by_label("Reason for the referral").fill("Threatened with eviction; needs a lawyer.")
    for field in ("Name", "Phone number", "Risk level"):
        page.get_by_label(field, exact=True).check()
    page.get_by_role("button", name="Send the referral").click()
    expect(page.get_by_text("Referral sent. The provider sees it in PCM.")).to_be_visible()
    referral = Referral.objects.get()
    sign_out(page)

    sign_in(page, partner_focal_point, "/")
    expect(page.get_by_role("heading", name="Referrals received")).to_be_visible()
    page.get_by_role("link", name=referral.reference).click()
    rows = page.locator("table.shared-fields tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.locator("th")).to_have_text(["Name", "Phone number", "Risk level"])
    expect(rows.locator("td")).to_have_text(["Mariam Haddad", "+964 750 123 4567", "High"])
    body = page.locator("main").inner_text()
    for withheld in ("Orchard", "A1234567", case.number, "Date of birth", "Legal advice on"):
        assert withheld not in body
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("Your answer is recorded")).to_be_visible()
    page.get_by_label("Outcome: what the service user received (required)").fill(
        "Lawyer assigned; the eviction hearing is postponed."
    )
    page.get_by_role("button", name="Record the service provided").click()
    expect(page.locator(".referral-status")).to_have_text("Service provided")
    sign_out(page)

    sign_in(page, personas.caseworker, f"/cases/{case.public_id}/")
    page.locator("#case-referrals").get_by_role("link", name=referral.reference).click()
    expect(page.locator("#referral-outcome")).to_have_text(
        "Lawyer assigned; the eviction hearing is postponed."
    )
    referral.refresh_from_db()
    referral_action.refresh_from_db()
    assert referral.status == ReferralStatus.PROVIDED
    assert referral_action.status == ActionStatus.DONE
    page.goto(f"/cases/{case.public_id}/plan/")
    expect(page.locator(f"#action-{referral_action.pk}")).to_contain_text("Service provided")
