"""Pages of pcm.retention: the agency's retention settings, a service user's own-data export,
and erasure requests (asked by a supervisor, confirmed by a manager)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from pcm.access import policy
from pcm.accounts.models import Role
from pcm.accounts.reauth import require_recent_confirmation
from pcm.cases.models import Case
from pcm.core.errors import ActionRefused, EditConflict
from pcm.core.http import current_user
from pcm.retention import actions, erasure
from pcm.retention.anonymise import last_run, preview, retention_months
from pcm.retention.erasure import get_erasure_for
from pcm.retention.forms import (
    ArchivePasswordForm,
    ConfirmErasureForm,
    DecisionForm,
    ErasureRequestForm,
    RetentionForm,
)
from pcm.retention.models import ErasureReason, ErasureRequest
from pcm.retention.subject_export import do_export_subject_data, may_export


def _refusal_status(refusal: ActionRefused) -> int:
    return 409 if isinstance(refusal, EditConflict) else 400


def _case_page(case: Case) -> HttpResponseRedirect:
    url = reverse("cases:detail", kwargs={"public_id": case.public_id})
    return HttpResponseRedirect(f"{url}#data-protection")


# --- Retention settings ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def retention_settings(request: HttpRequest) -> HttpResponse:
    """The agency's retention period, what a run would do now, and what the last one did."""
    user = current_user(request)
    if not actions.may_manage_retention(user) or user.agency is None:
        raise PermissionDenied
    agency = user.agency
    initial = {"retention_months": agency.retention_months, "current": agency.retention_months}
    form = RetentionForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                actions.do_set_retention_months(
                    agency,
                    months=form.cleaned_data["retention_months"],
                    expected_months=form.cleaned_data["current"],
                    acting_user=user,
                )
            except ActionRefused as refusal:
                form.add_error(None, str(refusal.message))
                status = _refusal_status(refusal)
            else:
                messages.success(
                    request,
                    _("Saved: closed cases are anonymised %(months)d months after closure.")
                    % {"months": agency.retention_months},
                )
                return redirect("retention:settings")
    context = {
        "agency": agency,
        "form": form,
        "effective_months": retention_months(agency),
        "preview": preview(agency),
        "last_run": last_run(agency),
        "pending_erasures": len(erasure.pending_requests_for(user)),
    }
    return render(request, "retention/settings.html", context, status=status)


# --- A service user's own data ---------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def subject_export(request: HttpRequest, public_id: str) -> HttpResponse:
    """Export everything PCM holds about the case's service user, as an encrypted archive."""
    user = current_user(request)
    case = policy.get_case_for(user, public_id)
    # The role is checked before the confirmation: nobody confirms for a page they may not use.
    if not may_export(user, case):
        raise PermissionDenied
    return _subject_export_form(request, case)


@require_recent_confirmation
def _subject_export_form(request: HttpRequest, case: Case) -> HttpResponse:
    user = current_user(request)
    form = ArchivePasswordForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                export = do_export_subject_data(
                    case, password=form.cleaned_data["password"], acting_user=user
                )
            except ActionRefused as refusal:
                form.add_error(None, str(refusal.message))
            else:
                response = HttpResponse(export.content, content_type="application/zip")
                response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
                response["Cache-Control"] = "no-store"
                return response
    return render(
        request, "retention/subject_export.html", {"case": case, "form": form}, status=status
    )


# --- Erasure on request ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def request_erasure(request: HttpRequest, public_id: str) -> HttpResponse:
    """The supervisor asks for the service user's data to be erased now."""
    user = current_user(request)
    case = policy.get_case_for(user, public_id)
    if not erasure.may_request_erasure(user, case):
        raise PermissionDenied
    form = ErasureRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                erasure.do_request_erasure(
                    case, reason=ErasureReason(form.cleaned_data["reason"]), acting_user=user
                )
            except ActionRefused as refusal:
                form.add_error(None, str(refusal.message))
                status = _refusal_status(refusal)
            else:
                messages.success(
                    request,
                    _(
                        "Erasure requested. A manager of the agency must confirm it; until then "
                        "nothing is erased."
                    ),
                )
                return _case_page(case)
    cases = erasure.person_cases(case.person, case.agency)
    visible = set(
        policy.cases_visible_to(user)
        .filter(pk__in=[item.pk for item in cases])
        .values_list("pk", flat=True)
    )
    context = {
        "case": case,
        "form": form,
        "pending": erasure.pending_erasure(case.person),
        "open_cases": [item for item in cases if item.is_open and item.pk in visible],
        "hidden_open": any(item.is_open and item.pk not in visible for item in cases),
    }
    return render(request, "retention/request_erasure.html", context, status=status)


