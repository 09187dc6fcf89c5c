"""Pages of the service directory: the search, and the managers' editing pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pcm.core.errors import ActionRefused, EditConflict
from pcm.core.http import current_user
from pcm.services import actions
from pcm.services.directory import (
    Criteria,
    may_maintain,
    may_search,
    providers_of,
    search,
    services_of,
)
from pcm.services.forms import ProviderForm, SearchForm, ServiceForm, VersionForm

PER_PAGE = 25


def _status(refusal: ActionRefused) -> int:
    return 409 if isinstance(refusal, EditConflict) else 400


@login_required
@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not may_search(user):
        raise PermissionDenied
    form = SearchForm(request.GET or None)
    criteria = Criteria()
    if form.is_valid():
        data = form.cleaned_data
        criteria = Criteria(
            sector=data["sector"],
            location=data["location"],
            age=data["age"],
            sex=data["sex"],
            text=data["text"].strip(),
        )
    services = search(user, criteria) if not form.errors else services_of(user).none()
    page = Paginator(services, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "services/directory.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_maintain": may_maintain(user),
            "inactive": services_of(user).filter(is_active=False).select_related("provider")
            if may_maintain(user)
            else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_provider(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = current_user(request)
    if not may_maintain(user):
        raise PermissionDenied
    provider = get_object_or_404(providers_of(user), pk=pk) if pk is not None else None
    form = ProviderForm(request.POST or None, instance=provider)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                actions.save_provider(
                    user,
                    form.cleaned_data,
                    provider=provider,
                    version=form.cleaned_data["version"] or 0,
                )
            except ActionRefused as refusal:
                form.add_error(None, str(refusal.message))
                status = _status(refusal)
            else:
                messages.success(request, _("The provider is saved."))
                return redirect("services:directory")
    return render(
        request, "services/provider_form.html", {"form": form, "provider": provider}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_service(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = current_user(request)
    if not may_maintain(user):
        raise PermissionDenied
    service = get_object_or_404(services_of(user), pk=pk) if pk is not None else None
    form = ServiceForm(request.POST or None, instance=service, agency_id=user.agency_id or 0)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.save_service(
                    user, data, data["locations"], service=service, version=data["version"] or 0
                )
            except ActionRefused as refusal:
                form.add_error(None, str(refusal.message))
                status = _status(refusal)
            else:
                messages.success(request, _("The service is saved."))
                return redirect("services:directory")
    return render(
        request,
        "services/service_form.html",
        {"form": form, "service": service, "has_providers": providers_of(user).exists()},
        status=status,
    )


@login_required
@require_POST
def set_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    if not may_maintain(user):
        raise PermissionDenied
    service = get_object_or_404(services_of(user).select_related("provider"), pk=pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete. Reload the page and try again."))
        return redirect("services:directory")
    try:
        actions.set_service_active(
            user, service, not service.is_active, form.cleaned_data["version"]
        )
    except ActionRefused as refusal:
        messages.error(request, str(refusal.message))
    else:
        if service.is_active:
            messages.success(request, _("The service is active again."))
        else:
            messages.success(request, _("The service is deactivated: searches no longer show it."))
    return redirect("services:directory")
