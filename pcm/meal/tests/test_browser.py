"""In a real browser: a MEAL officer filters the dashboard, sees charts and suppressed cells,
and exports a table to XLSX whose second row holds the HXL hashtags."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from pcm.jobs.testing import run_pending_jobs
from tests.browser.conftest import sign_in
from tests.factories import CaseFactory, LocationFactory, PersonFactory

pytestmark = pytest.mark.browser


def test_a_meal_officer_filters_sees_charts_and_exports(page: Page, personas, tmp_path: Path):
    ninewa = LocationFactory.create(pcode="IQG01", name="Ninewa", level=1)
    erbil = LocationFactory.create(pcode="IQG02", name="Erbil", level=1)
    opened = timezone.now() - timedelta(days=3)
    for number, (place, risk) in enumerate(
        [(ninewa, "high")] * 7 + [(ninewa, "low")] * 2 + [(erbil, "medium")] * 5
    ):
        person = PersonFactory.create(
            agency=personas.agency, registered_by=personas.caseworker, location=place
        )
        CaseFactory.create(
            assigned_to=personas.caseworker,
            person=person,
            risk_level=risk,
            opened_at=opened - timedelta(hours=number),
            number=f"APN-IQ-2026-9{number:04d}",
        )
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    sign_in(page, personas.meal_officer, "/")
    page.get_by_role("link", name="MEAL dashboard").click()
    expect(page.get_by_role("heading", name="MEAL dashboard")).to_be_visible()

    # The year the cases above were opened in (three days ago), chosen in the period list.
    opened_in = timezone.localdate(timezone.now() - timedelta(days=3)).year
    page.get_by_label("Period", exact=True).select_option(value=str(opened_in))
    page.get_by_label("Location", exact=True).select_option(label="Ninewa (IQG01)")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text(re.compile(r"^Period: "))).to_be_visible()

    indicators = page.get_by_role("table", name=re.compile("Each indicator for the period"))
    new_cases = indicators.get_by_role("row", name=re.compile("New cases"))
    expect(new_cases.get_by_role("cell", name="9", exact=True).first).to_be_visible()

    # Charts drawn by Chart.js from the page's JSON, each with its table view.
    chart = page.get_by_role("img", name=re.compile(r"^New cases by risk level\."))
    expect(chart).to_be_visible()
    assert (
        page.evaluate(
            "() => Array.from(document.querySelectorAll('canvas[data-meal-chart]'))"
            ".filter(c => window.Chart.getChart(c)).length"
        )
        >= 5
    )
    section = page.get_by_role("region", name="New cases by risk level")
    section.get_by_text("Table view").click()
    table = section.get_by_role("table", name="New cases by risk level")
    # 2 low-risk cases are too few, and 7 high-risk ones would give them away from 9.
    expect(
        table.get_by_role("row", name=re.compile("^Low")).get_by_role("cell").first
    ).to_have_text("<5")
    expect(
        table.get_by_role("row", name=re.compile("^High")).get_by_role("cell").first
    ).to_have_text("<5")
    expect(table.get_by_role("row", name=re.compile("^Total"))).to_contain_text("9")
    body = page.content()
    assert "APN-IQ-2026-9" not in body

    section.get_by_role("button", name="Export New cases by risk level as XLSX").click()
    expect(page.get_by_role("heading", name="MEAL table export")).to_be_visible()
    assert run_pending_jobs() == 1
    download = page.get_by_role("link", name=re.compile(r"^Download meal-new_cases-risk_level"))
    expect(download).to_be_visible(timeout=8_000)
    with page.expect_download() as info:
        download.click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    sheet = load_workbook(io.BytesIO(saved.read_bytes())).active
    assert sheet is not None
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[1][:3] == ["#indicator +name", "#indicator +code", "#org +name"]
    assert "#severity +code" in rows[1]
    assert rows[2][-1] == "location=IQG01"
    assert not csp_errors, csp_errors
