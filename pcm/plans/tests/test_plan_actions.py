"""Plan versions: drafting, submitting, approving, sending back — each transition and refusal."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conftest import Personas
from pcm.audit.models import AuditEvent
from pcm.cases.models import Case, CaseStatus, RiskLevel
from pcm.core.errors import ActionRefused, EditConflict
from pcm.notifications.models import Notification, NotificationKind
from pcm.plans.actions import (
    do_approve_plan,
    do_save_plan_draft,
    do_send_back_plan,
    do_submit_plan,
)
from pcm.plans.drafts import ActionInput, GoalInput, PlanDraft
from pcm.plans.events import PlanEvent
from pcm.plans.models import ActionOwner, ActionStatus, CasePlan, PlanStatus, PlanVersion
from pcm.plans.tests.conftest import agreed_plan, sample_draft, save_draft
from pcm.plans.versioning import make_current

pytestmark = pytest.mark.django_db


def submit(version: PlanVersion, user: object = None) -> PlanVersion:
    case = version.case
    return do_submit_plan(
        version,
        expected_version=version.version,
        agreed_with_service_user=True,
        acting_user=user or case.assigned_to,  # type: ignore[arg-type]
    )


# --- drafting -----------------------------------------------------------------------------


def test_it_saves_a_first_draft_with_goals_and_linked_actions(planning_case: Case) -> None:
    version = save_draft(planning_case)
    assert version.number == 1
    assert version.status == PlanStatus.DRAFT
    goals = list(version.goals.order_by("position"))
    assert [goal.description for goal in goals] == ["Feel safe at home", "Have a regular income"]
    actions = list(version.actions.order_by("position"))
    assert [action.goal for action in actions] == goals
    assert AuditEvent.objects.filter(event_type=PlanEvent.DRAFT_SAVED).count() == 1
    assert CasePlan.objects.get(case=planning_case).current_version is None


def test_it_saves_a_draft_in_place_while_it_is_a_draft(
    personas: Personas, planning_case: Case
) -> None:
    first = save_draft(planning_case)
    again = do_save_plan_draft(
        planning_case,
        sample_draft(actions=4),
        based_on_number=first.number,
        based_on_version=first.version,
        acting_user=personas.caseworker,
    )
    assert again.pk == first.pk
    assert again.version == first.version + 1
    assert again.actions.count() == 4
    assert PlanVersion.objects.filter(case=planning_case).count() == 1


def test_it_never_overwrites_a_plan_in_force_but_makes_a_new_version(
    personas: Personas, planning_case: Case
) -> None:
    current = agreed_plan(planning_case)
    revised = do_save_plan_draft(
        planning_case,
        sample_draft(actions=3),
        based_on_number=current.number,
        based_on_version=current.version,
        acting_user=personas.caseworker,
    )
    assert revised.number == 2
    assert revised.status == PlanStatus.DRAFT
    current.refresh_from_db()
    assert current.status == PlanStatus.AGREED
    assert current.actions.count() == 2


def test_it_refuses_a_stale_draft_and_says_what_changed(
    personas: Personas, planning_case: Case
) -> None:
    first = save_draft(planning_case)
    do_save_plan_draft(
        planning_case,
        sample_draft(actions=3),
        based_on_number=first.number,
        based_on_version=first.version,
        acting_user=personas.caseworker,
    )
    with pytest.raises(EditConflict) as refused:
        do_save_plan_draft(
            planning_case,
            sample_draft(actions=1),
            based_on_number=first.number,
            based_on_version=first.version,
            acting_user=personas.caseworker,
        )
    message = str(refused.value.message)
    assert "Layla Hassan saved version 1 (Draft)" in message
    assert "2 goals and 3 actions" in message
    assert PlanVersion.objects.get().actions.count() == 3


def test_it_refuses_a_first_draft_when_someone_already_started_one(planning_case: Case) -> None:
    save_draft(planning_case)
    with pytest.raises(EditConflict):
        save_draft(planning_case)


@pytest.mark.parametrize("who", ["supervisor", "manager", "other_caseworker", "outsider"])
def test_it_lets_only_the_caseworker_draft(
    personas: Personas, planning_case: Case, who: str
) -> None:
    with pytest.raises(ActionRefused):
        do_save_plan_draft(
            planning_case,
            sample_draft(),
            based_on_number=None,
            based_on_version=None,
            acting_user=getattr(personas, who),
        )


@pytest.mark.parametrize("step", [CaseStatus.INTAKE, CaseStatus.ASSESSMENT, CaseStatus.CLOSED])
def test_it_refuses_a_draft_outside_the_planning_steps(
    personas: Personas, case_for: Callable[..., Case], step: CaseStatus
) -> None:
    case = case_for(personas.caseworker, status=step)
    with pytest.raises(ActionRefused):
        save_draft(case)


def test_it_refuses_a_draft_without_goals(planning_case: Case) -> None:
    with pytest.raises(ActionRefused, match="at least one goal"):
        save_draft(planning_case, PlanDraft(goals=[], actions=[]))


def test_it_refuses_to_edit_while_waiting_for_approval(
    personas: Personas, high_risk_case: Case
) -> None:
    version = submit(save_draft(high_risk_case))
    with pytest.raises(ActionRefused, match="waiting for the supervisor"):
        do_save_plan_draft(
            high_risk_case,
            sample_draft(),
            based_on_number=version.number,
            based_on_version=version.version,
            acting_user=personas.caseworker,
        )


# --- submitting ---------------------------------------------------------------------------


def test_it_puts_an_agreed_plan_in_force_and_moves_the_case_on(planning_case: Case) -> None:
    version = submit(save_draft(planning_case))
    assert version.status == PlanStatus.AGREED
    assert version.agreed_with_service_user
    assert version.submitted_by == planning_case.assigned_to
    assert CasePlan.objects.get(case=planning_case).current_version == version
    planning_case.refresh_from_db()
    assert planning_case.status == CaseStatus.IMPLEMENTATION
    assert AuditEvent.objects.filter(event_type=PlanEvent.AGREED).count() == 1
    assert not Notification.objects.filter(kind=NotificationKind.APPROVAL_REQUESTED).exists()


def test_it_sets_the_next_review_from_the_plan(planning_case: Case) -> None:
    draft = sample_draft(review_on=planning_case.opened_at.date().replace(year=2099))
    version = submit(save_draft(planning_case, draft))
    assert CasePlan.objects.get(case=planning_case).next_review_on == version.review_on


def test_it_sends_a_high_risk_plan_to_the_supervisor(
    personas: Personas, high_risk_case: Case
) -> None:
    version = submit(save_draft(high_risk_case))
    assert version.status == PlanStatus.SUBMITTED
    assert CasePlan.objects.get(case=high_risk_case).current_version is None
    high_risk_case.refresh_from_db()
    assert high_risk_case.status == CaseStatus.PLANNING
    notification = Notification.objects.get(kind=NotificationKind.APPROVAL_REQUESTED)
    assert notification.recipient == personas.supervisor
    assert notification.case == high_risk_case


def test_it_refuses_to_put_a_high_risk_plan_in_force_without_approval(
    personas: Personas, high_risk_case: Case
) -> None:
    version = save_draft(high_risk_case)
    version.status = PlanStatus.AGREED
    with pytest.raises(ActionRefused, match="only after the team's supervisor approves"):
        make_current(version, acting_user=personas.caseworker)
    assert CasePlan.objects.get(case=high_risk_case).current_version is None


def test_it_refuses_to_submit_without_the_service_users_agreement(planning_case: Case) -> None:
    version = save_draft(planning_case)
    with pytest.raises(ActionRefused, match="Agree the goals"):
        do_submit_plan(
            version,
            expected_version=version.version,
            agreed_with_service_user=False,
            acting_user=planning_case.assigned_to,  # type: ignore[arg-type]
        )


def test_it_refuses_to_submit_a_plan_without_actions(planning_case: Case) -> None:
    version = save_draft(planning_case, PlanDraft(goals=[GoalInput("Be safe")], actions=[]))
    with pytest.raises(ActionRefused, match="at least one goal and one action"):
        submit(version)


def test_it_refuses_to_submit_twice(high_risk_case: Case) -> None:
    version = submit(save_draft(high_risk_case))
    with pytest.raises(ActionRefused, match="Only a draft"):
        submit(version)


def test_it_refuses_to_submit_a_version_changed_meanwhile(
    personas: Personas, planning_case: Case
) -> None:
    version = save_draft(planning_case)
    stale = version.version
    do_save_plan_draft(
        planning_case,
        sample_draft(actions=5),
        based_on_number=1,
        based_on_version=stale,
        acting_user=personas.caseworker,
    )
    with pytest.raises(EditConflict, match="5 actions"):
        do_submit_plan(
            version,
            expected_version=stale,
            agreed_with_service_user=True,
            acting_user=personas.caseworker,
        )


def test_it_lets_only_the_caseworker_submit(personas: Personas, planning_case: Case) -> None:
    version = save_draft(planning_case)
    with pytest.raises(ActionRefused):
        submit(version, personas.supervisor)


# --- approving and sending back ------------------------------------------------------------


def test_the_supervisor_approves_and_the_plan_comes_into_force(
    personas: Personas, high_risk_case: Case
) -> None:
    version = submit(save_draft(high_risk_case))
    do_approve_plan(
        version, expected_version=version.version, comment="Good.", acting_user=personas.supervisor
    )
    version.refresh_from_db()
    assert version.status == PlanStatus.APPROVED
    assert (version.decided_by, version.decision_comment) == (personas.supervisor, "Good.")
    assert CasePlan.objects.get(case=high_risk_case).current_version == version
    high_risk_case.refresh_from_db()
    assert high_risk_case.status == CaseStatus.IMPLEMENTATION
    notification = Notification.objects.get(kind=NotificationKind.APPROVAL_GIVEN)
    assert notification.recipient == personas.caseworker


def test_the_supervisor_sends_back_with_a_comment(personas: Personas, high_risk_case: Case) -> None:
    version = submit(save_draft(high_risk_case))
    do_send_back_plan(
        version,
        expected_version=version.version,
        comment="Add a safety action.",
        acting_user=personas.supervisor,
    )
    version.refresh_from_db()
    assert version.status == PlanStatus.SENT_BACK
    assert version.decision_comment == "Add a safety action."
    assert Notification.objects.get(kind=NotificationKind.SENT_BACK).recipient == (
        personas.caseworker
    )
    assert CasePlan.objects.get(case=high_risk_case).current_version is None
    # the caseworker revises: a new version, the sent-back one kept as it was
    revised = do_save_plan_draft(
        high_risk_case,
        sample_draft(actions=3),
        based_on_number=version.number,
        based_on_version=version.version,
        acting_user=personas.caseworker,
    )
    assert revised.number == 2
    assert version.actions.count() == 2


def test_it_requires_a_comment_to_send_back(personas: Personas, high_risk_case: Case) -> None:
    version = submit(save_draft(high_risk_case))
    with pytest.raises(ActionRefused, match="comment"):
        do_send_back_plan(
            version, expected_version=version.version, comment="  ", acting_user=personas.supervisor
        )


@pytest.mark.parametrize(
    "who", ["caseworker", "other_supervisor", "manager", "outsider_supervisor"]
)
def test_only_the_teams_supervisor_decides(
    personas: Personas, high_risk_case: Case, who: str
) -> None:
    version = submit(save_draft(high_risk_case))
    for decide in (do_approve_plan, do_send_back_plan):
        with pytest.raises(ActionRefused, match="Only the supervisor"):
            decide(
                version,
                expected_version=version.version,
                comment="x",
                acting_user=getattr(personas, who),
            )
    version.refresh_from_db()
    assert version.status == PlanStatus.SUBMITTED


def test_it_refuses_to_approve_a_plan_not_submitted(
    personas: Personas, high_risk_case: Case
) -> None:
    version = save_draft(high_risk_case)
    with pytest.raises(ActionRefused, match="not waiting for approval"):
        do_approve_plan(version, expected_version=version.version, acting_user=personas.supervisor)


# --- a new version in force ---------------------------------------------------------------


def test_a_new_version_supersedes_the_old_and_keeps_what_happened_meanwhile(
    personas: Personas, planning_case: Case
) -> None:
    from pcm.plans.actions import add_plan_action, do_update_action_status

    first = agreed_plan(planning_case)
    planning_case.refresh_from_db()
    kept = first.actions.order_by("position")[0]
    draft = do_save_plan_draft(
        planning_case,
        PlanDraft(
            goals=[GoalInput("Feel safe at home")],
            actions=[
                ActionInput(
                    description=kept.description, owner=ActionOwner.SERVICE_USER, key=kept.key
                ),
                ActionInput(description="A new action", owner=ActionOwner.CASEWORKER),
            ],
        ),
        based_on_number=first.number,
        based_on_version=first.version,
        acting_user=personas.caseworker,
    )
    # while the draft is prepared, the caseworker marks the action done on the plan in force,
    # and a case conference adds an action
    do_update_action_status(
        kept,
        status=ActionStatus.DONE,
        expected_version=kept.version,
        acting_user=personas.caseworker,
    )
    add_plan_action(
        planning_case,
        description="Conference: call the shelter",
        owner="caseworker",
        due_date=None,
        acting_user=personas.supervisor,
    )
    submit(PlanVersion.objects.get(pk=draft.pk))
    first.refresh_from_db()
    assert first.status == PlanStatus.SUPERSEDED
    assert first.superseded_at is not None
    new = CasePlan.objects.get(case=planning_case).current_version
    assert new is not None and new.pk == draft.pk
    statuses = {a.description: a.status for a in new.actions.all()}
    assert statuses == {
        kept.description: ActionStatus.DONE,
        "A new action": ActionStatus.TO_DO,
        "Conference: call the shelter": ActionStatus.TO_DO,
    }
    assert AuditEvent.objects.filter(event_type=PlanEvent.SUPERSEDED).count() == 1


def test_a_revised_plan_of_a_high_risk_case_waits_for_approval_too(
    personas: Personas, case_for: Callable[..., Case]
) -> None:
    case = case_for(
        personas.caseworker, status=CaseStatus.IMPLEMENTATION, risk_level=RiskLevel.MEDIUM
    )
    first = agreed_plan(case)
    Case.objects.filter(pk=case.pk).update(risk_level=RiskLevel.HIGH)
    case.refresh_from_db()
    draft = do_save_plan_draft(
        case,
        sample_draft(),
        based_on_number=first.number,
        based_on_version=first.version,
        acting_user=personas.caseworker,
    )
    assert submit(draft).status == PlanStatus.SUBMITTED
    assert CasePlan.objects.get(case=case).current_version == first
