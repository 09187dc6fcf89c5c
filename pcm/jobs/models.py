"""Background jobs kept in the database: no broker, no extra service, progress anyone can see.

A job is queued by a request, claimed by one `manage.py run_worker` process, run, and leaves
an encrypted result file for its owner to download within a day. Nothing personal is stored
in clear: `message` is a code, `params` holds ids and choices, and a secret a job needs (an
archive password) is encrypted in `params` and wiped as soon as the job ends.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


FINISHED_JOB_STATUSES = (JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED)


class JobMessage(models.TextChoices):
    """What a job says about itself, common to every kind (kinds add their own codes)."""

    QUEUED = "queued", _("Waiting for the background worker to start it.")
    RUNNING = "running", _("Working on it.")
    DONE = "done", _("Finished.")
    FAILED = (
        "failed",
        _(
            "Something went wrong and nothing was produced. Try again; if it fails again, ask "
            "an administrator to look at the worker's log."
        ),
    )
    CANCELLED = "cancelled", _("Cancelled: nothing was produced.")
    INTERRUPTED = (
        "interrupted",
        _("Stopped when the background worker stopped. Nothing was produced; start it again."),
    )
    NOT_STARTED = (
        "not_started",
        _(
            "Not started within a day: the background worker may not be running. Start it again "
            "and tell an administrator."
        ),
    )
    EXPIRED = "expired", _("The file was deleted 24 hours after it was made. Make a new one.")
    NOT_ALLOWED = "not_allowed", _("Your role no longer allows this, so nothing was produced.")


class Job(models.Model):
    """One piece of background work requested by a user."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=60)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    # A code (JobMessage or one the job's kind declares), translated when shown.
    message = models.CharField(max_length=40, default=JobMessage.QUEUED)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Updated by every progress report: a running job silent for too long was interrupted.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # Which worker process (host:pid) claimed the job, for the operator's log.
    worker = models.CharField(max_length=100, blank=True)
    # The storage name of the encrypted result under DATA_DIR/jobs, and the name it downloads as.
    result_file = models.CharField(max_length=100, blank=True)
    result_name = models.CharField(max_length=100, blank=True)
    result_size = models.PositiveBigIntegerField(default=0)
    expires_at = models.DateTimeField(null=True, blank=True)
    # Choices and ids only; secrets are encrypted under "secrets" and wiped when the job ends.
    params = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="job_status_created_idx"),
            models.Index(fields=["owner", "kind", "-created_at"], name="job_owner_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"job {self.public_id} ({self.kind}, {self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_JOB_STATUSES

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)

    @property
    def has_result(self) -> bool:
        """A result file its owner may still download."""
        return (
            self.status == JobStatus.DONE
            and bool(self.result_file)
            and self.expires_at is not None
            and self.expires_at > timezone.now()
        )


class LastRun(models.Model):
    """When each periodic task last ran; a worker claims a run by moving `started_at`."""

    name = models.CharField(max_length=60, unique=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    succeeded = models.BooleanField(default=False)
    runs = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("periodic task run")
        verbose_name_plural = _("periodic task runs")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} last started {self.started_at}"


class JobEvent(models.TextChoices):
    """Audit events of background jobs (the job's own events are recorded by its kind)."""

    CANCELLED = "job_cancelled", _("Background job cancelled")
    RESULT_DOWNLOADED = "job_result_downloaded", _("Background job's file downloaded")
