"""notify_overdue: each overdue item is announced once, to the right people, with a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pcm.cases.models import CaseStatus, RiskLevel
from pcm.notifications.models import Notification, NotificationKind
from pcm.supervision.overdue import notify_overdue

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def overdue_case(case_for, user, hours_late: float, **fields):
    return case_for(user, first_response_due_at=NOW - timedelta(hours=hours_late), **fields)


def recipients() -> list[tuple[str, int | None]]:
    return sorted(
        Notification.objects.filter(kind=NotificationKind.DEADLINE_PASSED).values_list(
            "recipient__username", "case_id"
        )
    )


def test_it_tells_the_caseworker_once_per_overdue_item(personas, case_for, known_providers):
    late = overdue_case(case_for, personas.caseworker, 5)
    overdue_case(case_for, personas.caseworker, -5)  # due in five hours: not yet
    overdue_case(case_for, personas.caseworker, 5, first_response_at=NOW)  # answered
    overdue_case(case_for, personas.caseworker, 5, status=CaseStatus.CLOSED)  # finished
    run = notify_overdue(NOW)
    assert recipients() == [("layla", late.pk)]
    assert run.notifications == 1 and run.overdue_items == 1
    again = notify_overdue(NOW + timedelta(hours=1))
    assert again.notifications == 0 and again.overdue_items == 1
    assert Notification.objects.count() == 1


def test_high_risk_also_tells_the_supervisor(personas, case_for, known_providers):
    high = overdue_case(case_for, personas.caseworker, 2, risk_level=RiskLevel.HIGH)
    notify_overdue(NOW)
    assert recipients() == [("layla", high.pk), ("omar", high.pk)]


def test_an_approval_waiting_goes_to_the_supervisor(personas, case_for, known_providers):
    waiting = case_for(
        personas.caseworker, status=CaseStatus.PLANNING, opened_at=NOW - timedelta(days=5)
    )
    notify_overdue(NOW)
    assert recipients() == [("omar", waiting.pk)]


def test_a_new_deadline_is_a_new_notification(personas, case_for, known_providers):
    case = overdue_case(case_for, personas.caseworker, 1)
    notify_overdue(NOW)
    case.first_response_due_at = NOW + timedelta(hours=2)
    case.save()
    notify_overdue(NOW + timedelta(hours=3))
    assert Notification.objects.filter(case=case).count() == 2
    keys = set(Notification.objects.values_list("dedupe_key", flat=True))
    assert len(keys) == 2 and all(key.startswith("overdue:first_response:") for key in keys)


def test_the_notification_identifies_no_one(personas, case_for, known_providers):
    case = overdue_case(case_for, personas.caseworker, 1)
    notify_overdue(NOW)
    key = Notification.objects.get().dedupe_key
    for text in (case.person.given_name, case.person.family_name, case.number):
        assert text not in key


def test_it_reads_in_batches_with_a_constant_number_of_queries_per_batch(
    personas, case_for, known_providers
):
    for _ in range(7):
        overdue_case(case_for, personas.caseworker, 1, risk_level=RiskLevel.LOW)
    notify_overdue(NOW)  # everything announced: the second run only reads
    with CaptureQueriesContext(connection) as captured:
        run = notify_overdue(NOW, batch_size=3)
    assert run.cases == 7 and run.overdue_items == 7 and run.notifications == 0
    # Per batch (3 + 3 + 1 cases): its keys, its cases, one query per provider, what was
    # announced already; then the read that finds no more cases.
    per_batch = 2 + 3 + 1
    assert len(captured) == 3 * per_batch + 1


def test_the_command_runs_and_reports(personas, case_for, capsys, known_providers):
    overdue_case(case_for, personas.caseworker, 1)
    call_command("notify_overdue", "--batch-size", "2")
    output = capsys.readouterr().out
    assert "1 overdue items" in output and "1 notifications sent" in output
