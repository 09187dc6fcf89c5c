"""The notifications page: what needs the user, newest first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from pcm.core.http import current_user
from pcm.notifications.actions import mark_read
from pcm.notifications.models import Notification


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    notifications = Notification.objects.filter(recipient=user).select_related("case", "actor")
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    mark_read(current_user(request))
    return redirect("notifications:list")
