"""Fixtures for plan tests: a case in planning held by Layla, and a plan builder."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.utils import timezone

from conftest import Personas
from pcm.cases.models import Case, CaseStatus, RiskLevel
from pcm.plans.actions import do_save_plan_draft, do_submit_plan
from pcm.plans.drafts import ActionInput, GoalInput, PlanDraft
from pcm.plans.models import ActionOwner, PlanVersion


def sample_draft(actions: int = 2, *, review_on: date | None = None) -> PlanDraft:
    today = timezone.localdate()
    return PlanDraft(
        goals=[GoalInput("Feel safe at home"), GoalInput("Have a regular income")],
        actions=[
            ActionInput(
                description=f"Action {index + 1}",
                owner=ActionOwner.CASEWORKER if index % 2 else ActionOwner.SERVICE_USER,
                due_on=today + timedelta(days=7 + index),
                goal_index=index % 2,
            )
            for index in range(actions)
        ],
        review_on=review_on,
    )


@pytest.fixture
def planning_case(personas: Personas, case_for: Callable[..., Case]) -> Case:
    return case_for(personas.caseworker, status=CaseStatus.PLANNING, risk_level=RiskLevel.MEDIUM)


@pytest.fixture
def high_risk_case(personas: Personas, case_for: Callable[..., Case]) -> Case:
    return case_for(personas.caseworker, status=CaseStatus.PLANNING, risk_level=RiskLevel.HIGH)


def save_draft(case: Case, draft: PlanDraft | None = None) -> PlanVersion:
    """A first draft for CASE, by its caseworker."""
    assert case.assigned_to is not None
    return do_save_plan_draft(
        case,
        draft or sample_draft(),
        based_on_number=None,
        based_on_version=None,
        acting_user=case.assigned_to,
    )


def agreed_plan(case: Case, draft: PlanDraft | None = None) -> PlanVersion:
    """A plan in force for a case that is not high risk."""
    assert case.assigned_to is not None
    version = save_draft(case, draft)
    return do_submit_plan(
        version,
        expected_version=version.version,
        agreed_with_service_user=True,
        acting_user=case.assigned_to,
    )
