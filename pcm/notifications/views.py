"""The notifications page: what needs the user, newest first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from pcm.cases.models import Case
from pcm.core.http import current_user
from pcm.notifications.actions import mark_read
from pcm.notifications.models import Notification


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    notifications = Notification.objects.filter(recipient=user).select_related("case", "actor")
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    # A case the user no longer sees (reassigned, transferred) is named without its number.
    case_ids = {n.case_id for n in page.object_list if n.case_id is not None}
    visible = set(
        Case.objects.visible_to(user).filter(pk__in=case_ids).values_list("pk", flat=True)
    )
    return render(request, "notifications/list.html", {"page": page, "visible": visible})


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    mark_read(current_user(request))
    return redirect("notifications:list")
