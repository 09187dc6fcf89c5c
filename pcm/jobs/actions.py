"""Queueing, claiming, running and finishing background jobs, and their result files.

Claims are a single `UPDATE ... WHERE id = ? AND status = 'queued'`: whichever worker's update
changes the row owns the job, on SQLite and PostgreSQL alike, without locks held across work.
"""

from __future__ import annotations

import logging
import os
import time
import traceback
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation

from pcm.accounts.models import User
from pcm.audit.actions import record_event
from pcm.core.errors import ActionRefused
from pcm.jobs.models import (
    Job,
    JobEvent,
    JobMessage,
    JobStatus,
    LastRun,
)
from pcm.jobs.registry import JobCancelled, JobFailed, get_kind, periodic_tasks
from pcm.vault.crypto import decrypt_bytes, decrypt_text, encrypt_bytes, encrypt_text

logger = logging.getLogger("pcm.jobs")

RESULT_LIFETIME = timedelta(hours=24)
# A running job reports progress at least this often; one silent for longer was interrupted.
STALE_AFTER = timedelta(minutes=15)
# A job nobody started within this time is given up (its secret is wiped with it).
START_WITHIN = timedelta(hours=24)
# A periodic task that failed is tried again after this long (or its period, if shorter).
PERIODIC_RETRY = timedelta(hours=1)
SECRETS_KEY = "secrets"


# --- Result files ---------------------------------------------------------------------------


def results_dir() -> Path:
    return Path(settings.DATA_DIR) / "jobs"


def _result_path(storage_name: str) -> Path:
    # Storage names are made here from a UUID; never a path from elsewhere.
    return results_dir() / Path(storage_name).name


def _result_context(job: Job) -> str:
    return f"jobs.result.{job.public_id}"


def _write_result(job: Job, content: bytes) -> str:
    folder = results_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    storage_name = f"{job.public_id.hex}.pcmf"
    final = folder / storage_name
    partial = folder / f"{storage_name}.part"
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(encrypt_bytes(content, _result_context(job)))
        handle.flush()
        os.fsync(handle.fileno())
    partial.replace(final)
    return storage_name


def _delete_result(storage_name: str) -> None:
    if storage_name:
        _result_path(storage_name).unlink(missing_ok=True)


def read_result(job: Job) -> bytes:
    """The decrypted result of a finished job (the caller checked `job.has_result`)."""
    stored = _result_path(job.result_file).read_bytes()
    return decrypt_bytes(stored, _result_context(job))


# --- Queueing ------------------------------------------------------------------------------


def _secret_context(job: Job, name: str) -> str:
    return f"jobs.secret.{job.public_id}.{name}"


def enqueue(
    kind: str,
    *,
    owner: User,
    params: dict[str, Any] | None = None,
    secrets: dict[str, str] | None = None,
) -> Job:
    """Queue a job of KIND for OWNER. PARAMS: ids and choices only. SECRETS are encrypted
    until the job ends, then wiped."""
    if get_kind(kind) is None:
        raise ValueError(f"no job kind {kind!r} is registered")
    job = Job(kind=kind, owner=owner, agency=owner.agency)
    job.params = {**(params or {}), "language": translation.get_language() or ""}
    if secrets:
        job.params[SECRETS_KEY] = {
            name: encrypt_text(value, _secret_context(job, name)) for name, value in secrets.items()
        }
    job.save()
    logger.info("job %s (%s) queued", job.public_id, kind)
    return job


def job_secret(job: Job, name: str) -> str:
    """The secret NAME given to `enqueue`, while the job has not ended."""
    sealed = job.params.get(SECRETS_KEY, {}).get(name)
    if sealed is None:
        raise JobFailed(JobMessage.FAILED)
    return decrypt_text(sealed, _secret_context(job, name))


def _without_secrets(params: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in params.items() if key != SECRETS_KEY}


def cancel_job(job: Job, user: User) -> None:
    """The owner stops a job that has not finished; a running one stops at its next report."""
    if job.owner_id != user.pk:
        raise ActionRefused(translation.gettext("Only the person who started it can cancel it."))
    with transaction.atomic():
        changed = Job.objects.filter(
            pk=job.pk, status__in=(JobStatus.QUEUED, JobStatus.RUNNING)
        ).update(
            status=JobStatus.CANCELLED,
            message=JobMessage.CANCELLED,
            finished_at=timezone.now(),
            params=_without_secrets(job.params),
        )
        if not changed:
            raise ActionRefused(translation.gettext("It has already finished."))
        record_event(
            JobEvent.CANCELLED,
            actor=user,
            target=job,
            agency=job.agency,
            detail={"job": str(job.public_id), "kind": job.kind},
        )


