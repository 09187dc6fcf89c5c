"""Pages of the directory as a spreadsheet: export, the template, and the managers' import."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from pcm.accounts.models import User
from pcm.attachments.rules import format_size
from pcm.core.errors import ActionRefused
from pcm.core.http import current_user
from pcm.jobs.access import get_job_for, job_message
from pcm.jobs.models import Job
from pcm.services import actions
from pcm.services.directory import may_maintain, may_search, services_of
from pcm.services.forms import ImportForm
from pcm.services.models import Cost, DirectoryImport, FileFormat, Sector
from pcm.services.spreadsheet import COLUMNS, directory_file, template_file
from pcm.services.spreadsheet_upload import MAX_BYTES, checked_upload
from pcm.services.tasks import IMPORT

CONTENT_TYPES = {
    FileFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileFormat.CSV: "text/csv; charset=utf-8",
}
RECENT_IMPORTS = 10


def _attachment(content: bytes, file_format: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[FileFormat(file_format)])
    safe_name = re.sub(r"[^A-Za-z0-9._-]", "_", name)
    response["Content-Disposition"] = f'attachment; filename="{safe_name}.{file_format}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def export_directory(request: HttpRequest, file_format: str) -> HttpResponse:
    """The agency's directory as a file: every service for its managers, the active ones for
    the others (what the search shows them)."""
    user = current_user(request)
    if not may_search(user):
        raise PermissionDenied
    services = services_of(user)
    if not may_maintain(user):
        services = services.filter(is_active=True)
    listed = list(
        services.select_related("provider")
        .prefetch_related("locations")
        .order_by("provider__name", "name", "pk")
    )
    content = directory_file(listed, file_format)
    actions.record_directory_export(user, file_format, len(listed))
    agency_code = user.agency.code if user.agency is not None else ""
    name = f"service-directory-{agency_code}-{timezone.localdate():%Y-%m-%d}"
    return _attachment(content, file_format, name)


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    if not may_maintain(current_user(request)):
        raise PermissionDenied
    return _attachment(template_file(), FileFormat.XLSX, "service-directory-template")


def _recent_imports(user: User) -> list[tuple[Job, DirectoryImport | None, Any]]:
    jobs = list(
        Job.objects.filter(owner=user, kind=IMPORT).order_by("-created_at")[:RECENT_IMPORTS]
    )
    uploads = {upload.job_id: upload for upload in DirectoryImport.objects.filter(job__in=jobs)}
    return [(job, uploads.get(job.pk), job_message(job)) for job in jobs]


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def import_directory(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not may_maintain(user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                content, file_format = checked_upload(form.cleaned_data["file"])
                job = actions.request_directory_import(user, content, file_format)
            except ActionRefused as refusal:
                form.add_error("file", str(refusal.message))
            else:
                messages.success(
                    request,
                    _("The file is uploaded. Every row is checked before anything is imported."),
                )
                return redirect("services:import_result", public_id=job.public_id)
    return render(
        request,
        "services/import.html",
        {
            "form": form,
            "columns": COLUMNS,
            "sectors": Sector.choices,
            "costs": Cost.choices,
            "max_size": format_size(MAX_BYTES),
            "recent": _recent_imports(user),
        },
        status=status,
    )


def _import_for(request: HttpRequest, public_id: uuid.UUID) -> dict[str, Any]:
    """The context of one of the user's own imports; 404 for anyone else's."""
    user = current_user(request)
    if not may_maintain(user):
        raise PermissionDenied
    job = get_job_for(user, public_id)
    upload = DirectoryImport.objects.filter(job=job).first()
    if job.kind != IMPORT or upload is None:
        raise Http404
    return {
        "job": job,
        "upload": upload,
        "message": job_message(job),
        "hidden_errors": upload.error_count - len(upload.errors),
    }


@login_required
@never_cache
@require_GET
def import_result(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return render(request, "services/import_result.html", _import_for(request, public_id))


@login_required
@never_cache
@require_GET
def import_progress(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The progress and outcome panel alone, polled by the page until the job ends."""
    return render(request, "services/_import_progress.html", _import_for(request, public_id))
