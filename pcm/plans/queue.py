"""What planning puts in the queue: plan actions due, plans waiting for approval, reviews due."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, time, timedelta
from functools import cache

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from pcm.cases.models import Case, CaseQuerySet
from pcm.cases.queue import DueItem, Provider
from pcm.plans.models import (
    CURRENT_STATUSES,
    OPEN_ACTION_STATUSES,
    ActionOwner,
    ActionStatus,
    CasePlan,
    PlanAction,
    PlanStatus,
    PlanVersion,
)

# Far enough ahead to plan the week; later items wait on the plan page.
HORIZON = timedelta(days=7)
# A supervisor is expected to decide on a submitted plan within this time.
APPROVAL_TIME = timedelta(days=2)
# Actions done by the caseworker or the service user queue here while open; a referral action
# only until its referral is sent (it is then in progress and followed in the referrals' queue).
QUEUED_OWNERS = (ActionOwner.CASEWORKER, ActionOwner.SERVICE_USER)
LABEL_LENGTH = 60
_RELATED = ("case", "case__person", "case__agency")


@cache
def _zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def _end_of(day: date, case: Case) -> datetime:
    """A date is missed once its whole day has passed in the agency's time zone."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=_zone(case.agency.time_zone))


def _plan_url(case: Case) -> str:
    return reverse("plans:plan", kwargs={"public_id": case.public_id})


def plan_actions_due(cases: CaseQuerySet, now: datetime) -> list[DueItem]:
    """Open actions of the plans in force on CASES, due by a week from now, in one query."""
    until = timezone.localdate(now) + HORIZON
    due = (
        PlanAction.objects.filter(
            case__in=cases.open(),
            status__in=OPEN_ACTION_STATUSES,
            due_on__isnull=False,
            due_on__lte=until,
            plan_version__status__in=CURRENT_STATUSES,
        )
        .filter(
            Q(owner__in=QUEUED_OWNERS) | Q(owner=ActionOwner.REFERRAL, status=ActionStatus.TO_DO)
        )
        .select_related(*_RELATED)
        .order_by("due_on", "id")
    )
    items = []
    for action in due:
        assert action.due_on is not None  # noqa: S101 - filtered above
        items.append(
            DueItem(
                case=action.case,
                kind="plan_action",
                label=_("Plan action (%(owner)s): %(action)s")
                % {
                    "owner": ActionOwner(action.owner).label,
                    "action": Truncator(action.description).chars(LABEL_LENGTH),
                },
                due_at=_end_of(action.due_on, action.case),
                url=f"{_plan_url(action.case)}#action-{action.pk}",
            )
        )
    return items


def plan_approvals_waiting(cases: CaseQuerySet, now: datetime) -> list[DueItem]:
    """Plans submitted on CASES and waiting for the supervisor, due two days after submission."""
    waiting = (
        PlanVersion.objects.filter(
            case__in=cases.open(), status=PlanStatus.SUBMITTED, submitted_at__isnull=False
        )
        .select_related(*_RELATED)
        .order_by("submitted_at")
    )
    return [
        DueItem(
            case=version.case,
            kind="plan_approval",
            label=_("Plan approval"),
            due_at=version.submitted_at + APPROVAL_TIME if version.submitted_at else None,
            url=reverse(
                "plans:version",
                kwargs={"public_id": version.case.public_id, "number": version.number},
            ),
            actor="supervisor",
        )
        for version in waiting
    ]


def plan_reviews_due(cases: CaseQuerySet, now: datetime) -> list[DueItem]:
    """Reviews of the plans in force on CASES due by a week from now, in one query."""
    until = timezone.localdate(now) + HORIZON
    due = (
        CasePlan.objects.filter(
            case__in=cases.open(),
            current_version__isnull=False,
            next_review_on__isnull=False,
            next_review_on__lte=until,
        )
        .select_related(*_RELATED)
        .order_by("next_review_on", "id")
    )
    items = []
    for plan in due:
        assert plan.next_review_on is not None  # noqa: S101 - filtered above
        items.append(
            DueItem(
                case=plan.case,
                kind="plan_review",
                label=_("Plan review"),
                due_at=_end_of(plan.next_review_on, plan.case),
                url=reverse("plans:review", kwargs={"public_id": plan.case.public_id}),
            )
        )
    return items


QUEUE_PROVIDERS: list[Provider] = [plan_actions_due, plan_approvals_waiting, plan_reviews_due]
