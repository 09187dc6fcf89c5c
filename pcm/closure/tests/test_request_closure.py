"""The caseworker requests closure against a criterion; the supervisor is asked to approve."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pcm.audit.models import AuditEvent, AuditEventType
from pcm.cases.models import CaseStatus
from pcm.closure.actions import do_request_closure
from pcm.closure.models import (
    ClosureCriterion,
    ClosureEvent,
    ClosureRequest,
    ClosureStatus,
    TransferRequest,
)
from pcm.closure.tests.conftest import SUMMARY, request_closure
from pcm.core.errors import ActionRefused, EditConflict
from pcm.notifications.models import Notification, NotificationKind


def url(case):
    return reverse("closure:request_closure", args=[case.public_id])


def form(case, **overrides):
    data = {"criterion": "goals_met", "summary": SUMMARY, "version": case.version}
    data.update(overrides)
    return data


def test_it_requests_closure_and_asks_the_supervisor(personas, case, client_for):
    response = client_for(personas.caseworker).post(url(case), form(case))
    assert response.status_code == 302
    assert response["Location"].endswith("#closure")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSURE_REQUESTED
    closure = ClosureRequest.objects.get(case=case)
    assert closure.status == ClosureStatus.PENDING
    assert closure.criterion == ClosureCriterion.GOALS_MET
    assert closure.summary == SUMMARY
    assert closure.from_status == CaseStatus.IMPLEMENTATION
    assert closure.requested_by == personas.caseworker
    notification = Notification.objects.get(recipient=personas.supervisor)
    assert notification.kind == NotificationKind.APPROVAL_REQUESTED
    assert notification.case == case
    event = AuditEvent.objects.get(event_type=ClosureEvent.CLOSURE_REQUESTED)
    assert event.detail == {"case": case.pk, "criterion": "goals_met"}
    assert AuditEvent.objects.filter(event_type=AuditEventType.CASE_STEP_CHANGED).count() == 1


def test_it_remembers_the_step_the_case_came_from(personas, case):
    case.status = CaseStatus.FOLLOW_UP
    case.save()
    closure = request_closure(case)
    assert closure.from_status == CaseStatus.FOLLOW_UP


def test_the_form_offers_every_criterion(personas, case, client_for):
    page = client_for(personas.caseworker).get(url(case)).content.decode()
    for criterion in ClosureCriterion:
        assert f'value="{criterion.value}"' in page
    assert 'name="summary"' in page


@pytest.mark.parametrize(
    "status", [CaseStatus.INTAKE, CaseStatus.ASSESSMENT, CaseStatus.PLANNING, CaseStatus.CLOSED]
)
def test_it_refuses_closure_from_any_other_step(personas, case, client_for, status):
    case.status = status
    case.save()
    with pytest.raises(ActionRefused, match="only from implementation or follow-up"):
        request_closure(case)
    response = client_for(personas.caseworker).get(url(case))
    assert response.status_code == 200
    assert "only from implementation or follow-up" in response.content.decode()
    response = client_for(personas.caseworker).post(url(case), form(case))
    assert response.status_code == 400
    assert not ClosureRequest.objects.exists()


def test_it_requires_a_closing_summary(personas, case, client_for):
    response = client_for(personas.caseworker).post(url(case), form(case, summary="  "))
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    with pytest.raises(ActionRefused, match="closing summary"):
        request_closure(case, summary=" ")
    case.refresh_from_db()
    assert case.status == CaseStatus.IMPLEMENTATION
    assert not ClosureRequest.objects.exists()


def test_it_closes_as_unreachable_only_after_three_attempts(personas, case, client_for):
    client = client_for(personas.caseworker)
    response = client.post(url(case), form(case, criterion="unreachable", contact_attempts=2))
    assert response.status_code == 400
    assert "at least 3 contact attempts" in response.content.decode()
    with pytest.raises(ActionRefused, match="at least 3 attempts"):
        request_closure(case, criterion=ClosureCriterion.UNREACHABLE, contact_attempts=2)
    assert not ClosureRequest.objects.exists()
    summary = "Calls on 2 May, 5 May and a home visit on 9 May: no answer."
    response = client.post(
        url(case),
        form(case, criterion="unreachable", contact_attempts=3, summary=summary),
    )
    assert response.status_code == 302
    assert ClosureRequest.objects.get(case=case).contact_attempts == 3


def test_it_keeps_attempts_only_for_unreachable(personas, case):
    closure = request_closure(case, contact_attempts=5)
    assert closure.contact_attempts is None


def test_it_refuses_anyone_but_the_caseworker_of_the_case(personas, case, client_for):
    for user in (personas.supervisor, personas.manager):
        assert client_for(user).post(url(case), form(case)).status_code == 403
        with pytest.raises(ActionRefused, match="Only the caseworker"):
            do_request_closure(
                case, criterion=ClosureCriterion.GOALS_MET, summary=SUMMARY, acting_user=user
            )
    case.refresh_from_db()
    assert case.status == CaseStatus.IMPLEMENTATION


def test_it_hides_the_case_from_outsiders(personas, case, client_for):
    for user in (personas.other_caseworker, personas.other_supervisor, personas.outsider):
        assert client_for(user).get(url(case)).status_code == 404
        assert client_for(user).post(url(case), form(case)).status_code == 404
    case.refresh_from_db()
    assert case.status == CaseStatus.IMPLEMENTATION


def test_it_refuses_while_a_transfer_is_pending(personas, case):
    TransferRequest.objects.create(
        case=case,
        case_number=case.number,
        from_agency=case.agency,
        to_agency=personas.other_agency,
        reason="Moving to Kharkiv",
        requested_by=personas.caseworker,
    )
    with pytest.raises(ActionRefused, match="transfer request waiting for Kalyna Relief"):
        request_closure(case)


def test_it_refuses_when_the_team_has_no_supervisor(personas, case):
    personas.team.supervisor = None
    personas.team.save()
    case.refresh_from_db()
    with pytest.raises(ActionRefused, match="no supervisor"):
        request_closure(case)
    assert not ClosureRequest.objects.exists()


def test_it_refuses_a_request_from_a_stale_page(personas, case, client_for):
    """Someone changed the case after the form was loaded: nothing is saved, and it says so."""
    stale = case.version
    case.version += 1
    case.save()
    response = client_for(personas.caseworker).post(url(case), form(case, version=stale))
    assert response.status_code == 409
    assert "Someone else changed this case" in response.content.decode()
    assert not ClosureRequest.objects.exists()
    with pytest.raises(EditConflict):
        request_closure(case, expected_version=stale)
