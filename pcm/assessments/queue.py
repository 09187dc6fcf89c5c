"""What the assessment step puts in the queue: cases in assessment with none recorded yet."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from pcm.assessments.models import Assessment
from pcm.cases.models import CaseQuerySet, CaseStatus
from pcm.cases.queue import DueItem, Provider

# The guide leaves the time to the agency; a week after intake is the common practice.
ASSESSMENT_DUE_AFTER = timedelta(days=7)


def assessments_to_record(cases: CaseQuerySet, now: datetime) -> list[DueItem]:
    """Cases in the assessment step without an assessment: due a week after opening.

    The case does not record when it entered the step, so the opening time stands in for it.
    One query: the anti-join uses the assessments' (case, recorded_at) index.
    """
    waiting = (
        cases.filter(status=CaseStatus.ASSESSMENT)
        .filter(~Exists(Assessment.objects.filter(case=OuterRef("pk"))))
        .select_related("person")
    )
    label = _("Assessment to record")
    return [
        DueItem(
            case=case,
            kind="assessment",
            label=label,
            due_at=case.opened_at + ASSESSMENT_DUE_AFTER,
            url=reverse("assessments:record", kwargs={"public_id": case.public_id}),
        )
        for case in waiting
    ]


QUEUE_PROVIDERS: list[Provider] = [assessments_to_record]
