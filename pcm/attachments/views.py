"""Attachment pages: upload to a case, download through the access policy, delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pcm.access import policy
from pcm.attachments import actions, permissions
from pcm.attachments.forms import AttachmentForm, DeleteForm
from pcm.cases.models import Case
from pcm.core.errors import ActionRefused
from pcm.core.http import current_user


def back_to_case(case: Case) -> HttpResponseRedirect:
    return HttpResponseRedirect(
        reverse("cases:detail", kwargs={"public_id": case.public_id}) + "#attachments"
    )


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, public_id: str) -> HttpResponse:
    """Attach a file to the case (the case page's form posts here; errors are shown here)."""
    user = current_user(request)
    case = policy.get_case_to_work_on(user, public_id)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.upload_attachment(
                    case,
                    kind=data["kind"],
                    title=data["title"],
                    uploaded=data["file"],
                    acting_user=user,
                )
            except ActionRefused as refusal:
                form.add_error("file", str(refusal.message))
            else:
                messages.success(request, _("The file is attached to the case, encrypted."))
                return back_to_case(case)
    context = {"case": case, "form": form}
    return render(request, "attachments/upload.html", context, status=status)


@login_required
@require_GET
def download(request: HttpRequest, public_id: str) -> HttpResponse:
    """The file, decrypted in memory, as a download with a generic name; every one audited."""
    user = current_user(request)
    attachment = permissions.get_attachment_for(user, public_id)
    if not permissions.may_see_attachments(user, attachment.case):
        raise PermissionDenied
    try:
        content = actions.download_attachment(attachment, acting_user=user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal.message))
        return back_to_case(attachment.case)
    response = HttpResponse(content, content_type=attachment.content_type)
    name = attachment.download_name()
    disposition = content_disposition_header(as_attachment=True, filename=name)
    response["Content-Disposition"] = disposition or "attachment"
    response["Content-Length"] = str(len(content))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    response["Pragma"] = "no-cache"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, public_id: str) -> HttpResponse:
    """Delete an attachment, with a reason: its file is destroyed, the record stays listed."""
    user = current_user(request)
    attachment = permissions.get_attachment_for(user, public_id)
    case = attachment.case
    if not permissions.may_delete(user, case):
        raise PermissionDenied
    form = DeleteForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                actions.delete_attachment(
                    attachment, reason=form.cleaned_data["reason"], acting_user=user
                )
            except ActionRefused as refusal:
                form.add_error(None, str(refusal.message))
            else:
                messages.success(request, _("The attachment is deleted and its file destroyed."))
                return back_to_case(case)
    if attachment.is_deleted and request.method == "GET":
        messages.info(request, _("This attachment has already been deleted."))
        return back_to_case(case)
    context = {"case": case, "attachment": attachment, "form": form}
    return render(request, "attachments/delete.html", context, status=status)
