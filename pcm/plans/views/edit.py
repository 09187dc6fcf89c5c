"""Preparing the plan: the draft's goals and actions, edited with extra empty rows."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from pcm.cases.models import Case
from pcm.core.errors import ActionRefused, EditConflict
from pcm.plans import permissions
from pcm.plans.actions import do_save_plan_draft
from pcm.plans.forms import PlanEditor
from pcm.plans.models import CasePlan, PlanStatus, PlanVersion
from pcm.plans.views.common import case_for_request, with_content


def _latest(case: Case) -> PlanVersion | None:
    plan = CasePlan.objects.filter(case=case).first()
    if plan is None:
        return None
    return with_content(plan.versions.select_related("updated_by")).order_by("-number").first()


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def edit_draft(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Edit the draft, or start one copied from the last version (saved as a new version)."""
    user, case = case_for_request(request, public_id)
    if not permissions.is_caseworker_of(user, case):
        raise PermissionDenied
    if case.status not in permissions.PLANNING_STEPS:
        messages.error(
            request, _("A plan is prepared once the case has reached case action planning.")
        )
        return redirect("plans:plan", public_id=case.public_id)
    base = _latest(case)
    if base is not None and base.status == PlanStatus.SUBMITTED:
        messages.error(
            request,
            _("This plan is waiting for the supervisor's approval. Wait for their decision."),
        )
        return redirect("plans:plan", public_id=case.public_id)
    editor = PlanEditor(request.POST if request.method == "POST" else None, base=base)
    status = 200
    if request.method == "POST":
        if editor.is_valid():
            form = editor.form.cleaned_data
            try:
                version = do_save_plan_draft(
                    case,
                    editor.draft(),
                    based_on_number=form.get("based_on_number"),
                    based_on_version=form.get("based_on_version"),
                    acting_user=user,
                )
            except EditConflict as conflict:
                # Keep what the user typed; the next save starts from the newer version.
                editor = _rebased(request, base=_latest(case))
                editor.is_valid()
                editor.form.add_error(
                    None,
                    _("%(conflict)s Your changes are still below; check them and save again.")
                    % {"conflict": conflict.message},
                )
                status = 409
            except ActionRefused as refusal:
                editor.form.add_error(None, str(refusal.message))
                status = 409
            else:
                messages.success(
                    request,
                    _("Draft saved as version %(number)s. Submit it when it is agreed.")
                    % {"number": version.number},
                )
                return redirect("plans:version", public_id=case.public_id, number=version.number)
        else:
            status = 400
    context = {"case": case, "editor": editor, "base": base}
    return render(request, "plans/edit.html", context, status=status)


def _rebased(request: HttpRequest, *, base: PlanVersion | None) -> PlanEditor:
    data = request.POST.copy()
    data["based_on_number"] = str(base.number) if base else ""
    data["based_on_version"] = str(base.version) if base else ""
    return PlanEditor(data, base=base)
