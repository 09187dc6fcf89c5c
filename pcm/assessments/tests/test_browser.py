"""In a real browser: a caseworker records an assessment whose self-harm answer raises an alert."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from pcm.assessments.scoring import PHQ9_ITEMS, WG_DOMAINS
from pcm.cases.models import CaseStatus
from pcm.cases.taxonomy import RiskType
from pcm.notifications.models import Notification, NotificationKind
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_a_caseworker_records_an_assessment_and_sees_the_safety_alert(
    page: Page, personas, case_for
):
    case = case_for(personas.caseworker, status=CaseStatus.ASSESSMENT)
    risk = RiskType.objects.filter(agency=personas.agency, code="PAF-12").get()
    sign_in(page, personas.caseworker, f"/cases/{case.public_id}/")
    section = page.get_by_role("region", name="2. Protection risk assessment")
    section.get_by_role("link", name="Record the assessment").click()

    page.get_by_label(risk.name).select_option(label="Armed actor")
    page.get_by_role("group", name="Needs by sector").get_by_label("Legal assistance").check()
    page.get_by_label("Strengths and coping").fill("Keeps a daily routine for the children.")
    page.get_by_role("group", name="Is the person safe now?").get_by_label(
        "Safe now", exact=True
    ).check()
    for number, item in enumerate(PHQ9_ITEMS, start=1):
        answer = "Several days" if number in (2, 9) else "Not at all"
        group = page.get_by_role("group", name=f"{number}. {item}")
        group.get_by_label(answer, exact=True).check()
    for _name, _domain, question in WG_DOMAINS:
        page.get_by_role("group", name=str(question)).get_by_label(
            "No, no difficulty", exact=True
        ).check()
    page.get_by_label("Overall risk level").select_option(label="High")
    summary = page.get_by_role("textbox", name="Summary", exact=True)
    summary.fill("Extortion at the market; stopped working.")
    page.get_by_role("button", name="Record the assessment").click()

    alert = page.get_by_role("alert").filter(has_text="Immediate safety alert")
    expect(alert).to_be_visible()
    expect(page.get_by_text("Case action planning", exact=True)).to_be_visible()
    expect(section.get_by_text("2 of 27 · Minimal")).to_be_visible()
    assert Notification.objects.filter(
        recipient=personas.supervisor, kind=NotificationKind.SAFETY_ALERT
    ).exists()
