"""Transfers to another agency: the request, the receiving supervisors' decision, the stubs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pcm.access import policy
from pcm.cases.consent import sharing_decision
from pcm.closure import permissions, transfer_actions
from pcm.closure.forms import AcceptTransferForm, DeclineTransferForm, TransferRequestForm
from pcm.closure.models import TransferRequest, TransferStatus
from pcm.closure.sharing import transfer_preview
from pcm.closure.transfers import (
    get_incoming_transfer_for,
    incoming_transfers_for,
    transferred_out_for,
)
from pcm.closure.views.common import back_to_case
from pcm.core.errors import ActionRefused, EditConflict
from pcm.core.http import current_user

PER_PAGE = 30


def _refusal_status(refusal: ActionRefused) -> int:
    return 409 if isinstance(refusal, EditConflict) else 400


@login_required
@require_http_methods(["GET", "POST"])
def request_transfer(request: HttpRequest, public_id: str) -> HttpResponse:
    """Ask another agency to take the case over, if the service user's consent allows it."""
    user = current_user(request)
    case = policy.get_case_for(user, public_id)
    if not permissions.may_request_transfer(user, case):
        raise PermissionDenied
    pending = (
        TransferRequest.objects.filter(case=case, status=TransferStatus.PENDING)
        .select_related("to_agency")
        .first()
    )
    form = TransferRequestForm(request.POST or None, from_agency_id=case.agency_id)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            transfer_actions.do_request_transfer(
                case, form.cleaned_data["to_agency"], form.cleaned_data["reason"], acting_user=user
            )
        except ActionRefused as refusal:
            form.add_error(None, str(refusal.message))
            status = _refusal_status(refusal)
        else:
            messages.success(
                request,
                _(
                    "Transfer requested. The case stays with you until the receiving agency "
                    "accepts it."
                ),
            )
            return back_to_case(case)
    elif request.method == "POST":
        status = 400
    context = {"case": case, "form": form, "pending": pending, "preview": transfer_preview(case)}
    return render(request, "closure/transfer_request.html", context, status=status)


def _require_agency_supervisor(request: HttpRequest) -> None:
    user = current_user(request)
    if user.agency_id is None or not permissions.is_supervisor_of_agency(user, user.agency_id):
        raise PermissionDenied


@login_required
@require_GET
def incoming_transfers(request: HttpRequest) -> HttpResponse:
    """Transfer requests waiting for this agency: no personal data until accepted."""
    _require_agency_supervisor(request)
    page = Paginator(incoming_transfers_for(request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "closure/incoming_transfers.html", {"page": page})


def _decision_page(
    request: HttpRequest,
    transfer: TransferRequest,
    *,
    accept_form: AcceptTransferForm | None = None,
    decline_form: DeclineTransferForm | None = None,
    status: int = 200,
) -> HttpResponse:
    agency_id = transfer.to_agency_id
    initial = {"version": transfer.version}
    context = {
        "transfer": transfer,
        "accept_form": accept_form or AcceptTransferForm(initial=initial, agency_id=agency_id),
        "decline_form": decline_form or DeclineTransferForm(initial=initial),
        # Which groups of information would come (names of groups only, nothing about them).
        "sharing": sharing_decision(transfer.case, transfer.to_agency),
    }
    return render(request, "closure/incoming_transfer.html", context, status=status)


@login_required
@require_GET
def incoming_transfer(request: HttpRequest, public_id: str) -> HttpResponse:
    """One incoming request, with the forms to accept or decline it."""
    return _decision_page(request, get_incoming_transfer_for(request.user, public_id))


@login_required
@require_POST
def accept_transfer(request: HttpRequest, public_id: str) -> HttpResponse:
    """Take the case over: choose the team and caseworker who will hold it."""
    user = current_user(request)
    transfer = get_incoming_transfer_for(user, public_id)
    form = AcceptTransferForm(request.POST, agency_id=transfer.to_agency_id)
    if not form.is_valid():
        return _decision_page(request, transfer, accept_form=form, status=400)
    try:
        case = transfer_actions.do_accept_transfer(
            transfer,
            team=form.cleaned_data["team"],
            caseworker=form.cleaned_data["caseworker"],
            expected_version=form.cleaned_data["version"],
            acting_user=user,
        )
    except ActionRefused as refusal:
        form.add_error(None, str(refusal.message))
        return _decision_page(request, transfer, accept_form=form, status=_refusal_status(refusal))
    messages.success(
        request,
        _("The case is now with your agency as %(number)s.") % {"number": case.number},
    )
    if policy.cases_visible_to(user).filter(pk=case.pk).exists():
        return back_to_case(case)
    return redirect("closure:incoming_transfers")


@login_required
@require_POST
def decline_transfer(request: HttpRequest, public_id: str) -> HttpResponse:
    """Decline with a reason; the case stays with the sending agency."""
    user = current_user(request)
    transfer = get_incoming_transfer_for(user, public_id)
    form = DeclineTransferForm(request.POST)
    if not form.is_valid():
        return _decision_page(request, transfer, decline_form=form, status=400)
    try:
        transfer_actions.do_decline_transfer(
            transfer,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
            acting_user=user,
        )
    except ActionRefused as refusal:
        form.add_error(None, str(refusal.message))
        return _decision_page(request, transfer, decline_form=form, status=_refusal_status(refusal))
    messages.success(request, _("The transfer was declined; the sending agency is told why."))
    return redirect("closure:incoming_transfers")


@login_required
@require_GET
def transferred_out(request: HttpRequest) -> HttpResponse:
    """The stubs of cases this agency transferred out: old number, date, receiving agency."""
    user = current_user(request)
    if not permissions.may_see_transferred_out(user):
        raise PermissionDenied
    page = Paginator(transferred_out_for(user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "closure/transferred_out.html", {"page": page})
