"""The plan's items in the one queue: actions due, approvals waiting, reviews due."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import Personas
from pcm.cases.models import Case, CaseStatus, RiskLevel
from pcm.plans.drafts import ActionInput, GoalInput, PlanDraft
from pcm.plans.models import ActionOwner, ActionStatus, CasePlan, PlanAction
from pcm.plans.queue import (
    QUEUE_PROVIDERS,
    plan_actions_due,
    plan_approvals_waiting,
    plan_reviews_due,
)
from pcm.plans.tests.conftest import agreed_plan, save_draft
from pcm.plans.tests.test_plan_actions import submit

pytestmark = pytest.mark.django_db


def mixed_draft() -> PlanDraft:
    today = timezone.localdate()
    return PlanDraft(
        goals=[GoalInput("Feel safe")],
        actions=[
            ActionInput("Late, caseworker", ActionOwner.CASEWORKER, today - timedelta(days=3)),
            ActionInput("Soon, service user", ActionOwner.SERVICE_USER, today + timedelta(days=2)),
            ActionInput("Late referral", ActionOwner.REFERRAL, today - timedelta(days=3)),
            ActionInput("Far off", ActionOwner.CASEWORKER, today + timedelta(days=40)),
            ActionInput("No date", ActionOwner.CASEWORKER, None),
            ActionInput(
                "Done already", ActionOwner.CASEWORKER, today - timedelta(days=1), ActionStatus.DONE
            ),
        ],
        review_on=today + timedelta(days=3),
    )


def test_it_lists_open_dated_actions_of_the_plan_in_force(
    personas: Personas, planning_case: Case
) -> None:
    agreed_plan(planning_case, mixed_draft())
    now = timezone.now()
    items = plan_actions_due(Case.objects.visible_to(personas.caseworker), now)
    # A referral action waits here until its referral is sent (pcm.referrals.queue follows it
    # from then on).
    assert sorted(item.label for item in items) == [
        "Plan action (Caseworker): Late, caseworker",
        "Plan action (Referral): Late referral",
        "Plan action (Service user): Soon, service user",
    ]
    late = next(item for item in items if "Late" in item.label)
    assert late.is_overdue(now) and late.actor == "caseworker"
    assert late.url.startswith(f"/cases/{planning_case.public_id}/plan/#action-")
    assert not next(item for item in items if "Soon" in item.label).is_overdue(now)


def test_it_leaves_out_drafts_and_closed_cases(
    personas: Personas, planning_case: Case, case_for: Callable[..., Case]
) -> None:
    save_draft(planning_case, mixed_draft())
    closed = case_for(personas.caseworker, status=CaseStatus.IMPLEMENTATION)
    agreed_plan(closed, mixed_draft())
    Case.objects.filter(pk=closed.pk).update(status=CaseStatus.CLOSED)
    assert plan_actions_due(Case.objects.all(), timezone.now()) == []
    assert plan_reviews_due(Case.objects.all(), timezone.now()) == []


def test_it_lists_plans_waiting_for_the_supervisor(
    personas: Personas, high_risk_case: Case
) -> None:
    version = submit(save_draft(high_risk_case))
    assert version.submitted_at is not None
    items = plan_approvals_waiting(Case.objects.visible_to(personas.supervisor), timezone.now())
    assert len(items) == 1
    assert items[0].actor == "supervisor"
    assert items[0].due_at == version.submitted_at + timedelta(days=2)
    assert not items[0].is_overdue(timezone.now())
    assert items[0].is_overdue(timezone.now() + timedelta(days=3))
    assert (
        plan_approvals_waiting(Case.objects.visible_to(personas.other_supervisor), timezone.now())
        == []
    )


def test_it_lists_reviews_due_within_the_week(personas: Personas, planning_case: Case) -> None:
    agreed_plan(planning_case, mixed_draft())
    items = plan_reviews_due(Case.objects.all(), timezone.now())
    assert [item.kind for item in items] == ["plan_review"]
    CasePlan.objects.update(next_review_on=timezone.localdate() - timedelta(days=1))
    (late,) = plan_reviews_due(Case.objects.all(), timezone.now())
    assert late.is_overdue(timezone.now())


def test_each_provider_makes_one_query_whatever_the_caseload(
    personas: Personas, case_for: Callable[..., Case]
) -> None:
    def measure() -> list[int]:
        cases = Case.objects.visible_to(personas.caseworker)
        counts = []
        for provider in QUEUE_PROVIDERS:
            with CaptureQueriesContext(connection) as queries:
                provider(cases, timezone.now())
            counts.append(len(queries))
        return counts

    def add_cases(count: int) -> None:
        for _index in range(count):
            case = case_for(personas.caseworker, status=CaseStatus.PLANNING)
            agreed_plan(case, mixed_draft())
            high = case_for(
                personas.caseworker, status=CaseStatus.PLANNING, risk_level=RiskLevel.HIGH
            )
            submit(save_draft(high))

    add_cases(1)
    few = measure()
    add_cases(5)
    assert measure() == few == [1, 1, 1]
    assert PlanAction.objects.count() > 30
