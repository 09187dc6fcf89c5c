"""Supervision in a real browser: the team page, a case file check, the today page, a session."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from pcm.supervision.models import CaseFileCheck, SupervisionSession
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

ITEMS = (
    "Consent present",
    "Assessment done",
    "Plan agreed with the service user",
    "Case notes up to date",
    "Deadlines met",
)


def test_a_supervisor_checks_a_file_and_the_caseworker_acts_on_it(
    page: Page,
    personas,
    case_for,
):
    case = case_for(personas.caseworker, first_response_due_at=timezone.now() - timedelta(hours=30))
    sign_in(page, personas.supervisor, "/team/")
    expect(page.get_by_role("heading", name="My team")).to_be_visible()
    overdue = page.get_by_role("table", name="Overdue on your team's cases")
    expect(overdue.get_by_role("row").filter(has_text=case.number)).to_contain_text("Overdue")
    overdue.get_by_role("link", name=case.number, exact=True).click()

    page.get_by_role("link", name="Check the case file").click()
    expect(page.get_by_text("No consent is recorded for this case.")).to_be_visible()
    for item in ITEMS:
        answer = "No" if item == "Consent present" else "Yes"
        page.get_by_role("group", name=item).get_by_label(answer, exact=True).check()
    page.get_by_label("Action needed from the caseworker").fill("Record the consent.")
    page.get_by_role("button", name="Record the check").click()
    expect(page.get_by_text("The case file check is recorded.")).to_be_visible()
    assert CaseFileCheck.objects.get(case=case).consent_present == "no"

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, personas.caseworker, "/today/")
    today = page.get_by_role("table", name="Due today")
    today.get_by_role("link", name="Action from the case file check").click()
    page.get_by_role("button", name="Report the action done").click()
    expect(page.get_by_text("The action is reported done.")).to_be_visible()
    assert not CaseFileCheck.objects.get(case=case).action_pending


def test_a_supervisor_records_a_session_the_caseworker_then_reads(
    page: Page,
    personas,
    case_for,
):
    case = case_for(personas.caseworker)
    sign_in(page, personas.supervisor, "/team/")
    page.get_by_role("link", name="Record a session with Layla Hassan").click()
    page.get_by_role("group", name="Type of session").get_by_label("Individual").check()
    page.get_by_role("group", name="Cases discussed").get_by_label(case.number).check()
    page.get_by_label("Well-being and self-care check").fill("Tired; agreed to rest more.")
    page.get_by_label("Agreed action 1").fill("Take the day off owed")
    page.get_by_role("button", name="Record the session").click()
    expect(page.get_by_text("The supervision session is recorded.")).to_be_visible()
    assert SupervisionSession.objects.filter(caseworker=personas.caseworker).exists()

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, personas.caseworker, "/today/")
    expect(page.get_by_text("Take the day off owed", exact=True)).to_be_visible()
    page.get_by_role("link", name="Your supervision sessions").click()
    expect(page.get_by_text("Tired; agreed to rest more.")).to_be_visible()
    page.get_by_role("button", name=re.compile(r"^Mark done.*Take the day off owed$")).click()
    expect(page.get_by_text("The agreed action is marked done.")).to_be_visible()
