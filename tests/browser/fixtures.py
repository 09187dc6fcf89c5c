"""Playwright on Debian's Chromium against Django's live test server (loaded once, as a plugin)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
# Playwright's sync API keeps an event loop in the test thread; the ORM calls of fixtures that
# run beside it are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: bin/test installs Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def totp_code(user) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{TOTP(device.bin_key).token():06d}"


def sign_in(page: Page, user, path: str = "/") -> None:
    """Sign in through the real pages: password, then the authenticator code."""
    page.goto(path)
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    # The same user may sign in twice within one 30-second step in a journey: a real app
    # refuses a code used already, so let the test's next code count as new.
    TOTPDevice.objects.filter(user=user).update(last_t=-1)
    page.get_by_label("Code").fill(totp_code(user))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
