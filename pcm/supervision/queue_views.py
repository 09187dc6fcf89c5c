"""The caseworker's today page and the supervisor's team page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from pcm.core.http import current_user
from pcm.supervision import access, overview


@login_required
@require_GET
def today(request: HttpRequest) -> HttpResponse:
    """Everything due on the caseworker's cases: overdue, today, the next seven days."""
    user = current_user(request)
    if access.is_supervisor(user):
        return redirect("supervision:team")
    if not access.is_caseworker(user):
        raise PermissionDenied
    now = timezone.now()
    context = {
        "now": now,
        "today": timezone.localdate(now),
        "queue": overview.caseworker_queue(user, now),
        "caseload": overview.caseworker_caseload(user),
        "agreed_actions": overview.open_agreed_actions(user),
        "coming_up_days": overview.COMING_UP_DAYS,
    }
    return render(request, "supervision/today.html", context)


@login_required
@require_GET
def team(request: HttpRequest) -> HttpResponse:
    """The supervisor's teams: caseloads against 1:25 and 1:6, approvals and overdue items."""
    user = current_user(request)
    if access.is_caseworker(user):
        return redirect("supervision:today")
    if not access.is_supervisor(user):
        raise PermissionDenied
    now = timezone.now()
    context = {"now": now, "overview": overview.team_overview(user, now)}
    return render(request, "supervision/team.html", context)
