"""The export page: the form (after confirming it's you) and the user's recent exports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from pcm.accounts.reauth import require_recent_confirmation
from pcm.core.errors import ActionRefused
from pcm.core.http import current_user
from pcm.exports import actions
from pcm.exports.forms import ExportForm
from pcm.exports.rules import may_export
from pcm.jobs.access import job_message


def _refuse_others(request: HttpRequest) -> None:
    if not may_export(request.user):
        raise PermissionDenied


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def export_index(request: HttpRequest) -> HttpResponse:
    # The role is checked before the confirmation, so that nobody is asked to confirm for
    # a page they may not use.
    _refuse_others(request)
    return _export_form(request)


@require_recent_confirmation
def _export_form(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = ExportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                job = actions.request_caseload_export(
                    user, form.cleaned_data["scope"], form.cleaned_data["password"]
                )
            except ActionRefused as refusal:
                form.add_error(None, str(refusal.message))
            else:
                messages.success(
                    request,
                    _(
                        "Export started. It is prepared in the background; this page shows when "
                        "it is ready to download."
                    ),
                )
                return redirect("jobs:detail", public_id=job.public_id)
    recent = [(job, job_message(job)) for job in actions.recent_exports(user)]
    return render(request, "exports/index.html", {"form": form, "recent": recent}, status=status)
