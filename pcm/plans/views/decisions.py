"""Submitting a draft, and the supervisor's approval or sending back."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pcm.core.errors import ActionRefused
from pcm.plans import permissions
from pcm.plans.actions import do_approve_plan, do_send_back_plan, do_submit_plan
from pcm.plans.forms import ApprovePlanForm, SendBackPlanForm, SubmitPlanForm
from pcm.plans.models import PlanStatus
from pcm.plans.views.common import case_for_request, version_for
from pcm.plans.views.plan import render_version_page


@login_required
@require_POST
def submit(request: HttpRequest, public_id: uuid.UUID, number: int) -> HttpResponse:
    """The caseworker submits the draft: for approval if high risk, else it comes into force."""
    user, case = case_for_request(request, public_id)
    if not permissions.is_caseworker_of(user, case):
        raise PermissionDenied
    version = version_for(case, number)
    form = SubmitPlanForm(request.POST)
    if form.is_valid():
        try:
            do_submit_plan(
                version,
                expected_version=form.cleaned_data["version"],
                agreed_with_service_user=form.cleaned_data["agreed_with_service_user"],
                acting_user=user,
            )
        except ActionRefused as refusal:
            form.add_error(None, str(refusal.message))
        else:
            if version.status == PlanStatus.SUBMITTED:
                messages.success(request, _("The plan was sent to the supervisor for approval."))
            else:
                messages.success(request, _("The plan is agreed and now in force."))
            return redirect("plans:plan", public_id=case.public_id)
    status = 409 if form.non_field_errors() else 400
    version = version_for(case, number)
    return render_version_page(request, user, case, version, status=status, submit_form=form)


@login_required
@require_POST
def approve(request: HttpRequest, public_id: uuid.UUID, number: int) -> HttpResponse:
    """The supervisor of the case's team approves a submitted plan."""
    return _decide(request, public_id, number, approving=True)


@login_required
@require_POST
def send_back(request: HttpRequest, public_id: uuid.UUID, number: int) -> HttpResponse:
    """The supervisor of the case's team sends a submitted plan back with a comment."""
    return _decide(request, public_id, number, approving=False)


def _decide(
    request: HttpRequest, public_id: uuid.UUID, number: int, *, approving: bool
) -> HttpResponse:
    user, case = case_for_request(request, public_id)
    if not permissions.is_supervisor_of(user, case):
        raise PermissionDenied
    version = version_for(case, number)
    form = (ApprovePlanForm if approving else SendBackPlanForm)(request.POST)
    decide = do_approve_plan if approving else do_send_back_plan
    if form.is_valid():
        try:
            decide(
                version,
                expected_version=form.cleaned_data["version"],
                comment=form.cleaned_data["comment"],
                acting_user=user,
            )
        except ActionRefused as refusal:
            form.add_error(None, str(refusal.message))
        else:
            messages.success(
                request,
                _("The plan is approved and now in force.")
                if approving
                else _("The plan was sent back to the caseworker."),
            )
            return redirect("plans:plan", public_id=case.public_id)
    status = 409 if form.non_field_errors() else 400
    version = version_for(case, number)
    fresh = {"version": version.version}
    return render_version_page(
        request,
        user,
        case,
        version,
        status=status,
        approve_form=form if approving else ApprovePlanForm(initial=fresh),
        send_back_form=SendBackPlanForm(initial=fresh) if approving else form,
    )
