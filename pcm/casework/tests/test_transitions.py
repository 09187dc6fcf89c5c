"""Implementation ⇄ follow-up: one action per move, each refusal with a clear message."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from pcm.audit.models import AuditEvent, AuditEventType
from pcm.cases.models import CaseStatus
from pcm.casework import actions
from pcm.casework.details import FollowUpDetails
from pcm.casework.models import ContactMode, FollowUp, StepChange
from pcm.casework.tests.conftest import OUTSIDERS, url
from pcm.casework.tests.factories import make_follow_up
from pcm.core.errors import ActionRefused, EditConflict


def first_follow_up():
    return FollowUpDetails(timezone.localdate() + timedelta(days=7), "Check", ContactMode.PHONE)


# Starting follow-up ---------------------------------------------------------------------------


def test_it_starts_follow_up_when_a_follow_up_is_scheduled(personas, case, client_for):
    make_follow_up(case)
    client = client_for(personas.caseworker)
    page = client.get(url("start_follow_up", case)).content.decode()
    assert 'name="due_on"' not in page
    response = client.post(url("start_follow_up", case), {"version": case.version})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.FOLLOW_UP
    step = AuditEvent.objects.get(event_type=AuditEventType.CASE_STEP_CHANGED)
    assert step.detail["from"] == "implementation"
    assert step.detail["to"] == "follow_up"
    assert StepChange.objects.get(case=case).to_status == CaseStatus.FOLLOW_UP


def test_it_schedules_the_first_follow_up_in_the_same_form(personas, case, client_for):
    due = timezone.localdate() + timedelta(days=10)
    response = client_for(personas.caseworker).post(
        url("start_follow_up", case),
        {
            "version": case.version,
            "due_on": due.isoformat(),
            "purpose": "Check on well-being",
            "mode": ContactMode.HOME_VISIT,
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.FOLLOW_UP
    assert FollowUp.objects.get(case=case).due_on == due


def test_the_form_asks_for_the_first_follow_up_when_none_is_scheduled(personas, case, client_for):
    response = client_for(personas.caseworker).post(
        url("start_follow_up", case), {"version": case.version}
    )
    assert response.status_code == 400
    assert 'id="id_due_on_errors"' in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.IMPLEMENTATION


def test_it_refuses_to_start_follow_up_without_a_scheduled_follow_up(personas, case):
    with pytest.raises(ActionRefused, match="Schedule the first follow-up"):
        actions.do_start_follow_up(
            case, expected_version=case.version, acting_user=personas.caseworker
        )


def test_a_follow_up_already_done_does_not_count_as_scheduled(personas, case):
    make_follow_up(case, done_at=timezone.now(), outcome="Done.")
    with pytest.raises(ActionRefused, match="Schedule the first follow-up"):
        actions.do_start_follow_up(
            case, expected_version=case.version, acting_user=personas.caseworker
        )


@pytest.mark.parametrize("step", [s for s in CaseStatus if s != CaseStatus.IMPLEMENTATION], ids=str)
def test_it_refuses_to_start_follow_up_from_any_other_step(personas, case, step):
    case.status = step
    case.save()
    with pytest.raises(ActionRefused, match="this move starts from"):
        actions.do_start_follow_up(
            case,
            expected_version=case.version,
            first_follow_up=first_follow_up(),
            acting_user=personas.caseworker,
        )
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize("role", ["supervisor", "manager", "other_caseworker"])
def test_only_the_cases_caseworker_starts_follow_up(personas, case, role):
    make_follow_up(case)
    with pytest.raises(ActionRefused, match="Only the case's caseworker"):
        actions.do_start_follow_up(
            case, expected_version=case.version, acting_user=getattr(personas, role)
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.IMPLEMENTATION


def test_it_refuses_a_start_from_a_stale_page(personas, case, client_for):
    make_follow_up(case)
    stale = case.version
    case.version += 1
    case.save()
    response = client_for(personas.caseworker).post(
        url("start_follow_up", case), {"version": stale}
    )
    assert response.status_code == 409
    assert "Someone else changed this case" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.IMPLEMENTATION
    assert not StepChange.objects.exists()


def test_the_page_explains_when_the_case_is_not_in_implementation(personas, case, client_for):
    case.status = CaseStatus.ASSESSMENT
    case.save()
    page = client_for(personas.caseworker).get(url("start_follow_up", case)).content.decode()
    assert "this move is not possible from there" in page
    assert '<form method="post" novalidate class="casework-form">' not in page


# Back to implementation -----------------------------------------------------------------------


@pytest.fixture
def following_up(case):
    case.status = CaseStatus.FOLLOW_UP
    case.save()
    return case


def test_it_moves_back_to_implementation_with_the_reason(personas, following_up, client_for):
    case = following_up
    response = client_for(personas.caseworker).post(
        url("resume_implementation", case),
        {"version": case.version, "reason": "She lost her housing; new needs."},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.IMPLEMENTATION
    change = StepChange.objects.get(case=case)
    assert change.reason == "She lost her housing; new needs."
    step = AuditEvent.objects.get(event_type=AuditEventType.CASE_STEP_CHANGED)
    assert step.detail == {"from": "follow_up", "to": "implementation", "step_change": change.pk}


def test_it_asks_for_the_reason(personas, following_up, client_for):
    response = client_for(personas.caseworker).post(
        url("resume_implementation", following_up), {"version": following_up.version}
    )
    assert response.status_code == 400
    assert 'id="id_reason_errors"' in response.content.decode()
    with pytest.raises(ActionRefused, match="Say why"):
        actions.do_resume_implementation(
            following_up,
            reason="   ",
            expected_version=following_up.version,
            acting_user=personas.caseworker,
        )
    following_up.refresh_from_db()
    assert following_up.status == CaseStatus.FOLLOW_UP


@pytest.mark.parametrize("step", [s for s in CaseStatus if s != CaseStatus.FOLLOW_UP], ids=str)
def test_it_refuses_to_resume_from_any_other_step(personas, case, step):
    case.status = step
    case.save()
    with pytest.raises(ActionRefused, match="this move starts from"):
        actions.do_resume_implementation(
            case, reason="New need", expected_version=case.version, acting_user=personas.caseworker
        )


@pytest.mark.parametrize("role", ["supervisor", "manager", "other_caseworker"])
def test_only_the_cases_caseworker_resumes_implementation(personas, following_up, role):
    with pytest.raises(ActionRefused, match="Only the case's caseworker"):
        actions.do_resume_implementation(
            following_up,
            reason="New need",
            expected_version=following_up.version,
            acting_user=getattr(personas, role),
        )


def test_it_refuses_a_resume_from_a_stale_page(personas, following_up):
    with pytest.raises(EditConflict):
        actions.do_resume_implementation(
            following_up,
            reason="New need",
            expected_version=following_up.version - 1 if following_up.version > 1 else 99,
            acting_user=personas.caseworker,
        )
    assert not StepChange.objects.exists()


def test_the_supervisor_and_manager_get_403_on_the_move_pages(personas, following_up, client_for):
    for role in ("supervisor", "manager"):
        client = client_for(getattr(personas, role))
        assert client.get(url("resume_implementation", following_up)).status_code == 403
        assert client.get(url("start_follow_up", following_up)).status_code == 403


@pytest.mark.parametrize("role", OUTSIDERS)
def test_it_answers_404_to_anyone_outside_the_case(personas, following_up, client_for, role):
    client = client_for(getattr(personas, role))
    data = {"version": following_up.version, "reason": "x"}
    assert client.post(url("resume_implementation", following_up), data).status_code == 404
    assert client.post(url("start_follow_up", following_up), data).status_code == 404
    following_up.refresh_from_db()
    assert following_up.status == CaseStatus.FOLLOW_UP
