"""Break-glass pages: ask for emergency access to a case, see and end grants, review them."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pcm.access import actions, policy
from pcm.access.forms import BreakGlassForm
from pcm.access.models import BreakGlassGrant
from pcm.accounts.models import User
from pcm.accounts.reauth import require_recent_confirmation
from pcm.core.errors import ActionRefused
from pcm.core.http import current_user

PER_PAGE = 30


def _require_break_glass_role(request: HttpRequest) -> User:
    user = current_user(request)
    if not policy.can_request_break_glass(user):
        raise PermissionDenied
    return user


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """The user's own emergency accesses, and for reviewers the agency's recent ones."""
    user = _require_break_glass_role(request)
    mine = list(
        BreakGlassGrant.objects.filter(user=user, case__agency=user.agency)
        .select_related("case", "revoked_by")
        .order_by("-granted_at", "-id")[:PER_PAGE]
    )
    context: dict[str, object] = {"mine": mine, "now": timezone.now()}
    if policy.can_review_break_glass(user):
        agency_grants = (
            BreakGlassGrant.objects.filter(case__agency=user.agency)
            .select_related("case", "user", "revoked_by")
            .order_by("-granted_at", "-id")
        )
        page = Paginator(agency_grants, PER_PAGE).get_page(request.GET.get("page"))
        context["page"] = page
        context["revocable"] = {
            grant.pk for grant in page.object_list if policy.can_revoke_break_glass(user, grant)
        }
    context["revocable_mine"] = {
        grant.pk for grant in mine if policy.can_revoke_break_glass(user, grant)
    }
    return render(request, "access/break_glass.html", context)


def _for_break_glass_roles(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Refuse other roles before asking anyone to confirm their identity."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _require_break_glass_role(request)
        return view(request, *args, **kwargs)

    return wrapper


@login_required
@_for_break_glass_roles
@require_recent_confirmation
@require_http_methods(["GET", "POST"])
def request_access(request: HttpRequest) -> HttpResponse:
    """Ask for emergency access: the exact case number and a reason, after confirming."""
    user = _require_break_glass_role(request)
    form = BreakGlassForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                grant = actions.do_request_break_glass(
                    form.cleaned_data["case_number"],
                    form.cleaned_data["reason"],
                    acting_user=user,
                )
            except ActionRefused as refusal:
                form.add_error(None, str(refusal.message))
            else:
                messages.warning(
                    request,
                    _(
                        "Emergency access to case %(number)s until %(time)s. Your reason is "
                        "recorded and the case's supervisor and your managers are told."
                    )
                    % {
                        "number": grant.case.number,
                        "time": timezone.localtime(grant.expires_at).strftime("%H:%M"),
                    },
                )
                return redirect("cases:detail", public_id=grant.case.public_id)
    context = {"form": form, "duration": _duration_text()}
    return render(request, "access/break_glass_request.html", context, status=status)


def _duration_text() -> str:
    minutes = int(actions.grant_duration().total_seconds() // 60)
    if minutes % 60 == 0:
        return ngettext("%(count)d hour", "%(count)d hours", minutes // 60) % {
            "count": minutes // 60
        }
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """End an emergency access now (its holder, or a manager of the agency)."""
    user = current_user(request)
    if user.agency is None:
        raise Http404
    grant = (
        BreakGlassGrant.objects.select_related("case", "case__agency")
        .filter(pk=pk, case__agency=user.agency)
        .first()
    )
    if grant is None or not policy.can_revoke_break_glass(user, grant):
        raise Http404
    try:
        actions.do_revoke_break_glass(grant, acting_user=user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal.message))
    else:
        messages.success(
            request, _("Emergency access to case %(number)s ended.") % {"number": grant.case.number}
        )
    return redirect("access:break_glass")
