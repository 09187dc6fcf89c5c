"""The case-work history of one case: every note, support record, conference and follow-up."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from pcm.access import policy
from pcm.audit.actions import record_event
from pcm.casework.models import CaseworkEvent
from pcm.casework.permissions import may_write_casework
from pcm.casework.timeline import timeline_page
from pcm.core.http import current_user


@login_required
@require_GET
def timeline(request: HttpRequest, public_id: str) -> HttpResponse:
    """Everyone who may see the case may read its history; the read is recorded."""
    user = current_user(request)
    case = policy.get_case_for(user, public_id)
    page, entries = timeline_page(case, request.GET.get("page"))
    record_event(
        CaseworkEvent.TIMELINE_VIEWED,
        actor=user,
        target=case,
        agency=case.agency,
        detail={"page": page.number},
    )
    context = {
        "case": case,
        "page": page,
        "entries": entries,
        "can_write": may_write_casework(user, case) and case.is_open,
    }
    return render(request, "casework/timeline.html", context)
