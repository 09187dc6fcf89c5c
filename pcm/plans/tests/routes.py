"""Role matrix entries for the URLs of pcm.plans."""

from __future__ import annotations

from collections.abc import Iterator

from pcm.cases.models import Case, CaseStatus
from pcm.plans.models import (
    ActionOwner,
    CasePlan,
    PlanAction,
    PlanGoal,
    PlanStatus,
    PlanVersion,
)
from pcm.plans.safety import EmergencyContact, SafetyPlan
from tests.matrix import CASE_ROLES, Route, World

CASEWORKER = {"caseworker"}
SUPERVISOR = {"supervisor"}


def make_plan(case: Case, status: PlanStatus = PlanStatus.APPROVED) -> PlanVersion:
    """A plan version with a goal and an action on CASE, built directly (no permission needed)."""
    assert case.assigned_to is not None
    plan, _created = CasePlan.objects.get_or_create(case=case)
    number = plan.versions.count() + 1
    version = PlanVersion.objects.create(
        plan=plan,
        case=case,
        number=number,
        status=status,
        created_by=case.assigned_to,
        updated_by=case.assigned_to,
    )
    goal = PlanGoal.objects.create(plan_version=version, position=1, description="Secret goal")
    PlanAction.objects.create(
        plan_version=version,
        case=case,
        goal=goal,
        position=1,
        description="Secret action",
        owner=ActionOwner.CASEWORKER,
    )
    if status in (PlanStatus.APPROVED, PlanStatus.AGREED):
        CasePlan.objects.filter(pk=plan.pk).update(current_version=version)
    return version


def make_safety_plan(case: Case) -> SafetyPlan:
    assert case.assigned_to is not None
    plan, _created = SafetyPlan.objects.get_or_create(
        case=case,
        defaults={
            "emergency_steps": "Secret steps",
            "created_by": case.assigned_to,
            "updated_by": case.assigned_to,
        },
    )
    EmergencyContact.objects.create(safety_plan=plan, name="Secret Contact", phone="+1 555 0100")
    return plan


def _in_planning(world: World) -> Case:
    Case.objects.filter(pk=world.mine.pk).update(status=CaseStatus.PLANNING)
    world.mine.refresh_from_db()
    return world.mine


def _hidden_versions(world: World, role: str) -> Iterator[dict[str, object]]:
    for case in world.cases_hidden_from(role):
        version = make_plan(case, PlanStatus.SUBMITTED)
        yield {"public_id": case.public_id, "number": version.number}


def _hidden_actions(world: World, role: str) -> Iterator[dict[str, object]]:
    for case in world.cases_hidden_from(role):
        action = make_plan(case).actions.get()
        yield {"public_id": case.public_id, "action_id": action.pk}


def _hidden_plans(world: World, role: str) -> Iterator[dict[str, object]]:
    for case in world.cases_hidden_from(role):
        make_plan(case)
        make_safety_plan(case)
        yield {"public_id": case.public_id}


def _hidden_safety_plans(world: World, role: str) -> Iterator[dict[str, object]]:
    for case in world.cases_hidden_from(role):
        make_safety_plan(case)
        yield {"public_id": case.public_id}


def _own_plan(world: World, role: str) -> dict[str, object]:
    make_plan(_in_planning(world))
    return {"public_id": world.mine.public_id}


def _own_version(world: World, role: str) -> dict[str, object]:
    version = make_plan(_in_planning(world), PlanStatus.SUBMITTED)
    return {"public_id": world.mine.public_id, "number": version.number}


def _own_draft(world: World, role: str) -> dict[str, object]:
    version = make_plan(_in_planning(world), PlanStatus.DRAFT)
    return {"public_id": world.mine.public_id, "number": version.number}


def _own_action(world: World, role: str) -> dict[str, object]:
    action = make_plan(_in_planning(world)).actions.get()
    return {"public_id": world.mine.public_id, "action_id": action.pk}


def _own_safety_plan(world: World, role: str) -> dict[str, object]:
    make_safety_plan(world.mine)
    return {"public_id": world.mine.public_id}


def _own_planning_case(world: World, role: str) -> dict[str, object]:
    return {"public_id": _in_planning(world).public_id}


# An empty POST is refused for its content (400), not for the role.
ROUTES: dict[str, Route] = {
    "plans:plan": Route(allowed=CASE_ROLES, foreign=_hidden_plans, own=_own_plan, methods=("GET",)),
    "plans:edit": Route(allowed=CASEWORKER, foreign=_hidden_plans, own=_own_planning_case),
    "plans:version": Route(
        allowed=CASE_ROLES, foreign=_hidden_versions, own=_own_version, methods=("GET",)
    ),
    "plans:submit": Route(
        allowed=CASEWORKER,
        foreign=_hidden_versions,
        own=_own_draft,
        methods=("POST",),
        ok_statuses={400},
    ),
    "plans:approve": Route(
        allowed=SUPERVISOR,
        foreign=_hidden_versions,
        own=_own_version,
        methods=("POST",),
        ok_statuses={400},
    ),
    "plans:send_back": Route(
        allowed=SUPERVISOR,
        foreign=_hidden_versions,
        own=_own_version,
        methods=("POST",),
        ok_statuses={400},
    ),
    "plans:action_status": Route(
        allowed=CASEWORKER,
        foreign=_hidden_actions,
        own=_own_action,
        methods=("POST",),
        ok_statuses={400},
    ),
    "plans:review": Route(allowed=CASE_ROLES, foreign=_hidden_plans, own=_own_plan),
    "plans:safety": Route(
        allowed=CASE_ROLES, foreign=_hidden_safety_plans, own=_own_safety_plan, methods=("GET",)
    ),
    "plans:safety_edit": Route(
        allowed=CASEWORKER, foreign=_hidden_safety_plans, own=_own_safety_plan
    ),
    "plans:safety_print": Route(
        allowed=CASE_ROLES, foreign=_hidden_safety_plans, own=_own_safety_plan, methods=("GET",)
    ),
}
