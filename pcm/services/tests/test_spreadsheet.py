"""The directory as a spreadsheet: export, and the import checked row by row in the background."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from pcm.audit.models import AuditEvent
from pcm.jobs.models import Job, JobStatus
from pcm.jobs.testing import run_pending_jobs
from pcm.locations.models import Location
from pcm.services.models import Cost, DirectoryImport, Provider, Sector, Service
from pcm.services.spreadsheet import COLUMNS
from pcm.services.spreadsheet_check import ERROR_CAP
from pcm.services.tasks import IMPORT, wipe_import_files
from tests.factories import LocationFactory

HEADER = [str(column.title) for column in COLUMNS]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def areas(db) -> dict[str, Location]:
    governorate = LocationFactory.create(name="Ninewa", pcode="IQG15", level=1)
    district = LocationFactory.create(name="Mosul", pcode="IQD1501", level=2, parent=governorate)
    other = LocationFactory.create(name="Basrah", pcode="IQG02", level=1)
    return {"governorate": governorate, "district": district, "other": other}


@pytest.fixture
def directory(personas, areas) -> dict[str, Service]:
    """Two providers of the agency's directory (three services, one inactive) and a service of
    another agency's directory."""
    legal = Provider.objects.create(
        agency=personas.agency,
        name="Legal Aid Collective",
        focal_point_name="Yusuf Ali",
        focal_point_phone="+964 750 000 0000",
        focal_point_email="referrals@legal.example",
    )
    clinic = Provider.objects.create(agency=personas.agency, name="عيادة الأمل")
    documentation = Service.objects.create(
        provider=legal,
        name="Civil documentation",
        sector=Sector.LEGAL,
        min_age=18,
        serves_other=False,
        languages=["ar", "ku"],
        accessible=True,
        accessibility_note="Ramp; ground floor",
        opening_hours="Sun–Thu 8:00–14:00",
        how_to_refer="Call first,\nthen send the form.",
        response_days=7,
        eligibility_notes="=Any nationality",
    )
    documentation.locations.set([areas["governorate"], areas["other"]])
    counselling = Service.objects.create(
        provider=clinic, name="إرشاد نفسي", sector=Sector.MHPSS, cost=Cost.SUBSIDISED
    )
    counselling.locations.set([areas["district"]])
    closed = Service.objects.create(
        provider=legal, name="Court accompaniment", sector=Sector.LEGAL, is_active=False
    )
    closed.locations.set([areas["district"]])
    foreign = Provider.objects.create(agency=personas.other_agency, name="Kalyna Law Office")
    hidden = Service.objects.create(provider=foreign, name="Secret shelter", sector=Sector.SHELTER)
    hidden.locations.set([areas["other"]])
    return {"documentation": documentation, "counselling": counselling, "closed": closed}


def snapshot() -> list[tuple[Any, ...]]:
    """Every provider and service with every value, their versions and areas."""
    providers = list(Provider.objects.order_by("pk").values_list())
    services = [
        (*values, sorted(Service.objects.get(pk=values[0]).locations.values_list("pk", flat=True)))
        for values in Service.objects.order_by("pk").values_list()
    ]
    return [*providers, *services]


