"""Step 3 in a real browser: a high-risk plan sent back, revised, approved; a safety plan."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from conftest import Personas
from pcm.cases.models import Case, CaseStatus, RiskLevel
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


def test_a_high_risk_plan_is_sent_back_then_approved_and_a_safety_plan_printed(
    page: Page,
    personas: Personas,
    case_for: Callable[..., Case],
) -> None:
    case = case_for(personas.caseworker, status=CaseStatus.PLANNING, risk_level=RiskLevel.HIGH)
    case_path = f"/cases/{case.public_id}/"

    sign_in(page, personas.caseworker, case_path)
    page.get_by_role("link", name="Prepare the plan").click()
    page.get_by_label("Goal").first.fill("Feel safe at home")
    page.get_by_label("Action", exact=True).first.fill("Call the shelter with her")
    page.get_by_label("Due date").first.fill("2030-01-15")
    page.get_by_label("For goal").first.select_option(label="Goal 1")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("Draft saved as version 1")).to_be_visible()
    page.get_by_label("I went through these goals and actions with the service user").check()
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("sent to the supervisor for approval")).to_be_visible()
    sign_out(page)

    sign_in(page, personas.supervisor, case_path + "plan/")
    page.get_by_role("link", name="Review and decide").click()
    page.get_by_role("button", name="Send the plan back").click()
    expect(
        page.get_by_text("Say in a comment what the caseworker should change.").first
    ).to_be_visible()
    page.get_by_label("What should the caseworker change?").fill("Add an action on safety.")
    page.get_by_role("button", name="Send the plan back").click()
    expect(page.get_by_text("The plan was sent back to the caseworker.")).to_be_visible()
    sign_out(page)

    sign_in(page, personas.caseworker, case_path + "plan/")
    page.get_by_role("link", name="Revise the plan").click()
    expect(page.get_by_text("Add an action on safety.")).to_be_visible()
    page.get_by_label("Action", exact=True).nth(1).fill("Make a safety plan together")
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_label("I went through these goals and actions with the service user").check()
    page.get_by_role("button", name="Submit for approval").click()
    sign_out(page)

    sign_in(page, personas.supervisor, case_path + "plan/versions/2/")
    page.get_by_role("button", name="Approve the plan").click()
    expect(page.get_by_text("The plan is approved and now in force.")).to_be_visible()
    sign_out(page)

    sign_in(page, personas.caseworker, case_path + "plan/")
    expect(page.get_by_role("heading", name="Plan in force · version 2, Approved")).to_be_visible()
    page.get_by_label("Status of action 1").select_option(label="Done")
    page.get_by_role("button", name="Update action 1").click()
    expect(page.get_by_text("Action 1 is now “Done”.")).to_be_visible()

    page.get_by_role("link", name="Safety plan").click()
    page.get_by_role("link", name="Make a safety plan").click()
    page.get_by_label("What to do in an emergency").fill("Go to her sister's house.")
    page.get_by_label("Name").first.fill("Mariam")
    page.get_by_label("Phone").first.fill("+964 750 123 4567")
    page.get_by_role("button", name="Save the safety plan").click()
    expect(page.get_by_text("The safety plan is saved.")).to_be_visible()
    page.get_by_role("link", name="Printable page").click()
    expect(page.get_by_role("heading", name="My safety plan")).to_be_visible()
    expect(page.get_by_text("This page carries personal data.")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main menu")).to_be_hidden()
    expect(page.get_by_text("This page carries personal data.")).to_be_hidden()
    expect(page.get_by_text("+964 750 123 4567")).to_be_visible()
    case.refresh_from_db()
    assert case.status == CaseStatus.IMPLEMENTATION
