"""A supervisor exports their team's caseload: confirms it's them, watches it finish, downloads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from pcm.jobs.testing import run_pending_jobs
from pcm.vault.archive import read_encrypted_zip
from tests.browser.conftest import sign_in, totp_code
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

ARCHIVE_PASSWORD = "lock it before the taxi"


def test_a_supervisor_exports_and_downloads_the_caseload(
    page: Page, personas, case_for, tmp_path: Path
):
    case = case_for(personas.caseworker, number="APN-IQ-2026-00077")
    sign_in(page, personas.supervisor, "/")
    page.get_by_role("link", name="Exports").click()

    # A sensitive action: the password and a code again.
    expect(page.get_by_role("heading", name="Confirm it's you")).to_be_visible()
    page.get_by_label("Password").fill(PASSWORD)
    TOTPDevice.objects.filter(user=personas.supervisor).update(last_t=-1)
    page.get_by_label("Code").fill(totp_code(personas.supervisor))
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", name="Export the caseload")).to_be_visible()
    page.get_by_label("All cases, open and closed").check()
    page.get_by_label("Password for the archive").fill(ARCHIVE_PASSWORD)
    page.get_by_label("The same password again").fill("not the same password")
    page.get_by_role("button", name="Start the export").click()
    expect(page.get_by_text("The two passwords are not the same")).to_be_visible()
    expect(page.get_by_label("All cases, open and closed")).to_be_checked()

    page.get_by_label("Password for the archive").fill(ARCHIVE_PASSWORD)
    page.get_by_label("The same password again").fill(ARCHIVE_PASSWORD)
    page.get_by_role("button", name="Start the export").click()
    expect(page.get_by_role("heading", name="Caseload export")).to_be_visible()
    expect(page.get_by_text("Waiting for the background worker")).to_be_visible()

    # The worker's part, here in the test's thread; the page notices by itself.
    assert run_pending_jobs() == 1
    download_button = page.get_by_role("link", name=re.compile(r"^Download APN-caseload-"))
    expect(download_button).to_be_visible(timeout=8_000)
    expect(page.get_by_text("1 of 1 done")).to_be_visible()

    with page.expect_download() as info:
        download_button.click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    files = read_encrypted_zip(saved.read_bytes(), ARCHIVE_PASSWORD)
    table = next(content for name, content in files.items() if name.endswith(".csv"))
    assert case.number in table.decode("utf-8-sig")
    assert "README.txt" in files

    page.get_by_role("link", name="Back to exports").click()
    expect(page.get_by_role("link", name=saved.name)).to_be_visible()
