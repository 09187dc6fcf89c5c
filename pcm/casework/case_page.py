"""The case page's section on implementation and follow-up: latest notes, support, follow-ups."""

from __future__ import annotations

from django.db.models import Count, Sum
from django.http import HttpRequest

from pcm.cases.models import Case, CaseStatus
from pcm.cases.page import Section
from pcm.casework.models import CaseNote, DirectSupport, FollowUp
from pcm.casework.permissions import may_move_between_follow_up_steps, may_write_casework

ORDER = 40
LATEST_NOTES = 3
NEXT_FOLLOW_UPS = 3


def support_totals(case: Case) -> list[dict[str, object]]:
    """Amounts given per currency, counting only the latest version of corrected records."""
    return list(
        DirectSupport.objects.filter(case=case, correction__isnull=True, amount__isnull=False)
        .values("currency")
        .annotate(total=Sum("amount"), records=Count("id"))
        .order_by("currency")
    )


def CASE_SECTION(request: HttpRequest, case: Case) -> Section:
    notes = list(
        CaseNote.objects.filter(case=case, correction__isnull=True)
        .select_related("written_by")
        .order_by("-contact_at", "-id")[:LATEST_NOTES]
    )
    follow_ups = list(
        FollowUp.objects.scheduled().filter(case=case).order_by("due_on", "id")[:NEXT_FOLLOW_UPS]
    )
    can_write = may_write_casework(request.user, case) and case.is_open
    can_move = may_move_between_follow_up_steps(request.user, case)
    context = {
        "notes": notes,
        "follow_ups": follow_ups,
        "totals": support_totals(case),
        "can_write": can_write,
        "can_schedule": can_write
        and case.status in (CaseStatus.IMPLEMENTATION, CaseStatus.FOLLOW_UP),
        "can_start_follow_up": can_move and case.status == CaseStatus.IMPLEMENTATION,
        "can_resume_implementation": can_move and case.status == CaseStatus.FOLLOW_UP,
    }
    return Section(template="casework/_case_section.html", context=context)
