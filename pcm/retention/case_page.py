"""The case page's data-protection section: the service user's rights (export of their own data,
erasure on request) for the case's supervisor and the agency's managers."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from pcm.accounts.models import Role, User
from pcm.cases.models import Case
from pcm.cases.page import Section
from pcm.retention import erasure
from pcm.retention.forms import DecisionForm
from pcm.retention.subject_export import may_export

ORDER = 95


def CASE_SECTION(request: HttpRequest, case: Case) -> Section | None:
    user = request.user
    if not isinstance(user, User):
        return None
    can_export = may_export(user, case)
    can_request = erasure.may_request_erasure(user, case)
    is_manager = user.role == Role.MANAGER and user.agency_id == case.agency_id
    if not (can_export or can_request or is_manager):
        return None
    pending = erasure.pending_erasure(case.person)
    if pending is not None and pending.agency_id != case.agency_id:
        pending = None
    context: dict[str, Any] = {
        "can_export": can_export,
        "can_request": can_request and pending is None and case.person.anonymised_at is None,
        "pending": pending,
        "can_review": pending is not None and erasure.may_decide_erasure(user, pending),
        "can_cancel": pending is not None and erasure.may_cancel_erasure(user, pending),
    }
    if context["can_cancel"] and pending is not None:
        context["cancel_form"] = DecisionForm(
            initial={"version": pending.version}, auto_id="erasure_cancel_%s"
        )
    if not any(context[key] for key in ("can_export", "can_request", "pending")):
        return None
    return Section(template="retention/_case_section.html", context=context)
