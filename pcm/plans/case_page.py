"""The case page's planning section: the plan's state, what is overdue, and the safety plan."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone

from pcm.cases.models import Case
from pcm.cases.page import Section
from pcm.plans.models import OPEN_ACTION_STATUSES, CasePlan, PlanAction, PlanVersion
from pcm.plans.safety import SafetyPlan
from pcm.plans.views.common import abilities

ORDER = 30


def CASE_SECTION(request: HttpRequest, case: Case) -> Section | None:
    """Four small queries: the head, the newest version, action counts, the safety plan."""
    today = timezone.localdate()
    plan = CasePlan.objects.select_related("current_version").filter(case=case).first()
    latest = PlanVersion.objects.filter(case=case).order_by("-number").first() if plan else None
    counts = {"open": 0, "overdue": 0, "done": 0, "total": 0}
    if plan is not None and plan.current_version_id is not None:
        counts = PlanAction.objects.filter(plan_version_id=plan.current_version_id).aggregate(
            total=Count("id"),
            open=Count("id", filter=Q(status__in=OPEN_ACTION_STATUSES)),
            overdue=Count("id", filter=Q(status__in=OPEN_ACTION_STATUSES, due_on__lt=today)),
            done=Count("id", filter=Q(status="done")),
        )
    safety = SafetyPlan.objects.filter(case=case).values("updated_at", "reviewed_on").first()
    context = {
        "plan": plan,
        "current": plan.current_version if plan else None,
        "pending": latest if latest is not None and not latest.is_current else None,
        "counts": counts,
        "review_overdue": bool(
            plan and plan.current_version_id and plan.next_review_on and plan.next_review_on < today
        ),
        "safety": safety,
        "can": abilities(request.user, case),
    }
    return Section(template="plans/_case_section.html", context=context)
