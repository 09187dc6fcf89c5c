"""Supervision sessions: a caseworker's own, a supervisor's per caseworker, recording one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.forms import BaseFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pcm.accounts.models import User
from pcm.cases.models import Case
from pcm.core.errors import ActionRefused
from pcm.core.http import current_user
from pcm.supervision import access, actions
from pcm.supervision.forms import (
    AgreedActionForm,
    AgreedActionFormSet,
    SupervisionSessionForm,
    agreed_actions,
)
from pcm.supervision.models import SupervisionSession

ACTIONS_PREFIX = "actions"


def _with_details(sessions: QuerySet[SupervisionSession]) -> QuerySet[SupervisionSession]:
    return sessions.select_related("supervisor").prefetch_related(
        "actions",
        Prefetch("cases_discussed", queryset=Case.objects.only("pk", "number", "public_id")),
    )


@login_required
@require_GET
def my_sessions(request: HttpRequest) -> HttpResponse:
    """The caseworker's own supervision sessions and what was agreed in them."""
    user = current_user(request)
    if access.is_supervisor(user):
        return redirect("supervision:team")
    if not access.is_caseworker(user):
        raise PermissionDenied
    sessions = _with_details(access.sessions_visible_to(user))
    context = {"caseworker": user, "sessions": sessions, "own": True}
    return render(request, "supervision/sessions.html", context)


@login_required
@require_GET
def caseworker_sessions(request: HttpRequest, caseworker_id: int) -> HttpResponse:
    """The sessions the supervisor's teams held with one caseworker."""
    user = current_user(request)
    caseworker = access.get_supervised_caseworker(user, caseworker_id)
    sessions = _with_details(access.sessions_visible_to(user).filter(caseworker=caseworker))
    context = {"caseworker": caseworker, "sessions": sessions, "own": False}
    return render(request, "supervision/sessions.html", context)


def _session_forms(
    request: HttpRequest, supervisor: User, caseworker: User
) -> tuple[SupervisionSessionForm, BaseFormSet[AgreedActionForm]]:
    data = request.POST if request.method == "POST" else None
    form = SupervisionSessionForm(
        data,
        cases=actions.discussable_cases(supervisor, caseworker),
        initial={"held_on": timezone.localdate()},
    )
    formset = AgreedActionFormSet(
        data,
        prefix=ACTIONS_PREFIX,
        form_kwargs={"names": form.service_user_names() if data is not None else []},
    )
    return form, formset


@login_required
@require_http_methods(["GET", "POST"])
def record_session(request: HttpRequest, caseworker_id: int) -> HttpResponse:
    """The supervisor records a session with one caseworker of their teams."""
    user = current_user(request)
    caseworker = access.get_supervised_caseworker(user, caseworker_id)
    form, formset = _session_forms(request, user, caseworker)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            actions.do_record_supervision_session(
                caseworker, form.details(agreed_actions(formset)), acting_user=user
            )
        except ActionRefused as refusal:
            form.add_error(None, str(refusal.message))
        else:
            messages.success(request, _("The supervision session is recorded."))
            return redirect("supervision:caseworker_sessions", caseworker_id=caseworker.pk)
    context = {"caseworker": caseworker, "form": form, "formset": formset}
    return render(request, "supervision/session_form.html", context)


@login_required
@require_POST
def agreed_action_done(request: HttpRequest, action_id: int) -> HttpResponse:
    """The caseworker (or supervisor) marks an action agreed in supervision done."""
    user = current_user(request)
    action = access.get_agreed_action_for(user, action_id)
    try:
        actions.do_mark_agreed_action_done(action, acting_user=user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal.message))
    else:
        messages.success(request, _("The agreed action is marked done."))
    if access.is_caseworker(user):
        return redirect("supervision:my_sessions")
    return redirect("supervision:caseworker_sessions", caseworker_id=action.session.caseworker_id)
