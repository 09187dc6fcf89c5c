"""Implementation of the plan in force: action status updates and plan reviews."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import Personas
from pcm.audit.models import AuditEvent
from pcm.cases.models import Case, CaseStatus
from pcm.core.errors import ActionRefused, EditConflict
from pcm.plans.actions import do_record_plan_review, do_update_action_status
from pcm.plans.events import PlanEvent
from pcm.plans.models import ActionStatus, CasePlan, PlanVersion
from pcm.plans.tests.conftest import agreed_plan, save_draft

pytestmark = pytest.mark.django_db


def test_it_marks_an_action_done_without_a_new_version(
    personas: Personas, planning_case: Case
) -> None:
    version = agreed_plan(planning_case)
    action = version.actions.order_by("position")[0]
    updated = do_update_action_status(
        action,
        status=ActionStatus.DONE,
        expected_version=action.version,
        acting_user=personas.caseworker,
    )
    assert updated.status == ActionStatus.DONE
    assert (updated.status_changed_by, updated.version) == (personas.caseworker, 2)
    assert PlanVersion.objects.filter(case=planning_case).count() == 1
    event = AuditEvent.objects.get(event_type=PlanEvent.ACTION_STATUS_CHANGED)
    assert event.detail["to"] == "done"


def test_it_refuses_a_status_from_an_older_copy_and_says_what_changed(
    personas: Personas, planning_case: Case
) -> None:
    version = agreed_plan(planning_case)
    action = version.actions.order_by("position")[0]
    stale = action.version
    do_update_action_status(
        action,
        status=ActionStatus.IN_PROGRESS,
        expected_version=stale,
        acting_user=personas.caseworker,
    )
    with pytest.raises(EditConflict) as refused:
        do_update_action_status(
            action,
            status=ActionStatus.CANCELLED,
            expected_version=stale,
            acting_user=personas.caseworker,
        )
    assert "Layla Hassan changed this action to “In progress”" in str(refused.value.message)
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS


def test_it_refuses_status_updates_on_a_draft(personas: Personas, planning_case: Case) -> None:
    action = save_draft(planning_case).actions.first()
    assert action is not None
    with pytest.raises(ActionRefused, match="plan in force"):
        do_update_action_status(
            action, status=ActionStatus.DONE, expected_version=1, acting_user=personas.caseworker
        )


@pytest.mark.parametrize("who", ["supervisor", "manager", "other_caseworker"])
def test_it_lets_only_the_caseworker_update_actions(
    personas: Personas, planning_case: Case, who: str
) -> None:
    action = agreed_plan(planning_case).actions.first()
    assert action is not None
    with pytest.raises(ActionRefused):
        do_update_action_status(
            action, status=ActionStatus.DONE, expected_version=1, acting_user=getattr(personas, who)
        )


def test_it_refuses_status_updates_on_a_closed_case(
    personas: Personas, planning_case: Case
) -> None:
    action = agreed_plan(planning_case).actions.first()
    assert action is not None
    Case.objects.filter(pk=planning_case.pk).update(status=CaseStatus.CLOSED)
    action.case.refresh_from_db()
    with pytest.raises(ActionRefused, match="closed"):
        do_update_action_status(
            action, status=ActionStatus.DONE, expected_version=1, acting_user=personas.caseworker
        )


def test_it_records_a_review_and_the_next_date(personas: Personas, planning_case: Case) -> None:
    agreed_plan(planning_case)
    planning_case.refresh_from_db()
    plan = CasePlan.objects.get(case=planning_case)
    next_review = timezone.localdate() + timedelta(days=30)
    review = do_record_plan_review(
        planning_case,
        outcome="Two actions done; housing still uncertain.",
        next_review_on=next_review,
        expected_version=plan.version,
        acting_user=personas.caseworker,
    )
    plan.refresh_from_db()
    assert plan.next_review_on == next_review
    assert review.plan_version_id == plan.current_version_id
    event = AuditEvent.objects.get(event_type=PlanEvent.REVIEWED)
    assert "housing" not in str(event.detail)


def test_it_refuses_a_review_from_an_older_copy(personas: Personas, planning_case: Case) -> None:
    agreed_plan(planning_case)
    planning_case.refresh_from_db()
    stale = CasePlan.objects.get(case=planning_case).version
    later = timezone.localdate() + timedelta(days=20)
    do_record_plan_review(
        planning_case,
        outcome="First",
        next_review_on=later,
        expected_version=stale,
        acting_user=personas.caseworker,
    )
    with pytest.raises(EditConflict, match=later.isoformat()):
        do_record_plan_review(
            planning_case,
            outcome="Second",
            next_review_on=None,
            expected_version=stale,
            acting_user=personas.caseworker,
        )


def test_it_refuses_reviews_without_a_plan_in_force_or_outcome_or_with_a_past_date(
    personas: Personas, planning_case: Case, case_for: Callable[..., Case]
) -> None:
    save_draft(planning_case)
    with pytest.raises(ActionRefused, match="no plan in force"):
        do_record_plan_review(
            planning_case,
            outcome="x",
            next_review_on=None,
            expected_version=1,
            acting_user=personas.caseworker,
        )
    with pytest.raises(ActionRefused, match="outcome"):
        do_record_plan_review(
            planning_case,
            outcome=" ",
            next_review_on=None,
            expected_version=1,
            acting_user=personas.caseworker,
        )
    with pytest.raises(ActionRefused, match="after today"):
        do_record_plan_review(
            planning_case,
            outcome="x",
            next_review_on=timezone.localdate(),
            expected_version=1,
            acting_user=personas.caseworker,
        )
    with pytest.raises(ActionRefused, match="caseworker"):
        do_record_plan_review(
            planning_case,
            outcome="x",
            next_review_on=None,
            expected_version=1,
            acting_user=personas.supervisor,
        )