def xlsx(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for line in rows:
        sheet.append(line)
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # "=Any nationality" is text, as typed with a quote
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def csv_file(rows: list[list[Any]]) -> bytes:
    output = io.StringIO()
    csv.writer(output).writerows(rows)
    return output.getvalue().encode("utf-8")


def row(**values: Any) -> list[Any]:
    """A file row: the columns' keys as arguments, the others empty."""
    return [values.get(column.key, "") for column in COLUMNS]


def good(**values: Any) -> list[Any]:
    base = {"provider": "Hope Clinic", "service": "Check-ups", "sector": "health", "areas": "IQG15"}
    return row(**{**base, **values})


Importer = Callable[..., tuple[Client, DirectoryImport]]


@pytest.fixture
def import_file(personas, client_for) -> Importer:
    """import_file(content, name): upload as the manager, run the job; the import."""

    def run(content: bytes, name: str = "directory.xlsx", user: Any = None) -> Any:
        client = client_for(user or personas.manager)
        response = client.post(
            reverse("services:import"), {"file": SimpleUploadedFile(name, content)}
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        assert run_pending_jobs() == 1
        return client, DirectoryImport.objects.select_related("job").latest("pk")

    return run


def exported(client: Client, file_format: str) -> bytes:
    response = client.get(reverse(f"services:export_{file_format}"))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{file_format}"')
    return response.content


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_it_round_trips_an_export_without_changing_anything(
    personas, client_for, directory, import_file, file_format
):
    before = snapshot()
    content = exported(client_for(personas.manager), file_format)
    client, upload = import_file(content, f"export.{file_format}")
    assert upload.job.status == JobStatus.DONE, upload.errors
    assert snapshot() == before
    assert (upload.services_unchanged, upload.services_updated, upload.services_created) == (
        3,
        0,
        0,
    )
    assert (upload.providers_created, upload.providers_updated) == (0, 0)
    page = client.get(reverse("services:import_result", kwargs={"public_id": upload.job.public_id}))
    assert "3 services unchanged" in page.content.decode()
    assert "not in the file were left as they were" in page.content.decode()


def test_it_round_trips_in_french_with_french_titles_and_labels(
    personas, client_for, directory, import_file
):
    personas.manager.preferred_language = "fr"
    personas.manager.save()
    before = snapshot()
    content = exported(client_for(personas.manager), "xlsx")
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    cells = [[cell.value for cell in line] for line in sheet.iter_rows()]
    assert "Secteur" in cells[0]
    assert "Aide juridique" in cells[1] + cells[2] + cells[3]
    _client, upload = import_file(content)
    assert upload.job.status == JobStatus.DONE, upload.errors
    assert snapshot() == before


def test_export_holds_the_agency_s_directory_only(personas, client_for, directory):
    manager_file = exported(client_for(personas.manager), "csv").decode("utf-8-sig")
    assert "Civil documentation" in manager_file and "إرشاد نفسي" in manager_file
    assert "Court accompaniment" in manager_file  # managers keep inactive services too
    assert "Secret shelter" not in manager_file and "Kalyna" not in manager_file
    caseworker_file = exported(client_for(personas.caseworker), "xlsx")
    sheet = load_workbook(io.BytesIO(caseworker_file)).worksheets[0]
    names = [line[4] for line in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted(["Civil documentation", "إرشاد نفسي"])  # active ones only
    outsider_file = exported(client_for(personas.outsider), "csv").decode("utf-8-sig")
    assert "Secret shelter" in outsider_file and "Civil documentation" not in outsider_file
    assert AuditEvent.objects.filter(event_type="service_directory_exported").count() == 3


def test_export_is_excel_safe(personas, client_for, directory):
    content = exported(client_for(personas.manager), "csv")
    assert content.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads the Arabic as Arabic
    text = content.decode("utf-8-sig")
    assert "'=Any nationality" in text and "'+964 750 000 0000" in text  # never a formula
    sheet = load_workbook(io.BytesIO(exported(client_for(personas.manager), "xlsx"))).worksheets[0]
    cells = [
        cell for line in sheet.iter_rows() for cell in line if cell.value == "=Any nationality"
    ]
    assert cells and cells[0].data_type == "s"


def test_a_file_with_bad_rows_lists_every_error_and_imports_nothing(
    personas, directory, import_file
):
    before = snapshot()
    rows = [
        HEADER,
        good(service="Fine row"),
        good(service="Typo", sector="Helth"),
        good(service="Nowhere", areas="IQG15; XX99"),
        good(service="Ages", min_age=18, max_age=12),
        good(service="Slow", response_days="3.5"),
        good(service="Fine row"),
        good(provider="", service="Orphan"),
        good(service="No sector", sector=""),
        good(service="Mail", focal_point_email="not-an-address"),
        good(service="Open", is_active="maybe"),
        good(service="Talk", languages="Arabic; Klingon"),
        good(service="Cost", cost="cheap"),
    ]
    _client, upload = import_file(csv_file(rows), "directory.csv")
    assert snapshot() == before
    assert upload.job.status == JobStatus.FAILED
    errors = {(line, column): message for line, column, message in upload.errors}
    assert errors[(3, "Sector")].startswith(
        "“Helth” is not a sector. Use one of: Health, Legal aid"
    )
    assert "“XX99” is not a known P-code" in errors[(4, "Areas served (P-codes)")]
    assert errors[(5, "Maximum age")] == "The maximum age (12) is below the minimum age (18)."
    assert errors[(6, "Expected response (days)")] == "“3.5” is not a whole number."
    assert "already in row 2" in errors[(7, "Service name")]
    assert errors[(8, "Provider name")].startswith("Required")
    assert errors[(9, "Sector")].startswith("Required: write one of: Health")
    assert "not an e-mail address" in errors[(10, "Focal point e-mail")]
    assert "is not yes or no" in errors[(11, "Active")]
    assert "“Klingon” is not a language" in errors[(12, "Languages")]
    assert "“cheap” is not a cost" in errors[(13, "Cost")]
    assert upload.error_count == len(upload.errors) == 11
    assert not DirectoryImport.objects.exclude(content=b"").exists()  # the file is gone
    event = AuditEvent.objects.get(event_type="service_directory_import_rejected")
    assert event.detail["errors"] == 11


def test_the_result_page_shows_the_errors_with_row_and_column(personas, directory, import_file):
    rows = [HEADER, good(sector="Helth")]
    client, upload = import_file(xlsx(rows))
    page = client.get(reverse("services:import_result", kwargs={"public_id": upload.job.public_id}))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Nothing was imported" in body
    assert "<td>2</td><td>Sector</td><td>“Helth” is not a sector." in body
    assert 'hx-trigger="every 2s"' not in body  # finished: no more polling


def test_a_good_file_creates_and_updates(personas, directory, areas, import_file):
    documentation, counselling = directory["documentation"], directory["counselling"]
    rows = [
        HEADER,
        # An unchanged service, a changed one, a new one of a known provider, a new provider.
        row(
            provider="Legal Aid Collective",
            focal_point_name="Yusuf Ali",
            focal_point_phone="+964 750 000 0000",
            focal_point_email="referrals@legal.example",
            service="Civil documentation",
            sector="Legal aid",
            areas="IQG02; IQG15",
            min_age=18,
            serves_other="no",
            languages="ar; Kurdish",
            accessible="yes",
            accessibility_note="Ramp; ground floor",
            opening_hours="Sun–Thu 8:00–14:00",
            how_to_refer="Call first,\nthen send the form.",
            response_days=7,
            eligibility_notes="=Any nationality",
        ),
        row(
            provider="عيادة الأمل",
            service="إرشاد نفسي",
            sector="mhpss",
            areas="IQD1501",
            cost="Subsidised",
            response_days=2,
        ),
        row(
            provider="legal aid collective",
            focal_point_name="Yusuf Ali",
            focal_point_phone="+964 750 000 0000",
            focal_point_email="referrals@legal.example",
            service="Legal counselling",
            sector="LEGAL AID",
            areas="iqg15",
        ),
        row(
            provider="Hope Clinic",
            focal_point_name="Dr Sara",
            service="Check-ups",
            sector="Santé",
            areas="IQG02",
            serves_male="non",
            serves_female="نعم",
            serves_other="ні",
            cost="Gratuit",
        ),
    ]
    _client, upload = import_file(xlsx(rows))
    assert upload.job.status == JobStatus.DONE, upload.errors
    assert (upload.providers_created, upload.providers_updated) == (1, 0)
    assert (upload.services_created, upload.services_updated, upload.services_unchanged) == (
        2,
        1,
        1,
    )
    documentation.refresh_from_db()
    counselling.refresh_from_db()
    assert documentation.version == 1
    assert counselling.version == 2 and counselling.response_days == 2
    assert Provider.objects.filter(agency=personas.agency).count() == 3  # no "legal aid collective"
    counselling_advice = Service.objects.get(name="Legal counselling")
    assert counselling_advice.provider == documentation.provider
    assert list(counselling_advice.locations.all()) == [areas["governorate"]]
    check_ups = Service.objects.get(name="Check-ups")
    assert check_ups.sector == Sector.HEALTH and check_ups.provider.focal_point_name == "Dr Sara"
    assert (check_ups.serves_female, check_ups.serves_male, check_ups.serves_other) == (
        True,
        False,
        False,
    )
    assert Service.objects.get(pk=directory["closed"].pk).is_active is False  # left alone
    event = AuditEvent.objects.get(event_type="service_directory_imported")
    assert event.detail["services_created"] == sorted(event.detail["services_created"])
    assert event.detail["services_updated"] == [counselling.pk]
    assert "Dr Sara" not in str(event.detail) and "Yusuf" not in str(event.detail)


def test_a_partial_file_updates_only_its_columns(personas, directory, import_file):
    documentation = directory["documentation"]
    rows = [
        ["Provider name", "Service name", "Sector", "Areas served (P-codes)", "Active"],
        ["#org", "#service", "#sector", "#adm1+code", "#status"],  # an HXL row: skipped
        ["Legal Aid Collective", "Civil documentation", "legal", "IQG15", "no"],
    ]
    _client, upload = import_file(csv_file(rows), "partial.csv")
    assert upload.job.status == JobStatus.DONE, upload.errors
    documentation.refresh_from_db()
    assert documentation.is_active is False and documentation.version == 2
    assert documentation.response_days == 7 and documentation.languages == ["ar", "ku"]
    assert documentation.provider.focal_point_name == "Yusuf Ali"
    assert sorted(documentation.locations.values_list("pcode", flat=True)) == ["IQG15"]


def test_a_missing_or_unknown_column_is_named(personas, areas, import_file):
    rows = [["Provider name", "Service name", "Colour"], ["A", "B", "red"]]
    _client, upload = import_file(csv_file(rows), "directory.csv")
    messages = [message for _row, _column, message in upload.errors]
    assert any(m.startswith("“Colour” is not a column of the directory.") for m in messages)
    assert "The column “Sector” is missing; it is required." in messages
    assert "The column “Areas served (P-codes)” is missing; it is required." in messages
    assert not Provider.objects.exists()


def test_the_list_of_errors_is_capped(personas, areas, import_file):
    rows = [HEADER, *[good(service=f"S{n}", sector="Helth") for n in range(ERROR_CAP + 50)]]
    client, upload = import_file(csv_file(rows), "directory.csv")
    assert len(upload.errors) == ERROR_CAP and upload.error_count == ERROR_CAP + 50
    page = client.get(reverse("services:import_result", kwargs={"public_id": upload.job.public_id}))
    assert "and 50 more errors, not shown" in page.content.decode()
    assert upload.job.progress_total == ERROR_CAP + 50


def test_a_png_named_xlsx_is_refused(personas, client_for):
    response = client_for(personas.manager).post(
        reverse("services:import"), {"file": SimpleUploadedFile("directory.xlsx", PNG)}
    )
    assert response.status_code == 400
    assert "This file is a PNG file, not a spreadsheet." in response.content.decode()
    assert not Job.objects.filter(kind=IMPORT).exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04" + b"\x00" * 40, "ZIP archive"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, "old Excel file (.xls)"),
        ("Provider name;Service\n".encode("cp1256") + "عيادة".encode("cp1256"), "CSV UTF-8"),
        (b"x" * (5 * 1024 * 1024 + 1), "the limit is 5 MB"),
    ],
)
def test_other_files_are_refused_with_what_to_do(personas, client_for, content, message):
    response = client_for(personas.manager).post(
        reverse("services:import"), {"file": SimpleUploadedFile("directory.csv", content)}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Job.objects.filter(kind=IMPORT).exists()


def test_a_damaged_workbook_fails_with_a_clear_message(personas, import_file):
    content = xlsx([HEADER])
    damaged = content[:200] + b"\x00" * 100 + content[300:]
    _client, upload = import_file(damaged)
    assert upload.job.status == JobStatus.FAILED
    assert upload.errors[0][2].startswith("The file could not be read as a spreadsheet.")


def test_only_the_manager_who_uploaded_sees_the_import(personas, client_for, areas, import_file):
    _client, upload = import_file(csv_file([HEADER, good()]), "directory.csv")
    url = reverse("services:import_result", kwargs={"public_id": upload.job.public_id})
    assert client_for(personas.outsider_manager).get(url).status_code == 404
    assert client_for(personas.caseworker).get(url).status_code == 403


def test_a_manager_who_lost_the_role_imports_nothing(personas, areas, client_for):
    client = client_for(personas.manager)
    client.post(
        reverse("services:import"),
        {"file": SimpleUploadedFile("d.csv", csv_file([HEADER, good()]))},
    )
    personas.manager.role = "caseworker"
    personas.manager.save()
    run_pending_jobs()
    job = Job.objects.get(kind=IMPORT)
    assert job.status == JobStatus.FAILED and job.message == "not_allowed"
    assert not Provider.objects.exists()


def test_progress_is_visible_while_the_job_waits(personas, client_for, areas):
    client = client_for(personas.manager)
    response = client.post(
        reverse("services:import"),
        {"file": SimpleUploadedFile("d.csv", csv_file([HEADER, good()]))},
        follow=True,
    )
    body = response.content.decode()
    job = Job.objects.get(kind=IMPORT)
    assert reverse("services:import_progress", kwargs={"public_id": job.public_id}) in body
    assert 'hx-trigger="every 2s"' in body
    upload = DirectoryImport.objects.get(job=job)
    assert upload.content and b"Hope Clinic" not in bytes(upload.content)  # kept encrypted
    partial = client.get(reverse("services:import_progress", kwargs={"public_id": job.public_id}))
    assert partial.status_code == 200 and "Cancel" in partial.content.decode()


def test_a_cancelled_import_leaves_no_file(personas, client_for, areas):
    client = client_for(personas.manager)
    client.post(
        reverse("services:import"),
        {"file": SimpleUploadedFile("d.csv", csv_file([HEADER, good()]))},
    )
    job = Job.objects.get(kind=IMPORT)
    client.post(reverse("jobs:cancel", kwargs={"public_id": job.public_id}))
    wipe_import_files()
    assert DirectoryImport.objects.get(job=job).content in (b"", memoryview(b""))
    assert run_pending_jobs() == 0 and not Provider.objects.exists()


def test_the_template_has_the_columns_and_an_example_that_imports(
    personas, client_for, areas, import_file
):
    response = client_for(personas.manager).get(reverse("services:import_template"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    lines = list(sheet.iter_rows(values_only=True))
    assert list(lines[0]) == HEADER and len(lines) == 2
    _client, upload = import_file(response.content)
    assert upload.job.status == JobStatus.DONE, upload.errors
    assert upload.services_created == 1


def test_the_directory_page_links_export_and_import(personas, client_for, directory):
    manager_page = client_for(personas.manager).get(reverse("services:directory")).content
    caseworker_page = client_for(personas.caseworker).get(reverse("services:directory")).content
    for link in ("services:export_xlsx", "services:export_csv"):
        assert reverse(link).encode() in manager_page and reverse(link).encode() in caseworker_page
    assert reverse("services:import").encode() in manager_page
    assert reverse("services:import").encode() not in caseworker_page


def test_pages_take_a_fixed_number_of_queries(
    personas, client_for, directory, import_file, django_assert_max_num_queries
):
    for _n in range(3):
        import_file(csv_file([HEADER, good()]), "d.csv")
    client = client_for(personas.manager)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("services:import")).status_code == 200
    for n in range(30):
        extra = Service.objects.create(
            provider=directory["documentation"].provider, name=f"Extra {n}", sector=Sector.CASH
        )
        extra.locations.set([directory["counselling"].locations.get()])
    with django_assert_max_num_queries(14):
        assert client.get(reverse("services:export_xlsx")).status_code == 200


def test_another_agency_s_provider_of_the_same_name_is_never_touched(
    personas, directory, import_file
):
    foreign = Provider.objects.get(agency=personas.other_agency)
    rows = [HEADER, good(provider="Kalyna Law Office", service="Secret shelter", sector="shelter")]
    _client, upload = import_file(csv_file(rows), "directory.csv")
    assert (upload.providers_created, upload.services_created) == (1, 1)
    foreign.refresh_from_db()
    assert foreign.version == 1 and foreign.services.get().version == 1
    assert Provider.objects.filter(name="Kalyna Law Office", agency=personas.agency).exists()


def test_a_provider_s_details_must_agree_on_every_row(personas, areas, import_file):
    rows = [
        HEADER,
        good(service="One", focal_point_phone="111"),
        good(service="Two", focal_point_phone="222"),
    ]
    _client, upload = import_file(csv_file(rows), "directory.csv")
    assert upload.errors == [
        [
            3,
            "Focal point phone",
            "Differs from row 2 for the same provider: give the same details on every row of a "
            "provider.",
        ]
    ]
    assert not Provider.objects.exists()


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (
            "\n".join(";".join(str(v) for v in line) for line in [HEADER, good()]).encode(
                "utf-8-sig"
            ),
            "semicolons.csv",
        ),
        (
            "\r\n".join("\t".join(str(v) for v in line) for line in [HEADER, good()]).encode(
                "utf-16"
            ),
            "unicode-text.txt",
        ),
    ],
)
def test_csv_with_semicolons_or_utf16_tabs_is_read(personas, areas, import_file, content, name):
    _client, upload = import_file(content, name)
    assert upload.job.status == JobStatus.DONE, upload.errors
    assert Service.objects.get().name == "Check-ups"


def test_too_many_rows_are_refused(personas, areas, import_file, monkeypatch):
    monkeypatch.setattr("pcm.services.spreadsheet_upload.MAX_ROWS", 3)
    rows = [HEADER, *[good(service=f"S{n}") for n in range(6)]]
    _client, upload = import_file(xlsx(rows))
    assert upload.errors[0][2] == "The file has more than 3 rows: split it into several files."
    assert not Service.objects.exists()


def test_blank_rows_are_skipped_and_rows_keep_their_numbers(personas, areas, import_file):
    rows = [HEADER, good(service="One"), row(), row(), good(service="Two", sector="Helth")]
    _client, upload = import_file(xlsx(rows))
    assert [(line, column) for line, column, _message in upload.errors] == [(5, "Sector")]
    assert upload.rows == 2
