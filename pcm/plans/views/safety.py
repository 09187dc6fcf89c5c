"""The safety plan: its page, its form, and the one page the service user takes home."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from pcm.audit.actions import record_event
from pcm.cases.models import Case
from pcm.core.errors import ActionRefused, EditConflict
from pcm.plans import permissions
from pcm.plans.events import PlanEvent
from pcm.plans.safety import SafetyPlan
from pcm.plans.safety_actions import do_save_safety_plan
from pcm.plans.safety_forms import SafetyPlanEditor
from pcm.plans.views.common import case_for_request


def _safety_plan(case: Case) -> SafetyPlan | None:
    return (
        SafetyPlan.objects.select_related("updated_by", "created_by")
        .prefetch_related("emergency_contacts")
        .filter(case=case)
        .first()
    )


@never_cache
@login_required
@require_GET
def safety_plan(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The case's safety plan, read-only, with links to edit and print it."""
    user, case = case_for_request(request, public_id)
    plan = _safety_plan(case)
    if plan is not None:
        record_event(
            PlanEvent.SAFETY_PLAN_VIEWED,
            actor=user,
            target=plan,
            agency=case.agency,
            detail={"case": case.pk},
        )
    context = {
        "case": case,
        "plan": plan,
        "can_edit": permissions.can_edit_safety_plan(user, case),
    }
    return render(request, "plans/safety_plan.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def edit_safety_plan(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Create or revise the safety plan with the service user."""
    user, case = case_for_request(request, public_id)
    if not permissions.is_caseworker_of(user, case):
        raise PermissionDenied
    if case.status not in permissions.SAFETY_PLAN_STEPS:
        messages.error(request, _("This case is no longer open: its safety plan cannot change."))
        return redirect("plans:safety", public_id=case.public_id)
    plan = _safety_plan(case)
    editor = SafetyPlanEditor(request.POST if request.method == "POST" else None, plan=plan)
    status = 200
    if request.method == "POST":
        status = 400
        if editor.is_valid():
            try:
                do_save_safety_plan(
                    case,
                    editor.data(),
                    expected_version=editor.expected_version,
                    acting_user=user,
                )
            except EditConflict as conflict:
                # Keep what the user typed; saving again starts from the newer version.
                data = request.POST.copy()
                newer = _safety_plan(case)
                data["version"] = str(newer.version) if newer else ""
                editor = SafetyPlanEditor(data, plan=newer)
                editor.is_valid()
                editor.form.add_error(None, str(conflict.message))
                status = 409
            except ActionRefused as refusal:
                editor.form.add_error(None, str(refusal.message))
                status = 409
            else:
                messages.success(request, _("The safety plan is saved."))
                return redirect("plans:safety", public_id=case.public_id)
    context = {"case": case, "plan": plan, "editor": editor}
    return render(request, "plans/safety_plan_edit.html", context, status=status)


@never_cache
@login_required
@require_GET
def print_safety_plan(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """One printable page with only what the service user needs; never cached."""
    user, case = case_for_request(request, public_id)
    plan = _safety_plan(case)
    if plan is None:
        messages.info(request, _("This case has no safety plan to print yet."))
        return redirect("plans:safety", public_id=case.public_id)
    record_event(
        PlanEvent.SAFETY_PLAN_PRINTED,
        actor=user,
        target=plan,
        agency=case.agency,
        detail={"case": case.pk},
    )
    return render(request, "plans/safety_plan_print.html", {"case": case, "plan": plan})
