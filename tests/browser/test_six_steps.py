"""One case through all six steps, across a caseworker and her supervisor, in real Chromium.

Intake with consent, an assessment, a high-risk plan sent back once and then approved, a
safety plan, a case note, a case conference, a follow-up, closure with the supervisor's
approval and the satisfaction survey.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from pcm.assessments.scoring import PHQ9_ITEMS, WG_DOMAINS
from pcm.cases.models import Case, CaseStatus
from pcm.closure.forms import QUESTIONS
from tests.browser.conftest import sign_in
from tests.factories import LocationFactory

pytestmark = pytest.mark.browser


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


def test_a_case_goes_through_the_six_steps(page: Page, personas):
    iraq = LocationFactory.create(name="Iraq", pcode="IQ", level=0)
    LocationFactory.create(name="Ninewa", pcode="IQG15", parent=iraq)
    soon = (timezone.localdate() + timedelta(days=10)).isoformat()

    # 1. Intake: search, register with the screening, record consent, complete the intake.
    sign_in(page, personas.caseworker)
    page.get_by_role("link", name="Register a person").first.click()
    page.get_by_label("Name").fill("Amina Saleh")
    page.get_by_role("button", name="Search").click()
    page.get_by_label("Sex").select_option(label="Female")
    page.get_by_label("Estimated age in years").fill("38")
    page.get_by_label("Displacement status").select_option(label="Internally displaced person")
    page.get_by_label(
        "Theft, extortion, forced eviction or destruction of personal property"
    ).check()
    page.get_by_label("Eligible: meets the intake criteria").check()
    page.get_by_label("Reason for the decision").fill("Extorted at the market by an armed group.")
    page.get_by_label("Risk level").select_option(label="High")
    page.get_by_role("button", name="Register and open the case").click()
    case = Case.objects.get()
    path = f"/cases/{case.public_id}/"
    expect(page.get_by_text("No consent recorded yet")).to_be_visible()
    page.get_by_role("link", name="Record consent").click()
    page.get_by_label("The service user", exact=True).check()
    page.get_by_label("Verbal").check()
    page.get_by_label("When").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Case management").check()
    page.get_by_label("Referrals to services").check()
    page.get_by_label("Phone calls").check()
    page.get_by_label("Contact restrictions").fill("No calls after 6 pm.")
    page.get_by_role("button", name="Record this consent").click()
    page.get_by_role("button", name="Complete the intake").click()
    expect(page.get_by_text("Intake complete")).to_be_visible()

    # 2. Assessment.
    page.get_by_role("link", name="Record the assessment").click()
    risk_label = "Theft, extortion, forced eviction or destruction of personal property"
    page.get_by_label(risk_label).select_option(label="Armed actor")
    page.get_by_role("group", name="Needs by sector").get_by_label("Legal assistance").check()
    page.get_by_label("Strengths and coping").fill("Her brother supports her.")
    page.get_by_role("group", name="Is the person safe now?").get_by_label(
        "Not safe now", exact=True
    ).check()
    page.get_by_label("About immediate safety").fill("The group returns every week.")
    for number, item in enumerate(PHQ9_ITEMS, start=1):
        group = page.get_by_role("group", name=f"{number}. {item}")
        group.get_by_label("Several days" if number < 4 else "Not at all", exact=True).check()
    for _name, _domain, question in WG_DOMAINS:
        page.get_by_role("group", name=str(question)).get_by_label(
            "No, no difficulty", exact=True
        ).check()
    page.get_by_label("Overall risk level").select_option(label="High")
    page.get_by_role("textbox", name="Summary", exact=True).fill("Extortion; unsafe at home.")
    page.get_by_role("button", name="Record the assessment").click()
    expect(page.get_by_text("Case action planning", exact=True)).to_be_visible()

    # 3. A high-risk plan: submitted, sent back once, revised, approved; a safety plan.
    page.get_by_role("link", name="Prepare the plan").click()
    page.get_by_label("Goal").first.fill("Feel safe at the market again")
    page.get_by_label("Action", exact=True).first.fill("Refer to legal aid")
    page.get_by_label("Due date").first.fill(soon)
    page.get_by_label("For goal").first.select_option(label="Goal 1")
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_label("I went through these goals and actions with the service user").check()
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("sent to the supervisor for approval")).to_be_visible()
    sign_out(page)

    sign_in(page, personas.supervisor, path + "plan/")
    page.get_by_role("link", name="Review and decide").click()
    page.get_by_label("What should the caseworker change?").fill("Add a safety action.")
    page.get_by_role("button", name="Send the plan back").click()
    expect(page.get_by_text("The plan was sent back to the caseworker.")).to_be_visible()
    sign_out(page)

    sign_in(page, personas.caseworker, path + "plan/")
    page.get_by_role("link", name="Revise the plan").click()
    page.get_by_label("Action", exact=True).nth(1).fill("Make a safety plan together")
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_label("I went through these goals and actions with the service user").check()
    page.get_by_role("button", name="Submit for approval").click()
    sign_out(page)

    sign_in(page, personas.supervisor, path + "plan/versions/2/")
    page.get_by_role("button", name="Approve the plan").click()
    expect(page.get_by_text("The plan is approved and now in force.")).to_be_visible()
    sign_out(page)

    sign_in(page, personas.caseworker, path + "plan/")
    page.get_by_role("link", name="Safety plan").click()
    page.get_by_role("link", name="Make a safety plan").click()
    page.get_by_label("What to do in an emergency").fill("Go to her brother's house.")
    page.get_by_label("Name").first.fill("Yusuf")
    page.get_by_label("Phone").first.fill("+964 750 555 0101")
    page.get_by_role("button", name="Save the safety plan").click()
    expect(page.get_by_text("The safety plan is saved.")).to_be_visible()

    # 4. Implementation: a case note and a case conference whose action lands in the plan.
    page.goto(path)
    page.get_by_role("link", name="Add a case note").click()
    page.get_by_label("Date and time of the contact").fill(
        timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_label("Mode").select_option(label="Home visit")
    page.get_by_label("Place").fill("Her brother's home")
    page.get_by_label("Duration in minutes").fill("45")
    page.get_by_label("Narrative").fill("Went through the safety plan; legal aid appointment set.")
    page.get_by_role("button", name="Save the case note").click()
    expect(page.get_by_text("The case note is saved.")).to_be_visible()
    page.get_by_role("link", name="Record a case conference").click()
    page.get_by_label("Participants").fill("Caseworker; legal aid lawyer")
    page.get_by_label("Decisions").fill("File a complaint with the court.")
    page.get_by_label("Action").first.fill("Accompany her to the court")
    page.get_by_label("Who does it").first.select_option(label="Caseworker")
    page.get_by_label("Due date").first.fill(soon)
    page.get_by_role("button", name="Save the case conference").click()
    expect(page.get_by_text("The case conference is recorded")).to_be_visible()

    # 5. Follow-up.
    page.get_by_role("link", name="Start follow-up").click()
    page.get_by_label("Due date").fill(soon)
    page.get_by_label("Purpose").fill("Check the court date went well")
    page.get_by_label("Mode").select_option(label="Phone")
    page.get_by_role("button", name="Move the case to follow-up").click()
    expect(page.get_by_text("The case is now in follow-up.")).to_be_visible()
    page.get_by_role("link", name="Record this follow-up").click()
    page.get_by_label("Outcome").fill("The complaint is filed; she feels safer.")
    page.get_by_role("button", name="Save the follow-up").click()
    expect(page.get_by_text("The follow-up is recorded.")).to_be_visible()

    # 6. Closure with the supervisor's approval, and the satisfaction survey.
    page.goto(path)
    page.get_by_role("link", name="Request closure").click()
    page.get_by_label("The protection risk is reduced").check()
    page.get_by_label("Closing summary").fill("Complaint filed, no new threats for a month.")
    page.get_by_role("button", name="Request closure").click()
    expect(page.get_by_text("Closure requested.")).to_be_visible()
    page.get_by_role("link", name="Record the satisfaction survey").click()
    page.get_by_label("Offered, and the service user answered").check()
    for question in QUESTIONS.values():
        page.get_by_role("group", name=str(question)).get_by_label("5 — completely").check()
    page.get_by_role("group", name="Would you recommend").get_by_label("Yes").check()
    page.get_by_role("button", name="Record the survey").click()
    expect(page.get_by_text("The survey is recorded")).to_be_visible()
    sign_out(page)

    sign_in(page, personas.supervisor, path)
    page.get_by_role("button", name="Approve the closure").click()
    expect(page.get_by_text("Closure approved")).to_be_visible()
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
