"""Queue items from supervision: actions a case file check asked of the caseworker."""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _

from pcm.cases.models import CaseQuerySet
from pcm.cases.queue import DueItem, Provider, case_url
from pcm.supervision.models import CaseFileCheck

CHECK_ACTION = "file_check_action"


def end_of_day(day: date) -> datetime:
    """A due date as the moment it passes: the end of that day in the active time zone."""
    return datetime.combine(day, time.max, tzinfo=timezone.get_current_timezone())


def file_check_actions(cases: CaseQuerySet, now: datetime) -> list[DueItem]:
    """Actions asked by a case file check and not yet reported done, on open cases."""
    pending = (
        CaseFileCheck.objects.filter(case__in=cases.open(), action_done_at__isnull=True)
        .exclude(action_needed="")
        .select_related("case", "case__person")
        .order_by()  # due_items sorts the merged list; a sort here would be wasted
    )
    return [
        DueItem(
            case=check.case,
            kind=CHECK_ACTION,
            label=_("Action from the case file check"),
            due_at=end_of_day(check.action_due_on) if check.action_due_on else None,
            url=f"{case_url(check.case)}#case-file-checks",
        )
        for check in pending
    ]


QUEUE_PROVIDERS: list[Provider] = [file_check_actions]
