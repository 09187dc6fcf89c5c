"""The case page's assessment section: the latest assessments, the safety alert, well-being."""

from __future__ import annotations

from django.http import HttpRequest

from pcm.assessments.models import Assessment
from pcm.assessments.rules import may_record_assessment, step_refusal
from pcm.assessments.wellbeing import wellbeing_of
from pcm.cases.models import Case, CaseStatus
from pcm.cases.page import Section

ORDER = 20
RECENT = 5


def CASE_SECTION(request: HttpRequest, case: Case) -> Section | None:
    """Two queries whatever the number of assessments: the latest few, then the comparison."""
    recent = list(
        Assessment.objects.filter(case=case)
        .select_related("recorded_by")
        .order_by("-recorded_at", "-id")[:RECENT]
    )
    if not recent and case.status == CaseStatus.INTAKE:
        return None
    count, change = 0, None
    if recent:
        wellbeing = wellbeing_of(case)
        count, change = wellbeing.assessments, wellbeing.change
    latest = recent[0] if recent else None
    context = {
        "assessments": recent,
        "latest": latest,
        "count": count,
        "more": count > len(recent),
        # The alert stays until a later assessment answers item 9 with 0.
        "safety_alert": latest is not None and latest.self_harm_flag,
        "wellbeing_change": change,
        "wellbeing_change_abs": abs(change) if change is not None else None,
        "can_record": may_record_assessment(request.user, case) and step_refusal(case) is None,
    }
    return Section(template="assessments/_case_section.html", context=context)
