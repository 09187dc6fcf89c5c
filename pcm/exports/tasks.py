"""The background job that builds a caseload export into a password-protected archive."""

from __future__ import annotations

from collections.abc import Iterator

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcm.audit.actions import record_event
from pcm.exports.caseload import BATCH_SIZE, CaseloadExport, write_csv
from pcm.exports.models import ExportEvent
from pcm.exports.rules import may_export
from pcm.jobs.actions import complete_job, job_secret
from pcm.jobs.models import Job, JobMessage
from pcm.jobs.registry import JobFailed, ProgressReporter, job_kind
from pcm.vault.archive import encrypted_zip

CASELOAD = "exports.caseload"


@job_kind(
    CASELOAD,
    title=_("Caseload export"),
    messages={
        "reading": _("Reading the cases…"),
        "encrypting": _("Encrypting the archive…"),
        # Shown in place of the generic "Finished."
        "done": _("Ready. Open the archive with the password you chose (7-Zip, WinZip, Keka)."),
    },
    back_url="exports:index",
    back_label=_("Back to exports"),
)
def export_caseload(job: Job, report_progress: ProgressReporter) -> None:
    user = job.owner
    if not may_export(user):
        raise JobFailed(JobMessage.NOT_ALLOWED)
    password = job_secret(job, "password")
    export = CaseloadExport(user=user, scope=job.params["scope"], exported_at=timezone.now())
    ids = export.case_ids()
    report_progress(0, len(ids), "reading")

    def batches() -> Iterator[list[list[str]]]:
        for start in range(0, len(ids), BATCH_SIZE):
            yield list(export.rows(ids[start : start + BATCH_SIZE]))
            report_progress(min(start + BATCH_SIZE, len(ids)))

    table = write_csv(export, batches())
    report_progress(len(ids), message="encrypting")
    name = export.base_name()
    archive = encrypted_zip(
        {f"{name}.csv": table, "README.txt": export.readme().encode("utf-8-sig")}, password
    )
    del password
    summary = export.summary
    with transaction.atomic():
        complete_job(job, archive, f"{name}.zip")
        record_event(
            ExportEvent.EXPORTED,
            actor=user,
            target=job,
            agency=user.agency,
            fields=summary.columns,
            detail={
                "job": str(job.public_id),
                "scope": job.params["scope"],
                "format": "csv",
                "cases": summary.cases,
                "consent_withdrawn": summary.consent_withdrawn,
                "identity_hidden": summary.identity_hidden,
                "groups": summary.groups,
            },
        )
