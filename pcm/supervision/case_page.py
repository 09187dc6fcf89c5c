"""The case page's supervision section: the latest case file check and its action."""

from __future__ import annotations

from django.http import HttpRequest

from pcm.cases.models import Case
from pcm.cases.page import Section
from pcm.supervision import access
from pcm.supervision.models import CaseFileCheck

ORDER = 90


def CASE_SECTION(request: HttpRequest, case: Case) -> Section | None:
    latest = (
        CaseFileCheck.objects.filter(case=case)
        .select_related("checked_by", "action_done_by")
        .order_by("-version")
        .first()
    )
    user = request.user
    context = {
        "latest": latest,
        "can_record": access.can_check_case_file(user, case),
        "can_report_done": latest is not None
        and latest.action_pending
        and access.can_report_check_action_done(user, case),
    }
    return Section("supervision/_case_section.html", context)
