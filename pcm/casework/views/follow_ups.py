"""Scheduling and recording follow-ups, and moving between implementation and follow-up."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pcm.access import policy
from pcm.cases.models import Case, CaseStatus
from pcm.casework import actions
from pcm.casework.forms import (
    FollowUpForm,
    FollowUpRecordForm,
    ResumeImplementationForm,
    StartFollowUpForm,
)
from pcm.casework.models import FollowUp
from pcm.casework.permissions import may_move_between_follow_up_steps
from pcm.casework.views.common import back_to_case, case_for_writing, form_page
from pcm.core.errors import ActionRefused, EditConflict
from pcm.core.http import current_user


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_schedule(request: HttpRequest, public_id: str) -> HttpResponse:
    user, case = case_for_writing(request, public_id)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_schedule_follow_up(case, form.details(), acting_user=user)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal.message))
        else:
            messages.success(request, _("The follow-up is scheduled."))
            return back_to_case(case)
    context = {
        "case": case,
        "form": form,
        "title": _("Schedule a follow-up"),
        "submit": _("Schedule the follow-up"),
    }
    return form_page(request, context)


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_record(request: HttpRequest, public_id: str, follow_up_id: int) -> HttpResponse:
    """Record that a follow-up took place, its outcome, and when the next one is due."""
    user, case = case_for_writing(request, public_id)
    follow_up = get_object_or_404(
        FollowUp.objects.select_related("recorded_by"), pk=follow_up_id, case=case
    )
    form = FollowUpRecordForm(
        request.POST or None,
        purpose=follow_up.purpose,
        mode=follow_up.mode,
        initial={"version": follow_up.version},
    )
    conflict = False
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_record_follow_up(
                follow_up,
                form.recorded_outcome(),
                expected_version=form.cleaned_data["version"],
                acting_user=user,
            )
        except ActionRefused as refusal:
            conflict = isinstance(refusal, EditConflict)
            form.add_error(None, str(refusal.message))
        else:
            messages.success(request, _("The follow-up is recorded."))
            return back_to_case(case)
    context = {
        "case": case,
        "form": form,
        "title": _("Record a follow-up"),
        "submit": _("Save the follow-up"),
        "follow_up": follow_up,
    }
    return form_page(request, context, conflict=conflict)


def _case_for_moving(request: HttpRequest, public_id: str) -> Case:
    case = policy.get_case_for(current_user(request), public_id)
    if not may_move_between_follow_up_steps(request.user, case):
        raise PermissionDenied
    return case


@login_required
@require_http_methods(["GET", "POST"])
def start_follow_up(request: HttpRequest, public_id: str) -> HttpResponse:
    """Implementation → follow-up; asks for the first follow-up when none is scheduled."""
    case = _case_for_moving(request, public_id)
    user = current_user(request)
    needs_first = not FollowUp.objects.scheduled().filter(case=case).exists()
    form = StartFollowUpForm(
        request.POST or None, needs_first=needs_first, initial={"version": case.version}
    )
    conflict = False
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_start_follow_up(
                case,
                expected_version=form.cleaned_data["version"],
                first_follow_up=form.first_follow_up(),
                acting_user=user,
            )
        except ActionRefused as refusal:
            conflict = isinstance(refusal, EditConflict)
            form.add_error(None, str(refusal.message))
        else:
            messages.success(request, _("The case is now in follow-up."))
            return back_to_case(case)
    context = {
        "case": case,
        "form": form,
        "title": _("Start follow-up"),
        "intro": _(
            "The plan's actions are under way; from now on the case is followed up at the "
            "scheduled dates."
        )
        if not needs_first
        else _("Schedule the first follow-up; the case then moves to the follow-up step."),
        "submit": _("Move the case to follow-up"),
        "wrong_step": case.status != CaseStatus.IMPLEMENTATION,
    }
    return form_page(request, context, conflict=conflict)


@login_required
@require_http_methods(["GET", "POST"])
def resume_implementation(request: HttpRequest, public_id: str) -> HttpResponse:
    """Follow-up → implementation, with the reason."""
    case = _case_for_moving(request, public_id)
    user = current_user(request)
    form = ResumeImplementationForm(request.POST or None, initial={"version": case.version})
    conflict = False
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_resume_implementation(
                case,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                acting_user=user,
            )
        except ActionRefused as refusal:
            conflict = isinstance(refusal, EditConflict)
            form.add_error(None, str(refusal.message))
        else:
            messages.success(request, _("The case is back in implementation."))
            return back_to_case(case)
    context = {
        "case": case,
        "form": form,
        "title": _("Back to implementation"),
        "submit": _("Move the case back to implementation"),
        "wrong_step": case.status != CaseStatus.FOLLOW_UP,
    }
    return form_page(request, context, conflict=conflict)
