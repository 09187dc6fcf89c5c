"""The emergency purge pages, under /administration/purge/ (administrators only)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pcm.accounts.reauth import require_recent_confirmation
from pcm.administration.views import administrators_only
from pcm.core.errors import ActionRefused
from pcm.core.http import current_user
from pcm.vault import actions
from pcm.vault.emergency import CONFIRMATION_PHRASE
from pcm.vault.forms import PurgeApprovalForm, PurgeRequestForm
from pcm.vault.models import PURGE_APPROVAL_WINDOW, PurgeRequest

HISTORY = 20


def _request_or_404(public_id: str) -> PurgeRequest:
    try:
        return PurgeRequest.objects.select_related("requested_by").get(public_id=public_id)
    except PurgeRequest.DoesNotExist as exc:
        raise Http404 from exc


def _window_minutes() -> int:
    return int(PURGE_APPROVAL_WINDOW.total_seconds() // 60)


@administrators_only
@never_cache
@require_GET
def purge(request: HttpRequest) -> HttpResponse:
    """What the purge does, the request waiting for approval, and the past requests."""
    user = current_user(request)
    waiting = actions.open_request()
    history = PurgeRequest.objects.select_related("requested_by", "decided_by")
    if waiting is not None:
        history = history.exclude(pk=waiting.pk)
    context = {
        "waiting": waiting,
        "may_approve": waiting is not None and waiting.requested_by_id != user.pk,
        "history": history[:HISTORY],
        "possible": actions.purge_possible(),
        "window_minutes": _window_minutes(),
    }
    return render(request, "vault/purge.html", context)


@administrators_only
@require_recent_confirmation
@never_cache
@require_http_methods(["GET", "POST"])
def purge_request(request: HttpRequest) -> HttpResponse:
    """An administrator asks for the purge, with a reason."""
    user = current_user(request)
    form = PurgeRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                actions.request_purge(user, form.cleaned_data["reason"])
            except ActionRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.warning(
                    request,
                    _(
                        "Purge requested. A different administrator must approve it within "
                        "%(minutes)d minutes; until then nothing is destroyed."
                    )
                    % {"minutes": _window_minutes()},
                )
                return redirect("administration:purge")
    context = {"form": form, "window_minutes": _window_minutes()}
    return render(request, "vault/purge_request.html", context, status=status)


@administrators_only
@require_recent_confirmation
@never_cache
@require_http_methods(["GET", "POST"])
def purge_approve(request: HttpRequest, public_id: str) -> HttpResponse:
    """A second administrator reads the warning, types the phrase, and the purge runs."""
    user = current_user(request)
    waiting = _request_or_404(public_id)
    form = PurgeApprovalForm(request.POST or None, initial={"version": waiting.version})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                report = actions.approve_purge(user, waiting, form.cleaned_data["version"])
            except ActionRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _(
                        "Emergency purge done: the keys are destroyed and identifying data is "
                        "now unreadable (%(entries)d search index entries deleted)."
                    )
                    % {"entries": report.index_entries_deleted},
                )
                return redirect("administration:purge")
    context = {
        "waiting": waiting,
        "form": form,
        "phrase": CONFIRMATION_PHRASE,
        "is_requester": waiting.requested_by_id == user.pk,
        "window_minutes": _window_minutes(),
    }
    return render(request, "vault/purge_approve.html", context, status=status)


@administrators_only
@require_POST
def purge_cancel(request: HttpRequest, public_id: str) -> HttpResponse:
    """Any administrator stops a request that waits for approval."""
    user = current_user(request)
    waiting = _request_or_404(public_id)
    try:
        actions.cancel_purge(user, waiting)
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The purge request is cancelled. Nothing was destroyed."))
    return redirect("administration:purge")
