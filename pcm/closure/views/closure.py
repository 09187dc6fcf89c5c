"""Closure: the caseworker requests it; the supervisor approves or sends it back; reopening."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pcm.access import policy
from pcm.cases.models import Case, CaseStatus
from pcm.closure import actions, permissions
from pcm.closure.forms import ClosureRequestForm, DecisionForm, ReopenForm, SendBackForm
from pcm.closure.models import ClosureCriterion, ClosureRequest
from pcm.closure.records import pending_closure
from pcm.closure.views.common import back_to_case
from pcm.core.errors import ActionRefused, EditConflict
from pcm.core.http import current_user


def _refusal_status(refusal: ActionRefused) -> int:
    return 409 if isinstance(refusal, EditConflict) else 400


@login_required
@require_http_methods(["GET", "POST"])
def request_closure(request: HttpRequest, public_id: str) -> HttpResponse:
    """The caseworker asks for the case to be closed, against a criterion, with a summary."""
    user = current_user(request)
    case = policy.get_case_for(user, public_id)
    if not permissions.may_request_closure(user, case):
        raise PermissionDenied
    closable = case.status in actions.CLOSABLE_STEPS
    form = ClosureRequestForm(request.POST or None, initial={"version": case.version})
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_request_closure(
                case,
                criterion=ClosureCriterion(data["criterion"]),
                summary=data["summary"],
                contact_attempts=data["contact_attempts"],
                expected_version=data["version"],
                acting_user=user,
            )
        except ActionRefused as refusal:
            form.add_error(None, str(refusal.message))
            status = _refusal_status(refusal)
        else:
            messages.success(
                request,
                _("Closure requested. The supervisor of the team has been asked to approve it."),
            )
            return back_to_case(case)
    elif request.method == "POST":
        status = 400
    context = {"case": case, "form": form, "closable": closable}
    return render(request, "closure/request.html", context, status=status)


def _review(
    request: HttpRequest,
    case: Case,
    closure: ClosureRequest,
    *,
    approve_form: DecisionForm | None = None,
    send_back_form: SendBackForm | None = None,
    status: int,
) -> HttpResponse:
    context = {
        "case": case,
        "closure": closure,
        "approve_form": approve_form or DecisionForm(initial={"version": closure.version}),
        "send_back_form": send_back_form or SendBackForm(initial={"version": closure.version}),
    }
    return render(request, "closure/review.html", context, status=status)


def _pending_for_decision(
    request: HttpRequest, public_id: str
) -> tuple[Case, ClosureRequest | None]:
    user = current_user(request)
    case = policy.get_case_for(user, public_id)
    if not permissions.may_decide_closure(user, case):
        raise PermissionDenied
    closure = pending_closure(case)
    if closure is None:
        messages.error(request, _("This case has no closure request waiting for a decision."))
    return case, closure


@login_required
@require_POST
def approve_closure(request: HttpRequest, public_id: str) -> HttpResponse:
    """The team's supervisor approves the closure; the case is closed."""
    case, closure = _pending_for_decision(request, public_id)
    if closure is None:
        return back_to_case(case)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _review(request, case, closure, approve_form=form, status=400)
    try:
        actions.do_approve_closure(
            closure,
            expected_version=form.cleaned_data["version"],
            acting_user=current_user(request),
        )
    except ActionRefused as refusal:
        form.add_error(None, str(refusal.message))
        return _review(request, case, closure, approve_form=form, status=_refusal_status(refusal))
    messages.success(request, _("Closure approved: the case is closed."))
    return back_to_case(case)


@login_required
@require_POST
def send_back_closure(request: HttpRequest, public_id: str) -> HttpResponse:
    """The supervisor sends the request back with a comment; the case returns to its step."""
    case, closure = _pending_for_decision(request, public_id)
    if closure is None:
        return back_to_case(case)
    form = SendBackForm(request.POST)
    if not form.is_valid():
        return _review(request, case, closure, send_back_form=form, status=400)
    try:
        actions.do_send_back_closure(
            closure,
            comment=form.cleaned_data["comment"],
            expected_version=form.cleaned_data["version"],
            acting_user=current_user(request),
        )
    except ActionRefused as refusal:
        form.add_error(None, str(refusal.message))
        return _review(request, case, closure, send_back_form=form, status=_refusal_status(refusal))
    messages.success(request, _("The closure request was sent back to the caseworker."))
    return back_to_case(case)


@login_required
@require_http_methods(["GET", "POST"])
def reopen_case(request: HttpRequest, public_id: str) -> HttpResponse:
    """Reopen a closed case with a reason: it goes back to assessment."""
    user = current_user(request)
    case = policy.get_case_for(user, public_id)
    if not permissions.may_reopen(user, case):
        raise PermissionDenied
    form = ReopenForm(request.POST or None, initial={"version": case.version})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_reopen_case(
                case,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                acting_user=user,
            )
        except ActionRefused as refusal:
            form.add_error(None, str(refusal.message))
            status = _refusal_status(refusal)
        else:
            messages.success(request, _("The case is reopened and back at assessment."))
            return back_to_case(case)
    elif request.method == "POST":
        status = 400
    context = {"case": case, "form": form, "closed": case.status == CaseStatus.CLOSED}
    return render(request, "closure/reopen.html", context, status=status)
