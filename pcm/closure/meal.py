"""What MEAL reads from step 6: satisfaction at closure, from the unlinkable survey answers."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count, Q

from pcm.closure.models import SATISFIED_SCORE, SatisfactionSurvey

if TYPE_CHECKING:
    from pcm.accounts.models import Agency


def satisfaction_rate(agency: Agency, start: date, end: date) -> float | None:
    """Share (0 to 1) of AGENCY's surveys from START's month to END's month with overall
    satisfaction of at least 4 out of 5; None when there are no surveys in the period.

    Surveys are kept by month only, so the period is whole months. Small-cell suppression is
    the caller's (MEAL's) job: the count is not returned here.
    """
    counts = SatisfactionSurvey.objects.filter(
        agency=agency, month__gte=start.replace(day=1), month__lte=end
    ).aggregate(
        total=Count("id"),
        satisfied=Count("id", filter=Q(overall_satisfaction__gte=SATISFIED_SCORE)),
    )
    if not counts["total"]:
        return None
    return float(counts["satisfied"]) / float(counts["total"])
