"""Step 6 in a real browser: closure sent back, then approved, a survey; a transfer accepted."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from pcm.cases.models import CaseStatus
from pcm.closure.models import SatisfactionSurvey
from pcm.closure.tests.conftest import give_consent
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def signed_in(browser: Browser, live_server) -> Iterator[Callable[..., Page]]:
    """signed_in(user, path): a page of USER's own browser, signed in once (a TOTP code
    cannot be used twice, so each user keeps their session)."""
    contexts = []

    def make(user, path: str) -> Page:
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        sign_in(page, user, path)
        return page

    yield make
    for context in contexts:
        context.close()


def test_a_case_is_closed_with_approval_and_a_survey(page: Page, signed_in, personas, case):
    path = f"/cases/{case.public_id}/"
    sign_in(page, personas.caseworker, path)
    page.get_by_role("link", name="Request closure").click()
    page.get_by_label("The case action plan's goals are met").check()
    page.get_by_label("Closing summary").fill("Goals met; she feels safe and agreed to close.")
    page.get_by_role("button", name="Request closure").click()
    expect(page.get_by_text("Closure requested.")).to_be_visible()

    supervisor = signed_in(personas.supervisor, path)
    supervisor.get_by_label("Comment for the caseworker").fill("Record the last follow-up first.")
    supervisor.get_by_role("button", name="Send the closure request back").click()
    expect(supervisor.get_by_text("sent back to the caseworker")).to_be_visible()

    page.goto(path)
    expect(page.get_by_text("Record the last follow-up first.")).to_be_visible()
    page.get_by_role("link", name="Request closure").click()
    page.get_by_label("The protection risk is reduced").check()
    page.get_by_label("Closing summary").fill("Follow-up done on 3 May; risk now low.")
    page.get_by_role("button", name="Request closure").click()
    page.get_by_role("link", name="Record the satisfaction survey").click()
    page.get_by_label("Offered, and the service user answered").check()
    for question in (
        "Overall, are you satisfied",
        "Were you treated with dignity",
        "Did you feel safe",
        "Were you involved in the decisions",
        "Has your situation improved",
    ):
        page.get_by_role("group", name=question).get_by_label("5 — completely").check()
    page.get_by_role("group", name="Would you recommend").get_by_label("Yes").check()
    page.get_by_role("button", name="Record the survey").click()
    expect(page.get_by_text("The survey is recorded")).to_be_visible()

    supervisor.goto(path)
    supervisor.get_by_role("button", name="Approve the closure").click()
    expect(supervisor.get_by_text("Closure approved")).to_be_visible()
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert SatisfactionSurvey.objects.count() == 1


def test_a_case_moves_to_another_agency(page: Page, signed_in, personas, case):
    give_consent(case, personas.other_agency)
    sign_in(page, personas.caseworker, f"/cases/{case.public_id}/")
    page.get_by_role("link", name="Transfer to another agency").click()
    page.get_by_label("Receiving agency").select_option(label="Kalyna Relief")
    page.get_by_label("Reason for the transfer").fill("Moved to Kharkiv with her sister.")
    page.get_by_role("button", name="Request the transfer").click()
    expect(page.get_by_text("waiting for their decision")).to_be_visible()

    page = signed_in(personas.outsider_supervisor, "/transfers/incoming/")
    page.get_by_role("link", name=f"Decide on {case.number}").click()
    page.get_by_label("Team").select_option(label="Kharkiv team")
    page.get_by_label("Caseworker").select_option(label="Olena Koval — Kharkiv team")
    page.get_by_role("button", name="Accept the transfer").click()
    expect(page.get_by_text("The case is now with your agency")).to_be_visible()
    case.refresh_from_db()
    assert case.agency == personas.other_agency
    assert case.assigned_to == personas.outsider
