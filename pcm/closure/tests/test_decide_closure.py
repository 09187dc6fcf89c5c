"""The team's supervisor approves a closure or sends it back; nobody closes without approval."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pcm.audit.models import AuditEvent
from pcm.cases.models import CaseStatus
from pcm.cases.workflow import move_case
from pcm.closure.actions import do_approve_closure, do_send_back_closure
from pcm.closure.models import ClosureEvent, ClosureRequest, ClosureStatus
from pcm.closure.tests.conftest import request_closure
from pcm.core.errors import ActionRefused, EditConflict
from pcm.notifications.models import Notification, NotificationKind


def approve_url(case):
    return reverse("closure:approve_closure", args=[case.public_id])


def send_back_url(case):
    return reverse("closure:send_back_closure", args=[case.public_id])


def test_it_approves_closes_the_case_and_tells_the_caseworker(personas, case, client_for):
    closure = request_closure(case)
    response = client_for(personas.supervisor).post(approve_url(case), {"version": closure.version})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closed_at is not None
    closure.refresh_from_db()
    assert closure.status == ClosureStatus.APPROVED
    assert closure.decided_by == personas.supervisor
    notification = Notification.objects.get(recipient=personas.caseworker)
    assert notification.kind == NotificationKind.APPROVAL_GIVEN
    assert AuditEvent.objects.filter(event_type=ClosureEvent.CLOSURE_APPROVED).count() == 1


@pytest.mark.parametrize("step", [CaseStatus.IMPLEMENTATION, CaseStatus.FOLLOW_UP])
def test_it_sends_back_to_the_step_the_case_came_from(personas, case, client_for, step):
    case.status = step
    case.save()
    closure = request_closure(case)
    response = client_for(personas.supervisor).post(
        send_back_url(case), {"comment": "Add the last follow-up visit.", "version": 1}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == step
    closure.refresh_from_db()
    assert closure.status == ClosureStatus.SENT_BACK
    assert closure.decision_comment == "Add the last follow-up visit."
    notification = Notification.objects.get(recipient=personas.caseworker)
    assert notification.kind == NotificationKind.SENT_BACK
    page = client_for(personas.caseworker).get(reverse("cases:detail", args=[case.public_id]))
    assert "Add the last follow-up visit." in page.content.decode()


def test_it_requires_a_comment_to_send_back(personas, case, client_for):
    closure = request_closure(case)
    response = client_for(personas.supervisor).post(
        send_back_url(case), {"comment": " ", "version": 1}
    )
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    with pytest.raises(ActionRefused, match="Write a comment"):
        do_send_back_closure(closure, comment="", acting_user=personas.supervisor)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSURE_REQUESTED


def test_a_case_cannot_be_closed_without_approval(personas, case, client_for):
    """No step move, role or page closes a case except the supervisor's approval."""
    with pytest.raises(ActionRefused):
        move_case(case, to=CaseStatus.CLOSED, acting_user=personas.caseworker)
    closure = request_closure(case)
    assert case.status == CaseStatus.CLOSURE_REQUESTED
    for user in (personas.caseworker, personas.manager):
        assert client_for(user).post(approve_url(case), {"version": 1}).status_code == 403
        with pytest.raises(ActionRefused, match="Only the supervisor"):
            do_approve_closure(closure, acting_user=user)
    for user in (personas.other_supervisor, personas.outsider_supervisor):
        assert client_for(user).post(approve_url(case), {"version": 1}).status_code == 404
        with pytest.raises(ActionRefused):
            do_approve_closure(closure, acting_user=user)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSURE_REQUESTED
    assert case.closed_at is None


def test_only_the_team_supervisor_sends_back(personas, case, client_for):
    closure = request_closure(case)
    data = {"comment": "Please check", "version": 1}
    assert client_for(personas.caseworker).post(send_back_url(case), data).status_code == 403
    assert client_for(personas.other_supervisor).post(send_back_url(case), data).status_code == 404
    with pytest.raises(ActionRefused, match="Only the supervisor"):
        do_send_back_closure(closure, comment="x", acting_user=personas.caseworker)
    closure.refresh_from_db()
    assert closure.is_pending


def test_it_refuses_a_decision_on_a_decided_request(personas, case):
    closure = request_closure(case)
    do_approve_closure(closure, acting_user=personas.supervisor)
    with pytest.raises(ActionRefused, match="already decided"):
        do_send_back_closure(closure, comment="Too late", acting_user=personas.supervisor)
    with pytest.raises(ActionRefused, match="already decided"):
        do_approve_closure(closure, acting_user=personas.supervisor)


def test_it_refuses_a_decision_from_a_stale_page(personas, case, client_for):
    closure = request_closure(case)
    stale = ClosureRequest.objects.get(pk=closure.pk)
    ClosureRequest.objects.filter(pk=closure.pk).update(version=2)
    with pytest.raises(EditConflict):
        do_approve_closure(stale, expected_version=1, acting_user=personas.supervisor)
    response = client_for(personas.supervisor).post(approve_url(case), {"version": 1})
    assert response.status_code == 409
    assert "Someone else acted on this closure request" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSURE_REQUESTED


def test_it_says_so_when_nothing_waits_for_a_decision(personas, case, client_for):
    client = client_for(personas.supervisor)
    response = client.post(approve_url(case), {"version": 1}, follow=True)
    assert "no closure request waiting" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.IMPLEMENTATION


def test_a_bad_decision_form_shows_the_request_again(personas, case, client_for):
    request_closure(case)
    response = client_for(personas.supervisor).post(approve_url(case), {"version": "x"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Closure request for case" in page
    assert "Approve the closure" in page
