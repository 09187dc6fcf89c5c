"""The audit trail's pages: the agency's (or a team's) trail, and a service user's data access
history with its CSV download. Reading them is itself recorded in the trail."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pcm.access import policy
from pcm.audit import access
from pcm.audit.actions import record_event
from pcm.audit.forms import CaseNumberForm, TrailFilterForm
from pcm.audit.models import AuditEventQuerySet, AuditEventType
from pcm.audit.paging import all_of, page_of
from pcm.audit.presenting import Row, local_iso, rows
from pcm.cases.models import Case
from pcm.core.http import current_user

PAGE_SIZE = 50


@dataclass
class Page:
    """A page of the trail, newest first, reached by sequence numbers (no counting)."""

    rows: list[Row]
    newer: str  # query string of the newer page, "" if none
    older: str


def _cursor(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) < 19 else None


def _page(
    request: HttpRequest, sources: Sequence[AuditEventQuerySet], keep: dict[str, str]
) -> Page:
    found = page_of(
        sources, before=_cursor(request, "before"), after=_cursor(request, "after"), size=PAGE_SIZE
    )
    events = found.events
    return Page(
        rows=list(rows(events)),
        newer=urlencode({**keep, "after": events[0].sequence}) if found.has_newer else "",
        older=urlencode({**keep, "before": events[-1].sequence}) if found.has_older else "",
    )


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _filtered(
    events: AuditEventQuerySet, filters: dict[str, Any], case_id: int | None
) -> AuditEventQuerySet:
    if filters.get("date_from"):
        events = events.filter(at__gte=_start_of(filters["date_from"]))
    if filters.get("date_to"):
        events = events.filter(at__lt=_start_of(filters["date_to"] + dt.timedelta(days=1)))
    if filters.get("user"):
        events = events.filter(actor=filters["user"])
    if filters.get("event_type"):
        events = events.filter(event_type=filters["event_type"])
    if filters.get("case"):
        events = events.filter(case_id=case_id) if case_id is not None else events.none()
    return events


def _filter_detail(filters: dict[str, Any], case_id: int | None) -> dict[str, Any]:
    """The filters, as ids and codes, for the entry that records the reading."""
    detail: dict[str, Any] = {}
    for name in ("date_from", "date_to"):
        if filters.get(name):
            detail[name] = filters[name].isoformat()
    if filters.get("user"):
        detail["user"] = filters["user"].pk
    if filters.get("event_type"):
        detail["event_type"] = filters["event_type"]
    if case_id is not None:
        detail["case"] = case_id
    return detail


@login_required
@require_GET
def trail(request: HttpRequest) -> HttpResponse:
    """The agency's trail (auditor, administrator) or the team's cases' trail (supervisor)."""
    user = current_user(request)
    if not access.can_see_trail(user):
        raise PermissionDenied
    form = TrailFilterForm(request.GET or None, agency_id=user.agency_id)
    filters: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()
        filters = form.cleaned_data
    case_id = None
    if filters.get("case"):
        found = access.find_case_number(user, filters["case"])
        case_id = found.pk if found is not None else None
    events = _filtered(access.trail_for(user), filters, case_id)
    keep = {
        name: request.GET.get(name, "")
        for name in form.fields
        if request.GET.get(name) and name not in form.errors
    }
    page = _page(request, [events], keep)
    with transaction.atomic():
        record_event(
            AuditEventType.AUDIT_TRAIL_VIEWED,
            actor=user,
            agency=user.agency,
            detail=_filter_detail(filters, case_id),
        )
    context = {
        "form": form,
        "page": page,
        "agency_wide": access.sees_agency_trail(user),
    }
    return render(request, "audit/trail.html", context)


@login_required
@require_GET
def subject_lookup(request: HttpRequest) -> HttpResponse:
    """Start of a data subject request: the number of one of the service user's cases."""
    user = current_user(request)
    if not access.can_answer_subject_requests(user):
        raise PermissionDenied
    form = CaseNumberForm(request.GET or None)
    if form.is_valid():
        case = access.find_case_number(user, form.cleaned_data["case"])
        if case is not None:
            return redirect("audit:subject", public_id=case.public_id)
        form.add_error("case", _("No case of your agency has this number."))
    return render(request, "audit/subject_lookup.html", {"form": form})


@login_required
@require_GET
def subject(request: HttpRequest, public_id: str) -> HttpResponse:
    """Who read or changed a service user's records and cases, and when."""
    user = current_user(request)
    case = access.case_for_subject_request(user, public_id)
    page = _page(request, access.subject_history(user, case), {})
    numbers = list(
        Case.objects.filter(person_id=case.person_id, agency_id=case.agency_id)
        .order_by("number")
        .values_list("number", flat=True)
    )
    with transaction.atomic():
        record_event(AuditEventType.ACCESS_HISTORY_VIEWED, actor=user, target=case)
    context = {"case": case, "case_numbers": numbers, "page": page}
    return render(request, "audit/subject.html", context)


def _cell(value: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@login_required
@require_GET
def subject_csv(request: HttpRequest, public_id: str) -> HttpResponse:
    """The data access history as a CSV file; the download is recorded as an export."""
    user = current_user(request)
    case = access.case_for_subject_request(user, public_id)
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(
        [_("When"), _("Who"), _("Role"), _("Event"), _("Case number"), _("Record"), _("Fields")]
    )
    total = 0
    with transaction.atomic():
        for row in rows(all_of(access.subject_history(user, case))):
            writer.writerow(
                [
                    local_iso(row.at),
                    *map(
                        _cell,
                        (row.who, row.role, row.event, row.case_number, row.record),
                    ),
                    _cell("; ".join(row.fields)),
                ]
            )
            total += 1
        record_event(
            AuditEventType.ACCESS_HISTORY_EXPORTED,
            actor=user,
            target=case,
            detail={"rows": total, "format": "csv"},
        )
    response = HttpResponse(output.getvalue(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="access-history-{case.number}-{stamp}.csv"'
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def case_history(request: HttpRequest, public_id: str) -> HttpResponse:
    """Who read or changed one case: for the supervisor of its team, from the case page."""
    user = current_user(request)
    case = policy.get_case_for(user, public_id)
    if not access.can_see_case_history(user, case):
        raise PermissionDenied
    page = _page(request, [access.case_history(case)], {})
    with transaction.atomic():
        record_event(
            AuditEventType.ACCESS_HISTORY_VIEWED,
            actor=user,
            target=case,
            detail={"scope": "case"},
        )
    context = {"case": case, "page": page}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "audit/_case_history.html", context)
    return render(request, "audit/case_history.html", context)
