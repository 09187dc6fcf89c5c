"""Administration pages: list, create and change agencies, locations, offices, teams and users."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pcm.access import policy
from pcm.accounts import twofactor
from pcm.accounts.models import User
from pcm.administration import actions
from pcm.administration.sections import SECTIONS, record_or_404, section_or_404
from pcm.core.http import current_user

View = Callable[..., HttpResponse]
PER_PAGE = 50


def administrators_only(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not policy.can_administer(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapper)


@administrators_only
@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    counts = [(section, section.queryset().count()) for section in SECTIONS.values()]
    return render(request, "administration/index.html", {"counts": counts})


@administrators_only
@require_http_methods(["GET"])
def record_list(request: HttpRequest, section: str) -> HttpResponse:
    current = section_or_404(section)
    paginator = Paginator(current.queryset().order_by("pk"), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    rows = [(record, [column.value(record) for column in current.columns]) for record in page]
    context = {"section": current, "rows": rows, "page": page, "sections": SECTIONS.values()}
    return render(request, "administration/record_list.html", context)


@administrators_only
@require_http_methods(["GET", "POST"])
def record_create(request: HttpRequest, section: str) -> HttpResponse:
    return _edit(request, section, None)


@administrators_only
@require_http_methods(["GET", "POST"])
def record_edit(request: HttpRequest, section: str, pk: int) -> HttpResponse:
    return _edit(request, section, pk)


def _edit(request: HttpRequest, section: str, pk: int | None) -> HttpResponse:
    current = section_or_404(section)
    instance = record_or_404(current, pk) if pk is not None else None
    form = current.form(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        record = actions.do_save_record(form, acting_user=current_user(request))
        messages.success(request, _("Saved: %(record)s.") % {"record": record})
        return redirect("administration:list", section=current.slug)
    context: dict[str, Any] = {"section": current, "form": form, "record": instance}
    if isinstance(instance, User):
        context["user_has_totp"] = twofactor.has_confirmed_totp(instance)
    return render(request, "administration/record_form.html", context)


@administrators_only
@require_POST
def reset_second_factor(request: HttpRequest, pk: int) -> HttpResponse:
    user = record_or_404(SECTIONS["users"], pk)
    assert isinstance(user, User)  # noqa: S101 - the users section lists users
    actions.do_reset_second_factor(user, acting_user=current_user(request))
    messages.success(
        request,
        _("Two-factor authentication of %(user)s is reset; they set it up at next sign-in.")
        % {"user": user},
    )
    return redirect("administration:edit", section="users", pk=user.pk)


@administrators_only
@require_POST
def unlock(request: HttpRequest, pk: int) -> HttpResponse:
    user = record_or_404(SECTIONS["users"], pk)
    assert isinstance(user, User)  # noqa: S101 - the users section lists users
    actions.do_unlock_user(user, acting_user=current_user(request))
    messages.success(request, _("%(user)s can sign in again.") % {"user": user})
    return redirect("administration:edit", section="users", pk=user.pk)
