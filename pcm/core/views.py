"""Home page, language choice and the error pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from pcm.access import policy
from pcm.accounts.actions import do_set_preferred_language
from pcm.accounts.models import Role
from pcm.cases.models import Case, RiskLevel
from pcm.core.http import current_user


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Each role's starting point: their open cases by risk, or the pages their role uses."""
    user = current_user(request)
    if policy.can_administer(user):
        return redirect("administration:index")
    # Caseworkers and supervisors start from what is due today.
    if user.role == Role.CASEWORKER and user.team_id is not None:
        return redirect("supervision:today")
    if user.role == Role.SUPERVISOR:
        return redirect("supervision:team")
    if policy.is_focal_point(user):
        return redirect("referrals:inbox")
    if user.role == Role.MEAL_OFFICER:
        return redirect("meal:dashboard")
    context: dict[str, object] = {"role": Role(user.role).label if user.role else ""}
    if policy.can_work_with_cases(user):
        counts = (
            Case.objects.visible_to(user)
            .open()
            .values("risk_level")
            .annotate(total=Count("id"))
            .order_by()
        )
        by_risk = {row["risk_level"]: row["total"] for row in counts}
        context["open_by_risk"] = [(level, by_risk.get(level.value, 0)) for level in RiskLevel]
        context["open_total"] = sum(by_risk.values())
    return render(request, "core/home.html", context)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; remembered for the user on every device."""
    code = request.POST.get("language", "")
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if code not in dict(settings.LANGUAGES):
        return response
    translation.activate(code)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 3600,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite="Lax",
    )
    if request.user.is_authenticated:
        do_set_preferred_language(current_user(request), code)
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/csrf.html", status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)
