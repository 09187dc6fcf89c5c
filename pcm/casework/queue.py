"""What case work puts in the queue: follow-ups still to do, due within the coming week."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time, timedelta
from functools import cache

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pcm.cases.models import CaseQuerySet
from pcm.cases.queue import DueItem, Provider
from pcm.casework.models import ContactMode, FollowUp

# Far enough ahead to plan the week's visits; later ones wait on the case page.
HORIZON = timedelta(days=7)


@cache
def _zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def _due_at(follow_up: FollowUp) -> datetime:
    """A follow-up is late once its whole day has passed in the agency's time zone."""
    day_after = follow_up.due_on + timedelta(days=1)
    return datetime.combine(day_after, time.min, tzinfo=_zone(follow_up.case.agency.time_zone))


def follow_ups_due(cases: CaseQuerySet, now: datetime) -> list[DueItem]:
    """Scheduled follow-ups of the open CASES due by a week from now, in one query."""
    until = timezone.localdate(now) + HORIZON
    due = (
        FollowUp.objects.filter(case__in=cases.open(), done_at__isnull=True, due_on__lte=until)
        .select_related("case", "case__person", "case__agency")
        .order_by("due_on", "id")
    )
    return [
        DueItem(
            case=follow_up.case,
            kind="follow_up",
            label=_("Follow-up (%(mode)s)") % {"mode": ContactMode(follow_up.mode).label},
            due_at=_due_at(follow_up),
            url=reverse(
                "casework:follow_up_record",
                kwargs={"public_id": follow_up.case.public_id, "follow_up_id": follow_up.pk},
            ),
        )
        for follow_up in due
    ]


QUEUE_PROVIDERS: list[Provider] = [follow_ups_due]
