"""Background jobs: queue, claim once, progress, results that expire, secrets that go away."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from pcm.audit.models import AuditEvent
from pcm.jobs import actions
from pcm.jobs.models import Job, JobEvent, JobMessage, JobStatus, LastRun
from pcm.jobs.registry import periodic
from pcm.jobs.testing import run_pending_jobs
from pcm.jobs.tests.helpers import SECRET_SEEN, finished_job
from pcm.jobs.worker import Worker


def queued(owner, **params) -> Job:
    return actions.enqueue("tests.count", owner=owner, params=params)


def test_a_job_runs_to_the_end_and_its_progress_reaches_the_total(personas):
    job = queued(personas.manager, count=4, file=True)
    assert job.status == JobStatus.QUEUED
    assert run_pending_jobs() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert (job.progress_done, job.progress_total) == (4, 4)
    assert job.percent == 100
    assert job.has_result
    assert job.result_name == "count.txt"
    assert actions.read_result(job) == b"counted to 4"
    assert job.started_at is not None and job.finished_at is not None


def test_the_result_is_stored_encrypted(personas):
    job = queued(personas.manager, count=2, file=True)
    run_pending_jobs()
    job.refresh_from_db()
    stored = (actions.results_dir() / job.result_file).read_bytes()
    assert b"counted to" not in stored
    assert job.result_file == f"{job.public_id.hex}.pcmf"


def test_two_workers_racing_claim_a_job_once(personas):
    job = queued(personas.manager)
    assert actions.claim(job.pk, "worker-a") is True
    assert actions.claim(job.pk, "worker-b") is False
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING
    assert job.worker == "worker-a"


def test_two_workers_take_different_jobs(personas):
    first, second = queued(personas.manager), queued(personas.supervisor)
    taken_a = actions.claim_next("worker-a")
    taken_b = actions.claim_next("worker-b")
    assert taken_a is not None and taken_b is not None
    assert {taken_a.pk, taken_b.pk} == {first.pk, second.pk}
    assert actions.claim_next("worker-c") is None


def test_a_failure_is_recorded_with_a_generic_message_and_no_personal_data_in_the_log(
    personas, caplog
):
    job = queued(personas.manager, fail="crash")
    with caplog.at_level(logging.INFO, logger="pcm.jobs"):
        run_pending_jobs()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.message == JobMessage.FAILED
    assert "RuntimeError" in caplog.text
    assert str(job.public_id) in caplog.text
    assert "Zainab" not in caplog.text and "964" not in caplog.text


def test_a_job_may_fail_with_its_own_message(personas):
    job = queued(personas.manager, fail="refused")
    run_pending_jobs()
    job.refresh_from_db()
    assert (job.status, job.message) == (JobStatus.FAILED, JobMessage.NOT_ALLOWED)


def test_a_secret_is_encrypted_while_queued_and_wiped_when_the_job_ends(personas):
    SECRET_SEEN.clear()
    job = actions.enqueue(
        "tests.count",
        owner=personas.manager,
        params={"count": 1},
        secrets={"password": "a long archive password"},
    )
    raw = Job.objects.filter(pk=job.pk).values_list("params", flat=True).get()
    assert "a long archive password" not in str(raw)
    assert raw["secrets"]["password"].startswith("pcm1$")
    run_pending_jobs()
    assert SECRET_SEEN == ["a long archive password"]
    job.refresh_from_db()
    assert "secrets" not in job.params


def test_a_failed_job_loses_its_secret_too(personas):
    job = actions.enqueue(
        "tests.count",
        owner=personas.manager,
        params={"fail": "crash"},
        secrets={"password": "a long archive password"},
    )
    run_pending_jobs()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "secrets" not in job.params


def test_expired_results_are_removed(personas):
    job = queued(personas.manager, count=1, file=True)
    run_pending_jobs()
    job.refresh_from_db()
    path = actions.results_dir() / job.result_file
    assert path.exists()
    assert actions.delete_expired_results(timezone.now() + timedelta(hours=23)) == 0
    assert path.exists()
    removed = actions.delete_expired_results(timezone.now() + timedelta(hours=24, seconds=1))
    assert removed == 1
    assert not path.exists()
    job.refresh_from_db()
    assert job.result_file == ""
    assert job.message == JobMessage.EXPIRED
    assert not job.has_result


def test_the_worker_command_deletes_expired_results(personas):
    job = finished_job(personas.manager)
    path = actions.results_dir() / job.result_file
    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    call_command("run_worker", "--once")
    assert not path.exists()


def test_the_worker_command_runs_queued_jobs(personas):
    job = queued(personas.manager, count=2)
    call_command("run_worker", "--once")
    job.refresh_from_db()
    assert job.status == JobStatus.DONE


def test_stale_and_unstarted_jobs_are_given_up(personas):
    running = queued(personas.manager)
    actions.claim(running.pk, "gone-worker")
    waiting = actions.enqueue(
        "tests.count", owner=personas.manager, secrets={"password": "a long archive password"}
    )
    later = timezone.now() + timedelta(hours=25)
    assert actions.give_up_stale_jobs(later) == 2
    running.refresh_from_db()
    waiting.refresh_from_db()
    assert (running.status, running.message) == (JobStatus.FAILED, JobMessage.INTERRUPTED)
    assert (waiting.status, waiting.message) == (JobStatus.CANCELLED, JobMessage.NOT_STARTED)
    assert "secrets" not in waiting.params


def test_a_cancelled_job_stops_at_its_next_report(personas):
    job = queued(personas.manager, count=3, file=True)
    assert actions.claim(job.pk, "worker-a")
    job.refresh_from_db()
    actions.cancel_job(job, personas.manager)
    actions.run_job(job)
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    assert job.result_file == ""
    assert AuditEvent.objects.filter(event_type=JobEvent.CANCELLED, actor=personas.manager).exists()


def test_only_the_owner_may_cancel(personas):
    from pcm.core.errors import ActionRefused

    job = queued(personas.manager)
    with pytest.raises(ActionRefused):
        actions.cancel_job(job, personas.supervisor)


# --- Periodic tasks ---------------------------------------------------------------------------

CALLS: list[str] = []


@periodic("tests.tick", every=timedelta(hours=24))
def tick() -> None:
    CALLS.append("tick")


def test_a_periodic_task_runs_once_per_period(db):
    CALLS.clear()
    now = timezone.now()
    assert "tests.tick" in actions.run_due_periodic(now)
    assert "tests.tick" not in actions.run_due_periodic(now + timedelta(hours=1))
    assert "tests.tick" in actions.run_due_periodic(now + timedelta(hours=24))
    assert CALLS == ["tick", "tick"]
    last = LastRun.objects.get(name="tests.tick")
    assert last.runs == 2 and last.succeeded


def test_two_workers_do_not_both_run_a_periodic_task(db):
    CALLS.clear()
    now = timezone.now()
    actions.run_due_periodic(now)
    actions.run_due_periodic(now)  # a second worker at the same moment
    assert CALLS == ["tick"]


def test_worker_round(personas):
    job = queued(personas.manager)
    worker = Worker(name="round-worker", poll_seconds=0)
    assert worker.run_once() is True
    assert worker.run_once() is False
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.worker == "round-worker"


# --- Pages ------------------------------------------------------------------------------------


def test_the_job_page_shows_progress_and_polls_until_done(personas, client_for):
    job = queued(personas.manager, count=2, file=True)
    client = client_for(personas.manager)
    page = client.get(reverse("jobs:detail", kwargs={"public_id": job.public_id}))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'hx-trigger="every 2s"' in body
    assert "Waiting for the background worker" in body
    run_pending_jobs()
    panel = client.get(reverse("jobs:progress", kwargs={"public_id": job.public_id}))
    body = panel.content.decode()
    assert "hx-trigger" not in body
    assert reverse("jobs:download", kwargs={"public_id": job.public_id}) in body


def test_the_owner_downloads_the_result_and_it_is_audited(personas, client_for):
    job = finished_job(personas.supervisor)
    response = client_for(personas.supervisor).get(
        reverse("jobs:download", kwargs={"public_id": job.public_id})
    )
    assert response.status_code == 200
    assert response.content == b"a result"
    assert response["Content-Disposition"] == 'attachment; filename="result.txt"'
    assert AuditEvent.objects.filter(
        event_type=JobEvent.RESULT_DOWNLOADED, actor=personas.supervisor
    ).exists()


def test_other_people_get_404_for_a_job(personas, client_for):
    job = finished_job(personas.supervisor)
    for other in (personas.manager, personas.other_supervisor, personas.outsider_manager):
        client = client_for(other)
        for name in ("jobs:detail", "jobs:progress", "jobs:download"):
            response = client.get(reverse(name, kwargs={"public_id": job.public_id}))
            assert response.status_code == 404, (other, name)


def test_an_expired_result_cannot_be_downloaded(personas, client_for):
    job = finished_job(personas.supervisor)
    actions.delete_expired_results(timezone.now() + timedelta(days=2))
    client = client_for(personas.supervisor)
    url = reverse("jobs:download", kwargs={"public_id": job.public_id})
    assert client.get(url).status_code == 404
    page = client.get(reverse("jobs:detail", kwargs={"public_id": job.public_id}))
    assert "deleted 24 hours after" in page.content.decode()
