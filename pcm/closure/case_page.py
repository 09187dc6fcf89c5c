"""The case page's closure and transfer section: status, decisions, and what the user may do."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from pcm.cases.models import Case, CaseStatus
from pcm.cases.page import Section
from pcm.cases.workflow import OPEN_STEPS
from pcm.closure import permissions
from pcm.closure.actions import CLOSABLE_STEPS
from pcm.closure.forms import DecisionForm, ReopenForm, SendBackForm
from pcm.closure.models import CaseReopening, TransferRequest, TransferStatus
from pcm.closure.records import latest_closure, open_survey

ORDER = 60


def CASE_SECTION(request: HttpRequest, case: Case) -> Section | None:
    """Three queries: the latest closure request, the latest reopening, the transfers."""
    user = request.user
    closure = latest_closure(case)
    reopening = (
        CaseReopening.objects.filter(case=case)
        .select_related("reopened_by")
        .order_by("-reopened_at", "-id")
        .first()
    )
    transfers = list(
        TransferRequest.objects.filter(case=case)
        .select_related("from_agency", "to_agency")
        .order_by("-requested_at", "-id")
    )
    pending_transfer = next((t for t in transfers if t.status == TransferStatus.PENDING), None)
    pending_closure = closure if closure is not None and closure.is_pending else None
    can_decide = pending_closure is not None and permissions.may_decide_closure(user, case)
    context: dict[str, Any] = {
        "closure": closure,
        "reopening": reopening,
        "pending_transfer": pending_transfer,
        "last_declined": next((t for t in transfers if t.status == TransferStatus.DECLINED), None),
        "arrived": [t for t in transfers if t.status == TransferStatus.ACCEPTED],
        "can_request": (
            case.status in CLOSABLE_STEPS
            and pending_transfer is None
            and permissions.may_request_closure(user, case)
        ),
        "can_decide": can_decide,
        "can_survey": (
            open_survey(closure) is not None and permissions.may_record_survey(user, case)
        ),
        "can_reopen": (
            case.status == CaseStatus.CLOSED
            and case.anonymised_at is None
            and permissions.may_reopen(user, case)
        ),
        "can_transfer": (
            case.status in OPEN_STEPS
            and pending_transfer is None
            and permissions.may_request_transfer(user, case)
        ),
    }
    if can_decide and pending_closure is not None:
        initial = {"version": pending_closure.version}
        # Prefixed ids: other sections' forms share the page.
        context["approve_form"] = DecisionForm(initial=initial, auto_id="closure_approve_%s")
        context["send_back_form"] = SendBackForm(initial=initial, auto_id="closure_back_%s")
    if context["can_reopen"]:
        context["reopen_form"] = ReopenForm(
            initial={"version": case.version}, auto_id="closure_reopen_%s"
        )
    shows_something = (
        closure is not None
        or reopening is not None
        or transfers
        or any(context[key] for key in ("can_request", "can_reopen", "can_transfer"))
    )
    if not shows_something:
        return None
    return Section(template="closure/_case_section.html", context=context)
