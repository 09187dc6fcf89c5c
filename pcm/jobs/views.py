"""A job's page (its owner only): progress that updates itself, then the download."""

from __future__ import annotations

import mimetypes
import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from pcm.core.errors import ActionRefused
from pcm.core.http import current_user
from pcm.jobs import actions
from pcm.jobs.access import get_job_for, job_message, job_title
from pcm.jobs.models import Job
from pcm.jobs.registry import get_kind


def _context(job: Job) -> dict[str, Any]:
    kind = get_kind(job.kind)
    return {
        "job": job,
        "title": job_title(job),
        "message": job_message(job),
        "back_url": reverse(kind.back_url) if kind is not None and kind.back_url else "",
        "back_label": (kind.back_label if kind is not None else "") or _("Back"),
    }


@login_required
@require_GET
@never_cache
def job_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    job = get_job_for(current_user(request), public_id)
    return render(request, "jobs/detail.html", _context(job))


@login_required
@require_GET
@never_cache
def job_progress(request: HttpRequest, public_id: str) -> HttpResponse:
    """The progress panel alone, polled by the page every 2 seconds until the job ends."""
    job = get_job_for(current_user(request), public_id)
    return render(request, "jobs/_progress.html", _context(job))


@login_required
@require_GET
@never_cache
def job_download(request: HttpRequest, public_id: str) -> HttpResponse:
    user = current_user(request)
    job = get_job_for(user, public_id)
    if not job.has_result:
        raise Http404
    content = actions.read_result(job)
    actions.record_download(job, user)
    content_type = mimetypes.guess_type(job.result_name)[0] or "application/octet-stream"
    response = HttpResponse(content, content_type=content_type)
    safe_name = re.sub(r"[^A-Za-z0-9._-]", "_", job.result_name) or "download"
    response["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def job_cancel(request: HttpRequest, public_id: str) -> HttpResponse:
    user = current_user(request)
    job = get_job_for(user, public_id)
    try:
        actions.cancel_job(job, user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal.message))
    else:
        messages.success(request, _("Cancelled. Nothing was produced."))
    return redirect("jobs:detail", public_id=job.public_id)