def record_download(job: Job, user: User) -> None:
    record_event(
        JobEvent.RESULT_DOWNLOADED,
        actor=user,
        target=job,
        agency=job.agency,
        detail={"job": str(job.public_id), "kind": job.kind},
    )


def code_place(exc: BaseException) -> str:
    """Where EXC was raised, as file:line (function) frames: no source text, no values."""
    frames = traceback.extract_tb(exc.__traceback__)
    return " < ".join(
        f"{'/'.join(Path(frame.filename).parts[-2:])}:{frame.lineno} ({frame.name})"
        for frame in reversed(frames)
    )


# --- Claiming and running ------------------------------------------------------------------


def worker_name() -> str:
    return f"{os.uname().nodename}:{os.getpid()}"


def claim(job_id: int, worker: str) -> bool:
    """Take the queued job JOB_ID for WORKER; False if another worker (or a cancel) was first."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING,
        message=JobMessage.RUNNING,
        started_at=now,
        heartbeat_at=now,
        worker=worker[:100],
    )
    return claimed == 1


def claim_next(worker: str) -> Job | None:
    """The oldest queued job, claimed for WORKER, or None when the queue is empty."""
    candidates = list(
        Job.objects.filter(status=JobStatus.QUEUED)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:10]
    )
    for job_id in candidates:
        if claim(job_id, worker):
            return Job.objects.select_related("owner", "agency").get(pk=job_id)
    return None


def complete_job(job: Job, content: bytes | None = None, name: str = "") -> None:
    """Mark JOB done, with CONTENT as its encrypted result file to download as NAME.

    A job function calls it inside `transaction.atomic()` together with its audit event, so the
    record of what was produced and the job's completion commit together. Raises JobCancelled
    (and keeps no file) if the owner cancelled the job meanwhile.
    """
    storage_name = _write_result(job, content) if content is not None else ""
    now = timezone.now()
    fields: dict[str, Any] = {
        "status": JobStatus.DONE,
        "message": JobMessage.DONE,
        "finished_at": now,
        "heartbeat_at": now,
        "progress_done": F("progress_total"),
        "params": _without_secrets(job.params),
    }
    if storage_name:
        fields |= {
            "result_file": storage_name,
            "result_name": name[:100],
            "result_size": len(content or b""),
            "expires_at": now + RESULT_LIFETIME,
        }
    if not Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(**fields):
        _delete_result(storage_name)
        raise JobCancelled
    # Should the caller's transaction roll back, the file no job refers to is deleted by
    # the housekeeping (`delete_orphan_results`).
    job.refresh_from_db()


def _finish(job: Job, status: JobStatus, message: str) -> bool:
    now = timezone.now()
    changed = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        status=status,
        message=message,
        finished_at=now,
        heartbeat_at=now,
        params=_without_secrets(job.params),
    )
    return changed == 1


def _wipe_secrets(job: Job) -> None:
    stored = Job.objects.filter(pk=job.pk).values_list("params", flat=True).first()
    if stored is not None and SECRETS_KEY in stored:
        Job.objects.filter(pk=job.pk).update(params=_without_secrets(stored))


def _reporter(job: Job) -> Any:
    def report_progress(done: int, total: int | None = None, message: str | None = None) -> None:
        updates: dict[str, Any] = {"progress_done": done, "heartbeat_at": timezone.now()}
        if total is not None:
            updates["progress_total"] = total
            job.progress_total = total
        if message is not None:
            updates["message"] = message
            job.message = message
        job.progress_done = done
        if not Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(**updates):
            raise JobCancelled

    return report_progress


def run_job(job: Job) -> None:
    """Run a claimed (running) job to its end: done, failed or cancelled. Never raises."""
    started = time.monotonic()
    kind = get_kind(job.kind)
    try:
        if kind is None:
            raise LookupError("unknown job kind")
        language = job.params.get("language") or settings.LANGUAGE_CODE
        with translation.override(language):
            kind.function(job, _reporter(job))
    except JobCancelled:
        logger.info("job %s (%s) cancelled", job.public_id, job.kind)
    except JobFailed as failure:
        _finish(job, JobStatus.FAILED, failure.message)
        logger.warning("job %s (%s) failed: %s", job.public_id, job.kind, failure.message)
    except Exception as exc:
        _finish(job, JobStatus.FAILED, JobMessage.FAILED)
        # The type and the code's place, never the exception's text: it may quote data.
        logger.error(
            "job %s (%s) failed with %s at %s",
            job.public_id,
            job.kind,
            type(exc).__name__,
            code_place(exc),
        )
    else:
        if _finish(job, JobStatus.DONE, JobMessage.DONE):
            Job.objects.filter(pk=job.pk).update(progress_done=F("progress_total"))
        logger.info(
            "job %s (%s) finished in %.1f s", job.public_id, job.kind, time.monotonic() - started
        )
    finally:
        _wipe_secrets(job)


# --- Housekeeping --------------------------------------------------------------------------


def delete_expired_results(now: datetime | None = None) -> int:
    """Delete result files past their 24 hours; the job stays, saying the file expired."""
    now = now or timezone.now()
    expired = list(
        Job.objects.filter(expires_at__lte=now)
        .exclude(result_file="")
        .values_list("pk", "result_file")
    )
    for job_id, storage_name in expired:
        _delete_result(storage_name)
        Job.objects.filter(pk=job_id).update(result_file="", message=JobMessage.EXPIRED)
    return len(expired)


def delete_orphan_results(now: datetime | None = None) -> int:
    """Delete files under DATA_DIR/jobs that no job refers to (a crash between write and save)."""
    folder = results_dir()
    if not folder.is_dir():
        return 0
    cutoff = (now or timezone.now()) - timedelta(hours=1)
    known = set(Job.objects.exclude(result_file="").values_list("result_file", flat=True))
    removed = 0
    for path in folder.iterdir():
        if path.name in known or not path.is_file():
            continue
        if datetime.fromtimestamp(path.stat().st_mtime, tz=cutoff.tzinfo) < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def give_up_stale_jobs(now: datetime | None = None) -> int:
    """Fail running jobs silent for too long and drop queued ones nobody started in a day."""
    now = now or timezone.now()
    count = 0
    stale = Job.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
    unstarted = Job.objects.filter(status=JobStatus.QUEUED, created_at__lt=now - START_WITHIN)
    for queryset, status, message in (
        (stale, JobStatus.FAILED, JobMessage.INTERRUPTED),
        (unstarted, JobStatus.CANCELLED, JobMessage.NOT_STARTED),
    ):
        for job in queryset.only("pk", "params", "status", "public_id", "kind"):
            changed = Job.objects.filter(pk=job.pk, status=job.status).update(
                status=status,
                message=message,
                finished_at=now,
                params=_without_secrets(job.params),
            )
            if changed:
                count += 1
                logger.warning("job %s (%s) given up: %s", job.public_id, job.kind, message)
    return count


def housekeeping(now: datetime | None = None) -> None:
    delete_expired_results(now)
    delete_orphan_results(now)
    give_up_stale_jobs(now)


# --- Periodic tasks ------------------------------------------------------------------------


def run_due_periodic(now: datetime | None = None) -> list[str]:
    """Run each periodic task whose period has passed since its last start; their names."""
    ran = []
    for task in periodic_tasks():
        now_ = now or timezone.now()
        LastRun.objects.get_or_create(name=task.name)
        due = Q(started_at__isnull=True) | Q(started_at__lte=now_ - task.every)
        if not LastRun.objects.filter(due, name=task.name).update(
            started_at=now_, finished_at=None
        ):
            continue  # not due, or another worker took this run
        succeeded = False
        try:
            task.function()
            succeeded = True
        except Exception as exc:
            logger.error(
                "periodic task %s failed with %s at %s",
                task.name,
                type(exc).__name__,
                code_place(exc),
            )
        updates: dict[str, Any] = {
            "finished_at": timezone.now(),
            "succeeded": succeeded,
            "runs": F("runs") + 1,
        }
        if not succeeded:
            updates["started_at"] = now_ - task.every + min(task.every, PERIODIC_RETRY)
        LastRun.objects.filter(name=task.name).update(**updates)
        logger.info("periodic task %s %s", task.name, "done" if succeeded else "failed")
        ran.append(task.name)
    return ran
