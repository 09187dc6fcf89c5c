"""Requesting an export: checked, audited, and queued as a background job."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from pcm.accounts.models import User
from pcm.audit.actions import record_event
from pcm.core.errors import ActionRefused
from pcm.exports.models import ExportEvent
from pcm.exports.rules import Scope, may_export
from pcm.exports.tasks import CASELOAD
from pcm.jobs.actions import enqueue
from pcm.jobs.models import Job
from pcm.vault.archive import MIN_PASSWORD_LENGTH


def request_caseload_export(user: User, scope: str, password: str) -> Job:
    """Queue USER's caseload export of SCOPE, to be protected by PASSWORD (kept encrypted in
    the job until it ends, then wiped)."""
    if not may_export(user):
        raise ActionRefused(_("Only supervisors and managers may export cases."))
    if scope not in Scope.values:
        raise ActionRefused(_("Choose which cases to export."))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ActionRefused(
            _("The password is too short: use at least %(minimum)d characters.")
            % {"minimum": MIN_PASSWORD_LENGTH}
        )
    with transaction.atomic():
        job = enqueue(CASELOAD, owner=user, params={"scope": scope}, secrets={"password": password})
        record_event(
            ExportEvent.REQUESTED,
            actor=user,
            target=job,
            agency=user.agency,
            detail={"job": str(job.public_id), "scope": scope, "format": "csv"},
        )
    return job


def recent_exports(user: User, limit: int = 10) -> list[Job]:
    return list(Job.objects.filter(owner=user, kind=CASELOAD).order_by("-created_at")[:limit])
