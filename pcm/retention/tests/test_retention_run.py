"""The retention run: which cases are due, the dry run, the command, the report, the task."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from pcm.audit.models import AuditEvent
from pcm.cases.intake import AgeGroup, ContactKind, ContactRecord
from pcm.cases.models import Case, CaseStatus
from pcm.people.models import Person
from pcm.retention.anonymise import apply_retention, due_cases, months_before, preview
from pcm.retention.models import RetentionEvent, RetentionRun
from pcm.retention.tests.conftest import SECRET
from pcm.retention.tests.test_anonymise import secrets_left


def snapshot() -> list[tuple[object, ...]]:
    cases = list(Case.objects.order_by("pk").values_list("pk", "anonymised_at", "version"))
    people = list(Person.objects.order_by("pk").values_list("pk", "anonymised_at", "date_of_birth"))
    return [*cases, *people, ("events", AuditEvent.objects.count())]


def test_months_before_follows_the_calendar():
    moment = datetime(2026, 3, 31, 10, 0, tzinfo=UTC)
    assert months_before(moment, 1) == datetime(2026, 2, 28, 10, 0, tzinfo=UTC)
    assert months_before(moment, 24) == datetime(2024, 3, 31, 10, 0, tzinfo=UTC)
    assert months_before(moment, 3) == datetime(2025, 12, 31, 10, 0, tzinfo=UTC)
    assert months_before(datetime(2024, 5, 31, tzinfo=UTC), 3) == datetime(2024, 2, 29, tzinfo=UTC)


def test_due_cases_are_finished_past_the_period_and_not_yet_anonymised(
    make_closed_case, case_for, personas
):
    now = timezone.now()
    due = make_closed_case(closed_at=months_before(now, 25))
    not_yet = make_closed_case(closed_at=months_before(now, 23))
    case_for(personas.caseworker, status=CaseStatus.IMPLEMENTATION)  # open
    undated = make_closed_case()
    Case.objects.filter(pk=undated.pk).update(closed_at=None)  # never due without a date
    done = make_closed_case(closed_at=months_before(now, 30))
    Case.objects.filter(pk=done.pk).update(anonymised_at=now)
    assert list(due_cases(personas.agency, now)) == [due]
    personas.agency.retention_months = 12
    assert set(due_cases(personas.agency, now)) == {due, not_yet}


def test_a_period_out_of_range_counts_as_the_default(make_closed_case, personas):
    now = timezone.now()
    case = make_closed_case(closed_at=months_before(now, 13))
    personas.agency.retention_months = 0  # "keep for ever" is not a setting
    assert list(due_cases(personas.agency, now)) == []
    personas.agency.retention_months = 12
    assert list(due_cases(personas.agency, now)) == [case]


def test_the_dry_run_changes_nothing(rich_case, make_closed_case, personas):
    make_closed_case(closed_at=timezone.now() - timedelta(days=30))
    before = snapshot()
    secrets = secrets_left()
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert snapshot() == before
    assert secrets_left() == secrets
    assert not RetentionRun.objects.exists()
    text = out.getvalue()
    assert "Dry run: nothing was changed." in text
    assert "APN: retention 24 months; 1 cases due, 1 would be anonymised" in text
    assert rich_case.number not in text and SECRET not in text


def test_the_run_anonymises_what_is_due_and_reports_counts(rich_case, make_closed_case, personas):
    recent = make_closed_case(closed_at=timezone.now() - timedelta(days=30))
    outsider_case = make_closed_case(personas.outsider, closed_at=months_before(timezone.now(), 30))
    ContactRecord.objects.create(
        agency=personas.agency,
        kind=ContactKind.INFORMATION,
        sex="female",
        age_group=AgeGroup.ADULT,
        given=f"{SECRET} told about legal aid",
        recorded_by=personas.caseworker,
        recorded_at=months_before(timezone.now(), 26),
    )
    out = StringIO()
    call_command("apply_retention", stdout=out)
    rich_case.refresh_from_db()
    recent.refresh_from_db()
    outsider_case.refresh_from_db()
    assert rich_case.anonymised_at is not None and outsider_case.anonymised_at is not None
    assert recent.anonymised_at is None
    assert secrets_left() == []
    run = RetentionRun.objects.get(agency=personas.agency)
    assert (run.cases_due, run.cases_anonymised, run.people_anonymised) == (1, 1, 1)
    assert (run.cases_failed, run.contact_records_erased, run.started_by) == (0, 1, None)
    assert run.finished_at is not None
    event = AuditEvent.objects.get(
        event_type=RetentionEvent.RETENTION_APPLIED, agency=personas.agency
    )
    assert event.target_id == str(run.pk)
    assert event.detail["cases_anonymised"] == 1 and event.detail["contact_records"] == 1
    assert "APN: retention 24 months; 1 cases due, 1 were anonymised" in out.getvalue()
    assert "KLR: retention 24 months; 1 cases due, 1 were anonymised" in out.getvalue()
    # Run again: nothing more to do, nothing changes.
    before = [(c.pk, c.anonymised_at) for c in Case.objects.order_by("pk")]
    report = apply_retention()
    assert report.cases_due == 0 and report.cases_anonymised == 0
    assert [(c.pk, c.anonymised_at) for c in Case.objects.order_by("pk")] == before


def test_a_person_is_kept_while_another_case_is_not_due(make_closed_case, case_for, personas):
    due = make_closed_case()
    case_for(personas.caseworker, person=due.person, status=CaseStatus.FOLLOW_UP)
    report = preview(personas.agency)
    assert (report.cases_due, report.people_anonymised, report.people_kept) == (1, 0, 1)
    run = apply_retention(agencies=[personas.agency]).agencies[0]
    assert (run.cases_anonymised, run.people_anonymised, run.people_kept) == (1, 0, 1)
    due.person.refresh_from_db()
    assert due.person.anonymised_at is None and due.person.given_name


def test_two_due_cases_of_one_person_anonymise_them_once(make_closed_case, personas):
    first = make_closed_case()
    make_closed_case(person=first.person)
    assert preview(personas.agency).people_anonymised == 1
    run = apply_retention(agencies=[personas.agency]).agencies[0]
    assert (run.cases_anonymised, run.people_anonymised, run.people_kept) == (2, 1, 0)


def test_one_failing_case_does_not_stop_the_others(make_closed_case, personas, monkeypatch):
    failing = make_closed_case()
    other = make_closed_case()
    from pcm.retention import anonymise

    real = anonymise._erase

    def erase(records, owner_pk):
        if owner_pk == failing.pk:
            raise RuntimeError(f"boom {failing.person.given_name}")
        real(records, owner_pk)

    monkeypatch.setattr(anonymise, "_erase", erase)
    with pytest.raises(CommandError, match="1 cases could not be anonymised"):
        call_command("apply_retention", stdout=StringIO())
    failing.refresh_from_db()
    other.refresh_from_db()
    assert failing.anonymised_at is None and other.anonymised_at is not None
    run = RetentionRun.objects.get(agency=personas.agency)
    assert (run.cases_failed, run.cases_anonymised) == (1, 1)


def test_an_unknown_agency_code_is_refused(db):
    with pytest.raises(CommandError, match="No agency has the code"):
        call_command("apply_retention", "--agency", "NOPE", stdout=StringIO())


def test_the_daily_task_is_registered_with_the_worker(make_closed_case):
    from pcm.jobs.registry import periodic_tasks

    task = next(task for task in periodic_tasks() if task.name == "retention")
    assert task.every == timedelta(hours=24)
    case = make_closed_case()
    task.function()
    case.refresh_from_db()
    assert case.anonymised_at is not None
