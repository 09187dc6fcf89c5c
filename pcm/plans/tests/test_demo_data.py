"""Demo plans: by step, with overdue items, written in a constant number of queries."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import Personas
from pcm.cases.models import Case, CaseStatus, RiskLevel
from pcm.plans import demo_data
from pcm.plans.models import CasePlan, PlanAction, PlanStatus, PlanVersion
from pcm.plans.queue import QUEUE_PROVIDERS
from pcm.plans.safety import SafetyPlan

pytestmark = pytest.mark.django_db
STEPS = [
    CaseStatus.INTAKE,
    CaseStatus.ASSESSMENT,
    CaseStatus.PLANNING,
    CaseStatus.IMPLEMENTATION,
    CaseStatus.FOLLOW_UP,
    CaseStatus.CLOSED,
]


@pytest.fixture
def caseload(personas: Personas, case_for: Callable[..., Case]) -> Callable[[int], list[Case]]:
    def make(per_step: int) -> list[Case]:
        now = timezone.now()
        return [
            case_for(
                personas.caseworker,
                status=step,
                risk_level=RiskLevel.HIGH if index % 2 else RiskLevel.MEDIUM,
                opened_at=now - timedelta(days=120 + index),
            )
            for step in STEPS
            for index in range(per_step)
        ]

    return make


def test_it_makes_plans_by_step_with_overdue_items(
    personas: Personas, caseload: Callable[[int], list[Case]]
) -> None:
    cases = caseload(10)
    now = timezone.now()
    demo_data.enrich(cases, rng=random.Random(5), now=now)
    by_step: dict[str, set[str]] = {}
    for version in PlanVersion.objects.select_related("case"):
        by_step.setdefault(version.case.status, set()).add(version.status)
        assert version.case.opened_at <= version.created_at <= now
    assert CaseStatus.INTAKE not in by_step and CaseStatus.ASSESSMENT not in by_step
    assert {PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.SENT_BACK} <= by_step["planning"]
    assert by_step["implementation"] <= {
        PlanStatus.AGREED,
        PlanStatus.APPROVED,
        PlanStatus.SUPERSEDED,
    }
    for plan in CasePlan.objects.select_related("case", "current_version"):
        if plan.case.status in (CaseStatus.IMPLEMENTATION, CaseStatus.FOLLOW_UP):
            assert plan.current_version is not None and plan.current_version.is_current
            if plan.case.risk_level == RiskLevel.HIGH:
                assert plan.current_version.status == PlanStatus.APPROVED
    in_force = PlanAction.objects.filter(plan_version__status__in=["agreed", "approved"])
    assert in_force.filter(status="done").exists()
    assert in_force.filter(status="to_do", due_on__lt=now.date()).exists()
    assert SafetyPlan.objects.filter(case__risk_level=RiskLevel.HIGH).exists()
    assert not SafetyPlan.objects.exclude(case__risk_level=RiskLevel.HIGH).exists()
    items = [
        item
        for provider in QUEUE_PROVIDERS
        for item in provider(Case.objects.visible_to(personas.caseworker), now)
    ]
    assert any(item.is_overdue(now) for item in items)


def test_it_writes_in_bulk_not_case_by_case(
    caseload: Callable[[int], list[Case]],
) -> None:
    def queries(cases: list[Case]) -> int:
        with CaptureQueriesContext(connection) as captured:
            demo_data.enrich(cases, rng=random.Random(3), now=timezone.now())
        return len(captured)

    small = queries(caseload(2))
    cases = caseload(12)
    large = queries(cases)
    # only the bulk inserts' batches grow (SQLite caps the parameters of one statement)
    assert large <= small + 4
    assert large < len(cases) / 4
