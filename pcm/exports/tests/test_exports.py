"""Caseload exports: who may export, which columns, consent, encryption, marking and audit."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pcm.accounts.models import Role
from pcm.audit.models import AuditEvent
from pcm.exports.actions import request_caseload_export
from pcm.exports.models import ExportEvent
from pcm.exports.tasks import CASELOAD
from pcm.jobs.models import Job, JobMessage, JobStatus
from pcm.jobs.testing import run_pending_jobs

from .conftest import PASSWORD, archive_files, as_records, csv_rows, give_consent

URL = reverse("exports:index")


def post_export(client, scope: str = "open", password: str = PASSWORD, again: str | None = None):
    return client.post(
        URL,
        {
            "scope": scope,
            "password": password,
            "password_again": password if again is None else again,
        },
    )


def export_of(user, scope: str = "open") -> Job:
    job = request_caseload_export(user, scope, PASSWORD)
    run_pending_jobs()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.message
    return job


# --- Who may export ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["caseworker", "meal_officer", "provider_focal_point", "administrator", "auditor"]
)
def test_other_roles_are_refused(personas, confirmed_client, role):
    client = confirmed_client(personas.by_role()[role])
    assert client.get(URL).status_code == 403
    assert post_export(client).status_code == 403
    assert not Job.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(db, client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_without_a_recent_confirmation_the_user_confirms_first(personas, client_for):
    response = client_for(personas.supervisor).get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:confirm"))
    response = post_export(client_for(personas.manager))
    assert response.status_code == 302
    assert not Job.objects.exists()


@pytest.mark.parametrize("role", ["supervisor", "manager"])
def test_supervisors_and_managers_see_the_form_and_the_menu_link(personas, confirmed_client, role):
    response = confirmed_client(personas.by_role()[role]).get(URL)
    assert response.status_code == 200
    assert f'href="{URL}"' in response.content.decode()


def test_the_menu_link_is_not_offered_to_caseworkers(personas, client_for):
    body = client_for(personas.caseworker).get(reverse("notifications:list")).content.decode()
    assert f'href="{URL}"' not in body


# --- The form ---------------------------------------------------------------------------------


def test_a_missing_password_keeps_the_form(personas, confirmed_client):
    response = confirmed_client(personas.supervisor).post(URL, {"scope": "all"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "This field is required." in body
    assert re.search(r'value="all"[^>]*checked', body), "the chosen scope is kept"
    assert not Job.objects.exists()


def test_passwords_that_differ_are_refused(personas, confirmed_client):
    response = post_export(confirmed_client(personas.supervisor), "all", again="something else!")
    assert response.status_code == 400
    assert "The two passwords are not the same" in response.content.decode()
    assert re.search(r'value="all"[^>]*checked', response.content.decode())
    assert not Job.objects.exists()


def test_a_short_password_is_refused(personas, confirmed_client):
    response = post_export(confirmed_client(personas.supervisor), password="short-pw")
    assert response.status_code == 400
    assert "The password is too short: use at least 12 characters." in response.content.decode()
    assert not Job.objects.exists()


def test_an_export_runs_in_the_background_and_is_downloaded(personas, caseload, confirmed_client):
    client = confirmed_client(personas.supervisor)
    response = post_export(client)
    job = Job.objects.get(owner=personas.supervisor, kind=CASELOAD)
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", kwargs={"public_id": job.public_id})
    assert job.status == JobStatus.QUEUED
    assert PASSWORD not in str(job.params)
    page = client.get(response["Location"]).content.decode()
    assert "Caseload export" in page and 'hx-trigger="every 2s"' in page

    run_pending_jobs()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert (job.progress_done, job.progress_total) == (1, 1)
    assert "secrets" not in job.params, "the password is not kept after the job"
    page = client.get(URL).content.decode()
    assert job.result_name in page, "the export page lists the user's recent exports"
    download = client.get(reverse("jobs:download", kwargs={"public_id": job.public_id}))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    job.refresh_from_db()
    assert as_records(csv_rows(job))[0]["Case number"] == caseload.team_open.number


# --- What the archive holds -------------------------------------------------------------------


def test_the_archive_opens_only_with_its_password(personas, caseload):
    job = export_of(personas.supervisor)
    with pytest.raises(RuntimeError):
        archive_files(job, "not the password at all")
    files = archive_files(job)
    assert set(files) == {"README.txt", job.result_name.replace(".zip", ".csv")}


def test_a_supervisor_exports_their_teams_cases_with_names(personas, caseload):
    records = as_records(csv_rows(export_of(personas.supervisor, "open")))
    assert [r["Case number"] for r in records] == [caseload.team_open.number]
    assert records[0]["Given name"] == "Zainab"
    assert records[0]["Family name"] == "Alwan"
    # A phone number starts with "+": spreadsheets would run it as a formula.
    assert records[0]["Phone number"] == "'+964 750 100 0001"
    assert records[0]["Risk level"] == "Medium"
    assert records[0]["Age group"] == "25 to 59"

    every = as_records(csv_rows(export_of(personas.supervisor, "all")))
    numbers = {r["Case number"] for r in every}
    assert numbers == {caseload.team_open.number, caseload.team_closed.number}


def test_a_manager_gets_the_agencys_cases_without_names_or_phones(personas, caseload):
    job = export_of(personas.manager, "all")
    rows = csv_rows(job)
    header = rows[0]
    assert "Given name" not in header and "Phone number" not in header
    assert "Identity document number" not in header
    assert {"Case number", "Status", "Risk level", "Sex", "Age group"} <= set(header)
    assert {"Displacement status", "Area", "Opened on"} <= set(header)
    numbers = {r["Case number"] for r in as_records(rows)}
    assert numbers == {
        caseload.team_open.number,
        caseload.team_closed.number,
        caseload.other_team.number,
    }
    everything = b"".join(archive_files(job).values()).decode("utf-8-sig", errors="replace")
    for secret in ("Zainab", "Alwan", "Qamar", "Oksana", "750 100", "Basma"):
        assert secret not in everything
    readme = archive_files(job)["README.txt"].decode("utf-8-sig")
    assert "Name and date of birth" in readme and "Phone number and address" in readme


def test_an_agency_that_lets_managers_see_identity_gets_names(personas, caseload):
    personas.agency.field_visibility = {"manager": ["risk", "identity"]}
    personas.agency.save()
    personas.manager.refresh_from_db()
    records = as_records(csv_rows(export_of(personas.manager, "all")))
    assert {r["Given name"] for r in records} == {"Zainab", "Basma", "Qamar"}
    assert "Phone number" not in records[0]


def test_withdrawn_consent_leaves_the_identity_out_and_the_readme_says_so(personas, caseload):
    give_consent(caseload.team_open)
    give_consent(caseload.team_closed)
    give_consent(caseload.team_closed, withdrawn=True)
    job = export_of(personas.supervisor, "all")
    records = {r["Case number"]: r for r in as_records(csv_rows(job))}
    withdrawn = records[caseload.team_closed.number]
    assert withdrawn["Given name"] == withdrawn["Phone number"] == ""
    assert withdrawn["Identifying data left out because"] == "consent withdrawn"
    assert withdrawn["Status"] == "Closed", "the row keeps its statistics"
    assert records[caseload.team_open.number]["Given name"] == "Zainab"
    files = archive_files(job)
    assert b"Basma" not in b"".join(files.values())
    readme = files["README.txt"].decode("utf-8-sig")
    assert "1 case(s): the service user withdrew consent" in readme


def test_the_export_is_marked_with_who_when_and_personal_data(personas, caseload):
    job = export_of(personas.manager)
    assert re.fullmatch(r"APN-caseload-\d{4}-\d{2}-\d{2}-\d{4}\.zip", job.result_name)
    files = archive_files(job)
    table = next(content for name, content in files.items() if name.endswith(".csv"))
    marking = table.decode("utf-8-sig").splitlines()[0]
    assert "Exported by Nadia Rahman (nadia), Manager, on " in marking
    assert "Asia/Baghdad" in marking  # the agency's time
    assert "Contains personal data — handle according to the data protection policy." in marking
    readme = files["README.txt"].decode("utf-8-sig")
    assert "CONTAINS PERSONAL DATA" in readme
    assert "Exported by: Nadia Rahman (nadia), Manager" in readme


def test_the_export_is_audited_with_counts_and_groups_never_values(personas, caseload):
    give_consent(caseload.team_open, withdrawn=True)
    job = export_of(personas.supervisor, "all")
    requested = AuditEvent.objects.get(event_type=ExportEvent.REQUESTED)
    assert requested.actor == personas.supervisor
    event = AuditEvent.objects.get(event_type=ExportEvent.EXPORTED)
    assert event.actor == personas.supervisor
    assert event.agency == personas.agency
    assert event.detail["job"] == str(job.public_id)
    assert event.detail["cases"] == 2
    assert event.detail["consent_withdrawn"] == 1
    assert event.detail["scope"] == "all"
    assert set(event.detail["groups"]) >= {"identity", "contact", "risk"}
    assert "given_name" in event.fields and "phone" in event.fields
    recorded = str(event.detail) + str(event.fields) + str(requested.detail)
    # (the phone number in full: a job id, a random UUID, may contain any three digits)
    for value in ("Zainab", "Basma", "750 100 0001", PASSWORD):
        assert value not in recorded


def test_a_user_who_lost_the_role_gets_no_file(personas, caseload):
    job = request_caseload_export(personas.supervisor, "open", PASSWORD)
    personas.supervisor.role = Role.CASEWORKER
    personas.supervisor.save()
    run_pending_jobs()
    job.refresh_from_db()
    assert (job.status, job.message) == (JobStatus.FAILED, JobMessage.NOT_ALLOWED)
    assert job.result_file == "" and "secrets" not in job.params


def test_the_number_of_queries_does_not_grow_with_the_cases(personas, case_for):
    def queries_for(count: int) -> int:
        for _ in range(count):
            case = case_for(personas.caseworker)
            give_consent(case)
        request_caseload_export(personas.manager, "all", PASSWORD)
        with CaptureQueriesContext(connection) as queries:
            assert run_pending_jobs() == 1
        return len(queries)

    few = queries_for(2)
    assert queries_for(10) == few
    assert Job.objects.filter(status=JobStatus.DONE).count() == 2


def test_a_case_whose_identity_is_hidden_keeps_it_out_of_the_export(personas, caseload):
    caseload.team_open.identity_hidden = True
    caseload.team_open.save()
    job = export_of(personas.supervisor)
    (record,) = as_records(csv_rows(job))
    assert record["Given name"] == record["Phone number"] == ""
    assert record["Identifying data left out because"] == "identity hidden by the supervisor"
    assert b"Zainab" not in b"".join(archive_files(job).values())
    assert "1 case(s): a supervisor hid the identity" in archive_files(job)["README.txt"].decode(
        "utf-8-sig"
    )
