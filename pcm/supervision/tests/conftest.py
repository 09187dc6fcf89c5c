"""Fixtures for supervision's tests: queue providers under control, a teammate, a clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from pcm.accounts.models import User
from pcm.cases.models import Case, CaseQuerySet, CaseStatus
from pcm.cases.queue import DueItem, case_url, first_responses
from pcm.supervision.queue import file_check_actions
from tests.factories import UserFactory

BAGHDAD = ZoneInfo("Asia/Baghdad")  # the personas' agency time zone (tests/factories.py)


def plan_approvals(cases: CaseQuerySet, now: datetime) -> list[DueItem]:
    """A stand-in for the plans app's provider: plans waiting for the supervisor's approval."""
    return [
        DueItem(
            case=case,
            kind="plan_approval",
            label="Plan approval",
            due_at=case.opened_at + timedelta(days=2),
            url=case_url(case),
            actor="supervisor",
        )
        for case in cases.filter(status=CaseStatus.PLANNING).select_related("person")
    ]


@pytest.fixture
def known_providers(monkeypatch) -> None:
    """Only the providers these tests know, so other apps' items do not change the lists."""
    monkeypatch.setattr(
        "pcm.cases.queue.all_providers",
        lambda: [first_responses, file_check_actions, plan_approvals],
    )


@pytest.fixture
def teammate(personas) -> User:
    """Rasha, a second caseworker in Layla's team."""
    user = UserFactory.create(
        username="rasha", first_name="Rasha", last_name="Ali", agency=personas.agency
    )
    user.team = personas.team
    user.save()
    return user


@pytest.fixture
def due_case(case_for) -> Callable[..., Case]:
    """due_case(user, hours, **fields): a case whose first response is due in HOURS (or was)."""

    def make(user: User, hours: float, **fields: object) -> Case:
        case: Case = case_for(
            user, first_response_due_at=timezone.now() + timedelta(hours=hours), **fields
        )
        return case

    return make
