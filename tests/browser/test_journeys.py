"""The foundation's journeys in a real browser: sign-in, intake, reassignment, RTL, refusal."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from pcm.cases.models import Case
from tests.browser.conftest import sign_in, totp_code
from tests.factories import PASSWORD, LocationFactory, UserFactory

pytestmark = pytest.mark.browser


def test_sign_in_with_password_and_totp(page: Page, personas):
    page.goto("/cases/")
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/"))
    page.get_by_label("Username").fill("layla")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("The username or password is not correct")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_text("This code is not valid")).to_be_visible()
    expect(page.get_by_label("Code")).to_have_attribute("aria-invalid", "true")


def test_sign_in_lands_where_the_user_was_going(page: Page, personas):
    sign_in(page, personas.caseworker, "/cases/")
    expect(page.get_by_role("heading", name="Cases", exact=True)).to_be_visible()


def test_first_sign_in_enrols_an_authenticator(page: Page, personas):
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    newcomer = UserFactory.create(username="newcomer", agency=personas.agency, with_totp=False)
    page.goto("/")
    page.get_by_label("Username").fill("newcomer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Set up two-factor authentication")).to_be_visible()
    expect(page.get_by_role("img", name="QR code with your secret key")).to_be_visible()
    device = TOTPDevice.objects.get(user=newcomer, confirmed=False)
    code = f"{TOTP(device.bin_key).token():06d}"
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page.get_by_role("heading", name="Your backup codes")).to_be_visible()
    expect(page.get_by_role("list", name="Backup codes").get_by_role("listitem")).to_have_count(10)


def test_a_caseworker_registers_a_person_and_opens_a_case(page: Page, personas):
    iraq = LocationFactory.create(name="Iraq", pcode="IQ", level=0)
    LocationFactory.create(name="Ninewa", pcode="IQG15", parent=iraq)
    sign_in(page, personas.caseworker)
    page.get_by_role("link", name="Register a person").first.click()
    # Search first, so that nobody is registered twice.
    page.get_by_label("Name").fill("Zainab Al-Tamimi")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("Nobody you can see matches")).to_be_visible()
    expect(page.get_by_label("Given name")).to_have_value("Zainab")
    page.get_by_label("Given name").fill("")
    page.get_by_role("button", name="Register and open the case").click()
    # Errors sit next to their fields and nothing is saved.
    given = page.get_by_label("Given name")
    expect(given).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_given_name_errors")).to_have_text("This field is required.")
    assert Case.objects.count() == 0

    given.fill("Zainab")
    page.get_by_label("Sex").select_option(label="Female")
    page.get_by_label("Estimated age in years").fill("34")
    page.get_by_label("Phone number").fill("+964 770 123 4567")
    page.get_by_label("Location").select_option(label="Ninewa (IQG15)")
    page.get_by_label("Displacement status").select_option(label="Internally displaced person")
    page.get_by_label("Arabic").check()
    page.get_by_label("Kurdish").check()
    page.get_by_label("Psychological/emotional abuse or inflicted distress").check()
    page.get_by_label("Eligible: meets the intake criteria").check()
    page.get_by_label("Reason for the decision").fill("Threats from a neighbour; violence.")
    page.get_by_label("Risk level").select_option(label="High")
    page.get_by_role("button", name="Register and open the case").click()

    case = Case.objects.get()
    expect(page.get_by_role("heading", name=case.number)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text(f"Case {case.number} is open.")
    expect(page.get_by_text("Zainab Al-Tamimi")).to_be_visible()
    assert case.assigned_to == personas.caseworker

    # Search by name (posted, never in the address bar) finds it.
    page.get_by_role("link", name="Cases", exact=True).click()
    page.get_by_label("Case number or name").fill("zainab")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name=case.number)).to_be_visible()
    assert "zainab" not in page.url.lower()


def test_a_supervisor_reassigns_a_case(page: Page, personas, case_for):
    teammate = UserFactory.create(
        username="rasha", first_name="Rasha", last_name="Ali", agency=personas.agency
    )
    teammate.team = personas.team
    teammate.save()
    case = case_for(personas.caseworker)
    sign_in(page, personas.supervisor)
    page.get_by_role("link", name="Cases", exact=True).click()
    page.get_by_role("link", name=case.number).click()
    expect(page.locator("#assigned-caseworker")).to_have_text("Layla Hassan")
    page.get_by_label("New caseworker").select_option(label="Rasha Ali — Mosul team A")
    page.get_by_role("button", name="Reassign").click()
    expect(page.get_by_role("status")).to_contain_text("is now assigned to Rasha Ali")
    expect(page.locator("#assigned-caseworker")).to_have_text("Rasha Ali")
    case.refresh_from_db()
    assert case.assigned_to == teammate


def test_the_arabic_interface_reads_right_to_left(page: Page, personas, case_for):
    case_for(personas.caseworker)
    sign_in(page, personas.caseworker, "/cases/")
    page.get_by_label("Language").select_option(value="ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # The brand sits on the right in a right-to-left layout.
    brand = page.locator(".navbar-brand").bounding_box()
    assert brand is not None
    viewport = page.viewport_size
    assert viewport is not None
    assert brand["x"] > viewport["width"] / 2
    assert "bootstrap.rtl.min.css" in page.content()


def test_a_caseworker_is_refused_another_caseworkers_case(page: Page, personas, case_for):
    theirs = case_for(personas.other_caseworker)
    sign_in(page, personas.caseworker)
    response = page.goto(f"/cases/{theirs.public_id}/")
    assert response is not None and response.status == 404
    expect(
        page.get_by_role("heading", name="This page does not exist, or you do not have access")
    ).to_be_visible()
    content = page.content()
    assert theirs.person.given_name not in content
    assert theirs.number not in content


def test_the_case_list_fits_a_phone_screen(browser, live_server, personas, case_for):
    for _ in range(5):
        case_for(personas.caseworker)
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, is_mobile=True
    )
    page = context.new_page()
    sign_in_mobile(page, personas.caseworker)
    page.goto("/cases/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    expect(page.get_by_role("button", name="Show the menu")).to_be_visible()
    context.close()


def sign_in_mobile(page: Page, user) -> None:
    page.goto("/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code").fill(totp_code(user))
    page.get_by_role("button", name="Verify").click()


def test_keyboard_alone_signs_in_and_skips_to_the_content(page: Page, personas):
    page.goto("/")
    expect(page.get_by_label("Username")).to_be_focused()  # the form takes the focus
    page.keyboard.type("layla")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    expect(page.get_by_label("Code")).to_be_focused()
    page.keyboard.type(totp_code(personas.caseworker))
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    # The code is checked, then the browser is redirected: the first Tab must reach the page that
    # has finished loading, not one still being replaced.
    page.wait_for_url("**/today/")
    page.wait_for_load_state("load")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()


def _screen(page: Page, risk: str, *, age: str) -> None:
    page.get_by_role("link", name="Register a person").first.click()
    page.get_by_label("Phone number").fill("+964 750 999 0000")
    page.get_by_role("button", name="Search").click()
    page.get_by_label("Given name").fill("Noor")
    page.get_by_label("Sex").select_option(label="Female")
    page.get_by_label("Estimated age in years").fill(age)
    page.get_by_label("Displacement status").select_option(label="Returnee")
    page.get_by_label(risk).check()
    page.get_by_label("Eligible: meets the intake criteria").check()
    page.get_by_label("Reason for the decision").fill("Screened at the community centre.")
    page.get_by_label("Risk level").select_option(label="Medium")
    page.get_by_role("button", name="Register and open the case").click()


def test_a_child_and_a_gbv_survivor_are_routed_to_specialised_case_management(page: Page, personas):
    from pcm.cases.intake import ContactRecord

    sign_in(page, personas.caseworker)
    _screen(page, "Psychological/emotional abuse or inflicted distress", age="16")
    expect(page.get_by_role("alert")).to_contain_text("This person is a child")
    page.get_by_label("Information or referral given").fill("Referred to child protection.")
    page.get_by_role("button", name="Record the referral (no case)").click()
    expect(page.get_by_role("status")).to_contain_text("No case was opened")

    _screen(page, "Gender-based violence", age="30")
    expect(page.get_by_role("alert")).to_contain_text("Gender-based violence")
    page.get_by_label("Information or referral given").fill("Referred to the GBV service.")
    page.get_by_role("button", name="Record the referral (no case)").click()
    expect(page.get_by_role("status")).to_contain_text("No case was opened")

    assert Case.objects.count() == 0
    assert sorted(ContactRecord.objects.values_list("kind", flat=True)) == [
        "child_protection",
        "gbv",
    ]
