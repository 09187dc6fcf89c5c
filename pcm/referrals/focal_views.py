"""Managers name who receives the referrals to each service of their directory."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pcm.accounts.models import User
from pcm.core.errors import ActionRefused
from pcm.core.http import current_user
from pcm.referrals import actions
from pcm.referrals.forms import FocalPointForm
from pcm.referrals.models import FocalPoint
from pcm.services.directory import may_maintain, services_of


@login_required
@require_http_methods(["GET", "POST"])
def focal_points(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    if not may_maintain(user):
        raise PermissionDenied
    service = get_object_or_404(services_of(user).select_related("provider"), pk=pk)
    candidates = actions.focal_point_candidates(service)
    status = 200
    if request.method == "POST":
        form = FocalPointForm(request.POST)
        chosen = None
        if form.is_valid():
            chosen = User.objects.filter(pk=form.cleaned_data["user"]).first()
        try:
            if chosen is None:
                raise ActionRefused(_("Choose a person from the list."))
            if form.cleaned_data["remove"]:
                actions.do_remove_focal_point(service, chosen, acting_user=user)
                messages.success(
                    request, _("%(name)s no longer receives these referrals.") % {"name": chosen}
                )
            else:
                actions.do_add_focal_point(service, chosen, acting_user=user)
                messages.success(
                    request, _("%(name)s now receives these referrals in PCM.") % {"name": chosen}
                )
            return redirect("referrals:focal_points", pk=service.pk)
        except ActionRefused as refusal:
            messages.error(request, str(refusal.message))
            status = 400
    current = list(
        FocalPoint.objects.filter(service=service)
        .select_related("user")
        .order_by("user__first_name")
    )
    named = {focal.user_id for focal in current}
    return render(
        request,
        "referrals/focal_points.html",
        {
            "service": service,
            "current": current,
            "candidates": [candidate for candidate in candidates if candidate.pk not in named],
        },
        status=status,
    )
