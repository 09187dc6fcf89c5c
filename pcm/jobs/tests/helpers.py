"""A job kind for tests, and a finished job with a result, for any owner."""

from __future__ import annotations

from django.db import transaction

from pcm.accounts.models import User
from pcm.jobs.actions import claim, complete_job, enqueue, job_secret
from pcm.jobs.models import Job
from pcm.jobs.registry import JobFailed, ProgressReporter, job_kind

SECRET_SEEN: list[str] = []


@job_kind("tests.count", title="Counting test", messages={"counting": "Counting"})
def count_job(job: Job, report_progress: ProgressReporter) -> None:
    """Counts to params["count"], reporting each step; fails or keeps a file as told."""
    total = int(job.params.get("count", 3))
    report_progress(0, total, "counting")
    for done in range(1, total + 1):
        report_progress(done)
    if "password" in job.params.get("secrets", {}):
        SECRET_SEEN.append(job_secret(job, "password"))
    if job.params.get("fail") == "crash":
        # Exception texts may quote personal data: the log must not repeat them.
        raise RuntimeError("Zainab Mineowner +964 750 111 1111")
    if job.params.get("fail") == "refused":
        raise JobFailed("not_allowed")
    if job.params.get("file"):
        with transaction.atomic():
            complete_job(job, b"counted to %d" % total, "count.txt")


def finished_job(owner: User) -> Job:
    """A job of OWNER's, done, with a result file to download."""
    job = enqueue("tests.count", owner=owner, params={"count": 1})
    assert claim(job.pk, "matrix-worker")
    job.refresh_from_db()
    complete_job(job, b"a result", "result.txt")
    return job
