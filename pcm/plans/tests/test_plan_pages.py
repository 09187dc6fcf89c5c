"""The plan pages: a caseworker prepares and submits, a supervisor decides, others only read."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import Personas
from pcm.accounts.models import User
from pcm.cases.models import Case, CaseStatus
from pcm.plans.actions import add_plan_action, do_save_plan_draft, do_submit_plan
from pcm.plans.models import ActionStatus, CasePlan, PlanStatus, PlanVersion
from pcm.plans.tests.conftest import agreed_plan, sample_draft, save_draft
from pcm.plans.tests.forms_data import draft_form

pytestmark = pytest.mark.django_db
Clients = Callable[[User], Client]


def url(name: str, case: Case, **kwargs: object) -> str:
    return reverse(f"plans:{name}", kwargs={"public_id": case.public_id, **kwargs})


def test_the_caseworker_prepares_a_plan_with_the_form(
    personas: Personas, planning_case: Case, client_for: Clients
) -> None:
    client = client_for(personas.caseworker)
    page = client.get(url("edit", planning_case))
    assert page.status_code == 200
    assert 'name="goals-0-description"' in page.content.decode()
    data = draft_form(
        ["Feel safe at home", ""],
        [
            {"description": "Call the shelter", "goal": "1", "due_on": "2030-01-10"},
            {"description": ""},
        ],
    )
    response = client.post(url("edit", planning_case), data)
    assert response.status_code == 302
    version = PlanVersion.objects.get(case=planning_case)
    assert response["Location"] == url("version", planning_case, number=version.number)
    assert [g.description for g in version.goals.all()] == ["Feel safe at home"]
    action = version.actions.get()
    assert (action.description, action.goal, str(action.due_on)) == (
        "Call the shelter",
        version.goals.get(),
        "2030-01-10",
    )


def test_it_shows_errors_next_to_the_fields_and_keeps_the_input(
    personas: Personas, planning_case: Case, client_for: Clients
) -> None:
    client = client_for(personas.caseworker)
    data = draft_form(
        ["Feel safe at home", ""],
        [
            {"description": "", "owner": "service_user", "due_on": "2030-01-10"},
            {"description": "Linked to an empty goal", "goal": "2"},
        ],
    )
    response = client.post(url("edit", planning_case), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Describe the action, or mark the row to be removed." in body
    assert 'id="id_actions-0-description_errors"' in body
    assert "Feel safe at home" in body
    assert not PlanVersion.objects.exists()
    data = draft_form(["Feel safe", ""], [{"description": "x", "goal": "2"}])
    response = client.post(url("edit", planning_case), data)
    assert response.status_code == 400
    assert "That goal is empty or removed" in response.content.decode()


def test_it_refuses_a_concurrent_edit_with_a_message_and_keeps_the_input(
    personas: Personas, planning_case: Case, client_for: Clients
) -> None:
    first = save_draft(planning_case)
    # someone else (e.g. a case conference) changes the draft after the form was loaded
    add_plan_action(
        planning_case,
        description="From the conference",
        owner="caseworker",
        due_date=None,
        acting_user=personas.supervisor,
    )
    data = draft_form(
        ["My stale goal"], [{"description": "My stale action"}], based_on=(1, first.version)
    )
    response = client_for(personas.caseworker).post(url("edit", planning_case), data)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Omar Khalil saved version 1 (Draft)" in body
    assert "3 actions" in body
    assert "My stale action" in body
    assert "From the conference" in [a.description for a in PlanVersion.objects.get().actions.all()]


def test_the_caseworker_submits_and_the_plan_comes_into_force(
    personas: Personas, planning_case: Case, client_for: Clients
) -> None:
    version = save_draft(planning_case)
    client = client_for(personas.caseworker)
    page = client.get(url("version", planning_case, number=1)).content.decode()
    assert "Submit the agreed plan" in page
    response = client.post(url("submit", planning_case, number=1), {"version": version.version})
    assert response.status_code == 400
    assert "Confirm that the service user agrees" in response.content.decode()
    response = client.post(
        url("submit", planning_case, number=1),
        {"version": version.version, "agreed_with_service_user": "on"},
    )
    assert response.status_code == 302
    planning_case.refresh_from_db()
    assert planning_case.status == CaseStatus.IMPLEMENTATION
    page = client.get(url("plan", planning_case)).content.decode()
    assert "Plan in force" in page and "version 1, Agreed with the service user" in page


def test_a_high_risk_plan_is_sent_back_then_approved(
    personas: Personas, high_risk_case: Case, client_for: Clients
) -> None:
    caseworker, supervisor = client_for(personas.caseworker), client_for(personas.supervisor)
    version = save_draft(high_risk_case)
    caseworker.post(
        url("submit", high_risk_case, number=1),
        {"version": version.version, "agreed_with_service_user": "on"},
    )
    version.refresh_from_db()
    assert version.status == PlanStatus.SUBMITTED
    page = supervisor.get(url("version", high_risk_case, number=1)).content.decode()
    assert "Approve the plan" in page and "Send the plan back" in page
    response = supervisor.post(
        url("send_back", high_risk_case, number=1), {"version": version.version}
    )
    assert response.status_code == 400
    assert "Say in a comment" in response.content.decode()
    supervisor.post(
        url("send_back", high_risk_case, number=1),
        {"version": version.version, "comment": "Add the shelter check."},
    )
    version.refresh_from_db()
    assert version.status == PlanStatus.SENT_BACK
    edit = caseworker.get(url("edit", high_risk_case)).content.decode()
    assert "Add the shelter check." in edit
    data = draft_form(
        ["Feel safe at home", ""],
        [
            {"description": "Check with the shelter", "due_on": "2030-02-01"},
            {"description": "Action 2", "DELETE": "on"},
        ],
        based_on=(1, version.version),
        initial_goals=2,
        initial_actions=2,
    )
    response = caseworker.post(url("edit", high_risk_case), data)
    assert response.status_code == 302, response.content.decode()
    second = PlanVersion.objects.get(case=high_risk_case, number=2)
    caseworker.post(
        url("submit", high_risk_case, number=2),
        {"version": second.version, "agreed_with_service_user": "on"},
    )
    second.refresh_from_db()
    response = supervisor.post(
        url("approve", high_risk_case, number=2), {"version": second.version}
    )
    assert response.status_code == 302
    assert CasePlan.objects.get(case=high_risk_case).current_version == second
    history = caseworker.get(url("plan", high_risk_case)).content.decode()
    assert "Add the shelter check." in history
    assert "Sent back" in history and "Approved" in history


def test_the_caseworker_cannot_approve(
    personas: Personas, high_risk_case: Case, client_for: Clients
) -> None:
    version = save_draft(high_risk_case)
    do_submit_plan(
        version,
        expected_version=version.version,
        agreed_with_service_user=True,
        acting_user=personas.caseworker,
    )
    version.refresh_from_db()
    client = client_for(personas.caseworker)
    for name in ("approve", "send_back"):
        response = client.post(url(name, high_risk_case, number=1), {"version": version.version})
        assert response.status_code == 403
    assert (
        "Approve the plan"
        not in client.get(url("version", high_risk_case, number=1)).content.decode()
    )


@pytest.mark.parametrize(
    "who", ["other_caseworker", "other_supervisor", "outsider", "outsider_supervisor"]
)
def test_it_answers_404_to_anyone_outside_the_case(
    personas: Personas, high_risk_case: Case, client_for: Clients, who: str
) -> None:
    version = save_draft(high_risk_case)
    action = version.actions.first()
    assert action is not None
    client = client_for(getattr(personas, who))
    for name, kwargs in (
        ("plan", {}),
        ("edit", {}),
        ("version", {"number": 1}),
        ("review", {}),
    ):
        assert client.get(url(name, high_risk_case, **kwargs)).status_code == 404
    for name in ("submit", "approve", "send_back"):
        assert client.post(url(name, high_risk_case, number=1), {"version": 1}).status_code == 404
    response = client.post(url("action_status", high_risk_case, action_id=action.pk), {})
    assert response.status_code == 404


def test_the_manager_reads_but_cannot_change_anything(
    personas: Personas, high_risk_case: Case, client_for: Clients
) -> None:
    version = save_draft(high_risk_case)
    client = client_for(personas.manager)
    page = client.get(url("plan", high_risk_case)).content.decode()
    version_page = client.get(url("version", high_risk_case, number=1)).content.decode()
    # The plan's structure, not its free text: a manager does not see narratives by default.
    assert 'class="table table-sm align-middle plan-actions"' in version_page
    assert "Free text hidden for your role" in version_page
    assert url("edit", high_risk_case) not in page
    assert client.get(url("edit", high_risk_case)).status_code == 403
    for name in ("submit", "approve", "send_back"):
        response = client.post(url(name, high_risk_case, number=1), {"version": version.version})
        assert response.status_code == 403
    assert client.post(url("review", high_risk_case), {"outcome": "x"}).status_code == 403
    version.refresh_from_db()
    assert version.status == PlanStatus.DRAFT


def test_the_caseworker_updates_an_action_from_the_plan_page(
    personas: Personas, planning_case: Case, client_for: Clients
) -> None:
    action = agreed_plan(planning_case).actions.order_by("position")[0]
    client = client_for(personas.caseworker)
    page = client.get(url("plan", planning_case)).content.decode()
    assert f'id="action-status-{action.pk}"' in page
    assert "Status of action 1" in page
    target = url("action_status", planning_case, action_id=action.pk)
    response = client.post(target, {"status": "done", "version": action.version})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    # a second tab still holds the old version
    response = client.post(target, {"status": "cancelled", "version": 1})
    assert response.status_code == 409
    assert "changed this action to “Done”" in response.content.decode()


def test_the_caseworker_records_a_review(
    personas: Personas, planning_case: Case, client_for: Clients
) -> None:
    agreed_plan(planning_case)
    plan = CasePlan.objects.get(case=planning_case)
    client = client_for(personas.caseworker)
    response = client.post(
        url("review", planning_case),
        {"outcome": "", "next_review_on": "2001-01-01", "version": plan.version},
    )
    assert response.status_code == 400
    assert "The next review must be after today." in response.content.decode()
    response = client.post(
        url("review", planning_case),
        {"outcome": "Good progress.", "next_review_on": "2099-01-01", "version": plan.version},
    )
    assert response.status_code == 302
    assert "Good progress." in client.get(url("plan", planning_case)).content.decode()


def test_the_plan_page_makes_the_same_number_of_queries_for_any_plan_size(
    personas: Personas, planning_case: Case, client_for: Clients, case_for: Callable[..., Case]
) -> None:
    client = client_for(personas.caseworker)
    agreed_plan(planning_case, sample_draft(actions=1))
    client.get(url("plan", planning_case))  # the session's first request loads more
    with CaptureQueriesContext(connection) as small:
        assert client.get(url("plan", planning_case)).status_code == 200
    big = case_for(personas.caseworker, status=CaseStatus.PLANNING)
    first = agreed_plan(big, sample_draft(actions=12))
    big.refresh_from_db()
    for _round in range(3):
        latest = PlanVersion.objects.filter(case=big).order_by("-number").first()
        assert latest is not None
        do_save_plan_draft(
            big,
            sample_draft(actions=12),
            based_on_number=latest.number,
            based_on_version=latest.version,
            acting_user=personas.caseworker,
        )
    assert first.pk
    with CaptureQueriesContext(connection) as large:
        assert client.get(url("plan", big)).status_code == 200
    assert len(large) == len(small)
