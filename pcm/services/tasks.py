"""The background job that checks every row of an uploaded directory file, then imports it
(all of it, or nothing when any row has an error); and the wiping of files left behind."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from pcm.audit.actions import record_event
from pcm.core.errors import ActionRefused
from pcm.jobs.actions import complete_job
from pcm.jobs.models import FINISHED_JOB_STATUSES, Job, JobMessage
from pcm.jobs.registry import JobFailed, ProgressReporter, job_kind, periodic
from pcm.services import actions
from pcm.services.directory import may_maintain
from pcm.services.models import DirectoryEvent, DirectoryImport
from pcm.services.spreadsheet_check import ERROR_CAP, CheckedFile, RowError, check_table
from pcm.services.spreadsheet_upload import read_table
from pcm.vault.crypto import decrypt_bytes

IMPORT = "services.import"
INVALID = "invalid"


@job_kind(
    IMPORT,
    title=_("Service directory import"),
    messages={
        "reading": _("Reading the file…"),
        "checking": _("Checking every row…"),
        "saving": _("Saving the directory…"),
        INVALID: _(
            "The file has errors, so nothing was imported. The import page lists them: correct "
            "the file and import it again."
        ),
        # Shown in place of the generic "Finished."
        "done": _("Imported. The import page says what changed."),
    },
    back_url="services:import",
    back_label=_("Back to the import page"),
)
def import_directory_file(job: Job, report_progress: ProgressReporter) -> None:
    upload = DirectoryImport.objects.get(job=job)
    try:
        _check_and_import(job, upload, report_progress)
    finally:
        DirectoryImport.objects.filter(pk=upload.pk).update(content=b"")


def _check_and_import(job: Job, upload: DirectoryImport, report_progress: ProgressReporter) -> None:
    user = job.owner
    if not may_maintain(user) or user.agency_id != upload.agency_id:
        raise JobFailed(JobMessage.NOT_ALLOWED)
    report_progress(0, None, "reading")
    content = decrypt_bytes(bytes(upload.content), actions.import_context(job))
    try:
        table = read_table(content, upload.file_format)
    except ActionRefused as refusal:
        _reject(job, upload, CheckedFile(errors=[RowError(0, "", str(refusal.message))]))
    del content
    report_progress(0, None, "checking")
    checked = check_table(table, lambda done, total: report_progress(done, total))
    upload.rows = checked.checked
    if checked.errors:
        _reject(job, upload, checked)
    report_progress(job.progress_total, message="saving")
    with transaction.atomic():
        counts = actions.import_directory(user, checked.rows, job=job)
        for name, value in asdict(counts).items():
            setattr(upload, name, value)
        upload.save(update_fields=[*asdict(counts), "rows"])
        complete_job(job)


def _reject(job: Job, upload: DirectoryImport, checked: CheckedFile) -> None:
    """Keep the errors for the page (at most ERROR_CAP of them) and fail the job."""
    errors = sorted(checked.errors, key=lambda error: error.row)
    upload.errors = [[error.row, error.column, error.message] for error in errors[:ERROR_CAP]]
    upload.error_count = len(errors)
    with transaction.atomic():
        upload.save(update_fields=["errors", "error_count", "rows"])
        record_event(
            DirectoryEvent.IMPORT_REJECTED,
            actor=job.owner,
            target=job,
            agency=job.owner.agency,
            detail={"job": str(job.public_id), "errors": len(errors)},
        )
    raise JobFailed(INVALID)


@periodic("services.import_files", every=timedelta(hours=1))
def wipe_import_files() -> None:
    """Empty the files of imports whose job ended without running (cancelled, never started)."""
    DirectoryImport.objects.filter(job__status__in=FINISHED_JOB_STATUSES).exclude(
        content=b""
    ).update(content=b"")