@login_required
@require_POST
def cancel_erasure(request: HttpRequest, public_id: str) -> HttpResponse:
    """The supervisor withdraws their request before a manager decides."""
    user = current_user(request)
    item = get_erasure_for(user, public_id)
    if not erasure.may_cancel_erasure(user, item):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The request could not be read. Reload the page and try again."))
        return _case_page(item.case)
    try:
        erasure.do_cancel_erasure(
            item, expected_version=form.cleaned_data["version"], acting_user=user
        )
    except ActionRefused as refusal:
        messages.error(request, str(refusal.message))
    else:
        messages.success(request, _("The erasure request is cancelled. Nothing was erased."))
    return _case_page(item.case)


@login_required
@require_http_methods(["GET"])
def erasure_requests(request: HttpRequest) -> HttpResponse:
    """A manager's list of the erasure requests waiting for them."""
    user = current_user(request)
    if not actions.may_manage_retention(user) or user.role != Role.MANAGER:
        raise PermissionDenied
    context = {"pending": erasure.pending_requests_for(user)}
    return render(request, "retention/erasure_requests.html", context)


def _decidable(request: HttpRequest, public_id: str) -> ErasureRequest:
    user = current_user(request)
    item = get_erasure_for(user, public_id)
    if user.role != Role.MANAGER:
        raise PermissionDenied
    return item


def _review(
    request: HttpRequest,
    item: ErasureRequest,
    *,
    confirm_form: ConfirmErasureForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = current_user(request)
    cases = erasure.person_cases(item.person, item.agency)
    context = {
        "item": item,
        "cases": cases,
        "open_cases": [case for case in cases if case.is_open],
        "may_decide": item.is_pending and erasure.may_decide_erasure(user, item),
        "confirm_form": confirm_form or ConfirmErasureForm(initial={"version": item.version}),
        "decline_form": DecisionForm(initial={"version": item.version}),
    }
    return render(request, "retention/erasure_review.html", context, status=status)


@login_required
@never_cache
@require_http_methods(["GET"])
def erasure_review(request: HttpRequest, public_id: str) -> HttpResponse:
    """The manager reviews a request: which cases it erases, who asked and why."""
    item = _decidable(request, public_id)
    return require_recent_confirmation(_review)(request, item)


@login_required
@require_POST
def confirm_erasure(request: HttpRequest, public_id: str) -> HttpResponse:
    """The manager confirms: the service user's data is erased now."""
    item = _decidable(request, public_id)
    return _confirm(request, item)


@require_recent_confirmation
def _confirm(request: HttpRequest, item: ErasureRequest) -> HttpResponse:
    form = ConfirmErasureForm(request.POST)
    if not form.is_valid():
        return _review(request, item, confirm_form=form, status=400)
    try:
        done = erasure.do_confirm_erasure(
            item, expected_version=form.cleaned_data["version"], acting_user=current_user(request)
        )
    except ActionRefused as refusal:
        form.add_error(None, str(refusal.message))
        return _review(request, item, confirm_form=form, status=_refusal_status(refusal))
    messages.success(
        request,
        _("Erased: %(count)d cases of the service user are anonymised.")
        % {"count": len(erasure.person_cases(done.person, done.agency))},
    )
    return redirect("retention:erasure_requests")


@login_required
@require_POST
def decline_erasure(request: HttpRequest, public_id: str) -> HttpResponse:
    """The manager declines the request: nothing is erased."""
    item = _decidable(request, public_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _review(request, item, status=400)
    try:
        erasure.do_decline_erasure(
            item, expected_version=form.cleaned_data["version"], acting_user=current_user(request)
        )
    except ActionRefused as refusal:
        messages.error(request, str(refusal.message))
        return _review(request, item, status=_refusal_status(refusal))
    messages.success(request, _("The erasure request is declined. Nothing was erased."))
    return redirect("retention:erasure_requests")
