"""Implementation of the plan in force: action status updates and plan reviews."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from pcm.core.errors import ActionRefused
from pcm.plans import permissions
from pcm.plans.actions import do_record_plan_review, do_update_action_status
from pcm.plans.forms import ActionStatusForm, PlanReviewForm
from pcm.plans.models import ActionStatus, CasePlan, PlanAction, PlanReview
from pcm.plans.views.common import case_for_request
from pcm.plans.views.plan import render_plan_page


@login_required
@require_POST
def action_status(request: HttpRequest, public_id: uuid.UUID, action_id: int) -> HttpResponse:
    """The caseworker records progress on one action of the plan in force."""
    user, case = case_for_request(request, public_id)
    action = PlanAction.objects.filter(case=case, pk=action_id).first()
    if action is None:
        raise Http404
    action.case = case  # already loaded, with its team, through the policy
    if not permissions.is_caseworker_of(user, case):
        raise PermissionDenied
    form = ActionStatusForm(request.POST)
    if not form.is_valid():
        return render_plan_page(
            request, user, case, status=400, action_error=(action.pk, _("Choose a status."))
        )
    try:
        do_update_action_status(
            action,
            status=ActionStatus(form.cleaned_data["status"]),
            expected_version=form.cleaned_data["version"],
            acting_user=user,
        )
    except ActionRefused as refusal:
        return render_plan_page(
            request, user, case, status=409, action_error=(action.pk, str(refusal.message))
        )
    messages.success(
        request,
        _("Action %(number)s is now “%(status)s”.")
        % {"number": action.position, "status": ActionStatus(action.status).label},
    )
    return redirect("plans:plan", public_id=case.public_id)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The plan's reviews; the caseworker records one and sets the next review date."""
    user, case = case_for_request(request, public_id)
    can_review = permissions.can_edit_plan(user, case)
    if request.method == "POST" and not permissions.is_caseworker_of(user, case):
        raise PermissionDenied
    plan = CasePlan.objects.select_related("current_version").filter(case=case).first()
    form = PlanReviewForm(
        request.POST if request.method == "POST" else None,
        initial={"version": plan.version if plan else 0, "next_review_on": None},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                do_record_plan_review(
                    case,
                    outcome=form.cleaned_data["outcome"],
                    next_review_on=form.cleaned_data["next_review_on"],
                    expected_version=form.cleaned_data["version"],
                    acting_user=user,
                )
            except ActionRefused as refusal:
                form.add_error(None, str(refusal.message))
                status = 409
            else:
                messages.success(request, _("The review is recorded."))
                return redirect("plans:plan", public_id=case.public_id)
    reviews = (
        PlanReview.objects.filter(plan=plan).select_related("reviewed_by", "plan_version")
        if plan
        else PlanReview.objects.none()
    )
    context = {
        "case": case,
        "plan": plan,
        "form": form,
        "can_review": can_review,
        "reviews": list(reviews),
    }
    return render(request, "plans/review.html", context, status=status)
