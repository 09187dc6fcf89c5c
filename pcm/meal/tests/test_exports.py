"""Exports of dashboard tables: a background job writing XLSX or CSV with the HXL row."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from pcm.audit.models import AuditEvent
from pcm.jobs.actions import read_result
from pcm.jobs.models import Job, JobStatus
from pcm.jobs.testing import run_pending_jobs
from pcm.meal.models import MealEvent


def _cases(case_for, personas, count: int, **fields) -> None:
    for n in range(count):
        case_for(personas.caseworker, opened_at=timezone.now() - timedelta(hours=n + 1), **fields)


def test_it_exports_a_table_to_xlsx_with_the_hxl_row(personas, client_for, case_for):
    _cases(case_for, personas, 7, risk_level="high")
    _cases(case_for, personas, 2, risk_level="low")
    client = client_for(personas.meal_officer)
    response = client.post(
        reverse("meal:export"),
        {"indicator": "new_cases", "table": "risk_level", "file_format": "xlsx", "sex": "female"},
    )
    job = Job.objects.get(owner=personas.meal_officer)
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", kwargs={"public_id": job.public_id})
    assert job.params["query"] == {"sex": "female"}
    assert run_pending_jobs() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.result_name.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(read_result(job))).active
    assert sheet is not None
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[1][:8] == [
        "#indicator +name",
        "#indicator +code",
        "#org +name",
        "#date +start",
        "#date +end",
        "#severity +name",
        "#severity +code",
        "#indicator +value +num",
    ]
    body = {row[6]: row[7] for row in rows[2:]}
    # 2 low-risk cases are too few; high (7) would give them away from the total (9).
    assert body == {"high": "<5", "low": "<5", None: 9}  # the total row has no code
    assert rows[2][-1] == "sex=female"
    events = AuditEvent.objects.filter(event_type=MealEvent.EXPORTED)
    assert events.count() == 1 and events.get().detail["indicator"] == "new_cases"
    assert AuditEvent.objects.filter(event_type=MealEvent.EXPORT_REQUESTED).count() == 1


def test_it_exports_a_trend_to_csv_with_locations_by_p_code(personas, client_for, case_for):
    _cases(case_for, personas, 6)
    client_for(personas.manager).post(
        reverse("meal:export"),
        {"indicator": "first_response", "table": "month", "file_format": "csv"},
    )
    run_pending_jobs()
    job = Job.objects.get(owner=personas.manager)
    text = read_result(job).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][5:7] == ["#date +month +name", "#date +month"]
    assert "#indicator +value +pct" in rows[1]
    assert len(rows) >= 3


def test_an_export_of_an_unknown_table_is_refused(personas, client_for):
    client = client_for(personas.meal_officer)
    response = client.post(
        reverse("meal:export"), {"indicator": "nothing", "table": "sex", "file_format": "xlsx"}
    )
    assert response.status_code == 400
    assert not Job.objects.exists()


def test_other_roles_cannot_export(personas, client_for):
    for user in (personas.caseworker, personas.provider, personas.auditor):
        response = client_for(user).post(
            reverse("meal:export"),
            {"indicator": "new_cases", "table": "sex", "file_format": "xlsx"},
        )
        assert response.status_code == 403
    assert not Job.objects.exists()


def test_it_exports_people_reached_with_5w_hashtags(personas, client_for, case_for):
    _cases(case_for, personas, 6)
    client_for(personas.meal_officer).post(
        reverse("meal:export"),
        {"indicator": "reach", "table": "location", "file_format": "csv", "level": "1"},
    )
    assert run_pending_jobs() == 1
    job = Job.objects.get(owner=personas.meal_officer)
    rows = list(csv.reader(io.StringIO(read_result(job).decode("utf-8-sig"))))
    assert rows[1][3:6] == ["#adm1 +name", "#adm1 +code", "#affected +f +children"]
    assert rows[1][-1] == "#affected +total"
    # Six women aged 25–59 (the factory's people) with no location, and the total.
    assert rows[2][3] == "Not recorded" and rows[2][7] == "6"
    assert rows[-1][-1] == "6"
