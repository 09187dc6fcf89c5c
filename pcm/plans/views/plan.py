"""The plan page (the plan in force, the pending version, the history) and one version's page."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from pcm.accounts.models import User
from pcm.audit.actions import record_event
from pcm.cases.models import Case
from pcm.plans.events import PlanEvent
from pcm.plans.forms import ApprovePlanForm, SendBackPlanForm, SubmitPlanForm
from pcm.plans.models import ActionStatus, PlanReview, PlanStatus, PlanVersion
from pcm.plans.views.common import abilities, case_for_request, plan_state, version_for

RECENT_REVIEWS = 5


def plan_page_context(user: User, case: Case) -> dict[str, Any]:
    state = plan_state(case)
    reviews = (
        list(
            PlanReview.objects.filter(plan=state.plan)
            .select_related("reviewed_by")
            .order_by("-reviewed_at", "-id")[:RECENT_REVIEWS]
        )
        if state.plan
        else []
    )
    return {
        "case": case,
        "state": state,
        "reviews": reviews,
        "can": abilities(user, case),
        "today": timezone.localdate(),
        "status_choices": ActionStatus.choices,
    }


def render_plan_page(
    request: HttpRequest, user: User, case: Case, *, status: int = 200, **extra: Any
) -> HttpResponse:
    context = plan_page_context(user, case)
    context.update(extra)
    return render(request, "plans/plan.html", context, status=status)


@never_cache
@login_required
@require_GET
def plan_page(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The case's plan: the version in force with its actions, what is pending, every version."""
    user, case = case_for_request(request, public_id)
    record_event(PlanEvent.VIEWED, actor=user, target=case, agency=case.agency)
    return render_plan_page(request, user, case)


def version_page_context(user: User, case: Case, version: PlanVersion) -> dict[str, Any]:
    can = abilities(user, case)
    context: dict[str, Any] = {
        "case": case,
        "version": version,
        "can": can,
        "today": timezone.localdate(),
    }
    if can.edit and version.status == PlanStatus.DRAFT:
        context["submit_form"] = SubmitPlanForm(initial={"version": version.version})
    if can.decide and version.status == PlanStatus.SUBMITTED:
        context["approve_form"] = ApprovePlanForm(initial={"version": version.version})
        context["send_back_form"] = SendBackPlanForm(initial={"version": version.version})
    return context


def render_version_page(
    request: HttpRequest,
    user: User,
    case: Case,
    version: PlanVersion,
    *,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    context = version_page_context(user, case, version)
    context.update(forms)
    return render(request, "plans/version.html", context, status=status)


@never_cache
@login_required
@require_GET
def version_page(request: HttpRequest, public_id: uuid.UUID, number: int) -> HttpResponse:
    """One version of the plan, as it was submitted or decided, with the forms that apply."""
    user, case = case_for_request(request, public_id)
    version = version_for(case, number)
    record_event(
        PlanEvent.VIEWED, actor=user, target=version, agency=case.agency, detail={"case": case.pk}
    )
    return render_version_page(request, user, case, version)
