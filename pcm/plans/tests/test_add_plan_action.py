"""add_plan_action: how a case conference (pcm.casework) adds decided actions to the plan."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.db import transaction

from conftest import Personas
from pcm.audit.models import AuditEvent
from pcm.cases.models import Case, CaseStatus
from pcm.core.errors import ActionRefused
from pcm.plans.actions import add_plan_action
from pcm.plans.events import PlanEvent
from pcm.plans.models import ActionSource, ActionStatus, CasePlan, PlanAction, PlanStatus
from pcm.plans.tests.conftest import agreed_plan, save_draft

pytestmark = pytest.mark.django_db


def test_it_adds_the_action_to_the_plan_in_force(personas: Personas, planning_case: Case) -> None:
    current = agreed_plan(planning_case)
    action = add_plan_action(
        planning_case,
        description="Accompany her to the legal aid clinic",
        owner="caseworker",
        due_date=date(2026, 3, 1),
        acting_user=personas.caseworker,
    )
    assert action.plan_version == current
    assert action.status == ActionStatus.TO_DO
    assert action.source == ActionSource.CONFERENCE
    assert action.position == 3
    event = AuditEvent.objects.get(event_type=PlanEvent.ACTION_ADDED)
    assert event.detail == {"case": planning_case.pk, "plan_version": 1, "source": "conference"}
    assert "legal aid" not in str(event.detail)


def test_it_starts_a_draft_when_the_case_has_no_plan(
    personas: Personas, case_for: Callable[..., Case]
) -> None:
    case = case_for(personas.caseworker, status=CaseStatus.IMPLEMENTATION)
    action = add_plan_action(
        case,
        description="Call the shelter",
        owner="caseworker",
        due_date=None,
        acting_user=personas.supervisor,
    )
    plan = CasePlan.objects.get(case=case)
    assert plan.current_version is None
    assert action.plan_version.status == PlanStatus.DRAFT
    assert action.plan_version.number == 1


def test_it_adds_to_the_draft_being_prepared(personas: Personas, planning_case: Case) -> None:
    draft = save_draft(planning_case)
    action = add_plan_action(
        planning_case,
        description="Call the shelter",
        owner="service_user",
        due_date=None,
        acting_user=personas.caseworker,
    )
    assert action.plan_version == draft
    draft.refresh_from_db()
    assert draft.version == 3  # so an edit started before the conference cannot overwrite it


def test_it_runs_inside_the_callers_transaction(personas: Personas, planning_case: Case) -> None:
    agreed_plan(planning_case)
    with pytest.raises(RuntimeError), transaction.atomic():
        add_plan_action(
            planning_case,
            description="Rolled back",
            owner="caseworker",
            due_date=None,
            acting_user=personas.caseworker,
        )
        raise RuntimeError
    assert "Rolled back" not in [action.description for action in PlanAction.objects.all()]


@pytest.mark.parametrize("who", ["other_caseworker", "other_supervisor", "manager", "outsider"])
def test_it_refuses_anyone_but_the_caseworker_and_supervisor(
    personas: Personas, planning_case: Case, who: str
) -> None:
    with pytest.raises(ActionRefused):
        add_plan_action(
            planning_case,
            description="x",
            owner="caseworker",
            due_date=None,
            acting_user=getattr(personas, who),
        )


def test_it_refuses_an_unknown_owner_and_a_closed_case(
    personas: Personas, case_for: Callable[..., Case], planning_case: Case
) -> None:
    with pytest.raises(ActionRefused):
        add_plan_action(
            planning_case,
            description="x",
            owner="neighbour",
            due_date=None,
            acting_user=personas.caseworker,
        )
    closed = case_for(personas.caseworker, status=CaseStatus.CLOSED)
    with pytest.raises(ActionRefused):
        add_plan_action(
            closed,
            description="x",
            owner="caseworker",
            due_date=None,
            acting_user=personas.caseworker,
        )
