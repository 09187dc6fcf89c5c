"""Steps 4 and 5 in a real browser: a note, cash support, a conference, then follow-up."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import Personas
from pcm.cases.models import Case, CaseStatus
from pcm.casework.models import CaseNote, DirectSupport, FollowUp
from pcm.casework.tests.conftest import local_input
from pcm.plans.models import PlanAction
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_a_caseworker_records_the_work_and_moves_the_case_to_follow_up(
    page: Page,
    personas: Personas,
    case_for: Callable[..., Case],
) -> None:
    case = case_for(
        personas.caseworker,
        status=CaseStatus.IMPLEMENTATION,
        opened_at=timezone.now() - timedelta(days=5),
    )
    sign_in(page, personas.caseworker, f"/cases/{case.public_id}/")

    page.get_by_role("link", name="Add a case note").click()
    contact = local_input(case, timezone.now() - timedelta(hours=3))
    page.get_by_label("Date and time of the contact").fill(contact)
    page.get_by_label("Mode").select_option(label="Home visit")
    page.get_by_label("Place").fill("Relative's home")
    page.get_by_label("Duration in minutes").fill("40")
    page.get_by_label("Narrative").fill("She is safe at her sister's; agreed on cash for rent.")
    page.get_by_role("button", name="Save the case note").click()
    expect(page.get_by_text("The case note is saved.")).to_be_visible()

    page.get_by_role("link", name="Record direct support").click()
    page.get_by_label("Type of support").select_option(label="Cash assistance")
    page.get_by_label("Amount").fill("250000")
    page.get_by_label("Currency").fill("IRQ")
    page.get_by_label("Purpose").fill("Rent for two months")
    page.get_by_role("button", name="Save the support record").click()
    expect(page.get_by_text("“IRQ” is not an ISO 4217 currency code")).to_be_visible()
    expect(page.get_by_label("Currency")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Currency").fill("IQD")
    page.get_by_role("button", name="Save the support record").click()
    expect(page.get_by_text("250,000 IQD")).to_be_visible()

    page.get_by_role("link", name="Record a case conference").click()
    page.get_by_label("Participants").fill("Layla Hassan (caseworker); shelter manager")
    page.get_by_label("Decisions").fill("Move her to the shelter for four weeks.")
    page.get_by_label("Action").first.fill("Accompany her to the shelter intake")
    page.get_by_label("Who does it").first.select_option(label="Caseworker")
    soon = (timezone.localdate() + timedelta(days=3)).isoformat()
    page.get_by_label("Due date").first.fill(soon)
    page.get_by_role("button", name="Save the case conference").click()
    expect(page.get_by_text("The case conference is recorded")).to_be_visible()

    page.get_by_role("link", name="Start follow-up").click()
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    page.get_by_label("Due date").fill(due)
    page.get_by_label("Purpose").fill("Check she settled in at the shelter")
    page.get_by_label("Mode").select_option(label="Phone")
    page.get_by_role("button", name="Move the case to follow-up").click()
    expect(page.get_by_text("The case is now in follow-up.")).to_be_visible()

    page.get_by_role("link", name="Record this follow-up").click()
    page.get_by_label("Outcome").fill("She settled in; no new concern.")
    page.get_by_role("button", name="Save the follow-up").click()
    expect(page.get_by_text("The follow-up is recorded.")).to_be_visible()

    page.get_by_role("link", name="Case-work history").click()
    expect(page.get_by_role("heading", name="Case note")).to_be_visible()
    expect(page.get_by_role("heading", name="Follow-up done")).to_be_visible()

    case.refresh_from_db()
    assert case.status == CaseStatus.FOLLOW_UP
    assert case.first_response_at == CaseNote.objects.get(case=case).contact_at
    assert DirectSupport.objects.get(case=case).currency == "IQD"
    assert FollowUp.objects.get(case=case).outcome == "She settled in; no new concern."
    assert PlanAction.objects.filter(case=case, source="conference").count() == 1
