"""A supervisor reassigns a case to another caseworker of the team."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pcm.audit.models import AuditEvent, AuditEventType
from pcm.cases import actions
from pcm.core.errors import ActionRefused, EditConflict
from tests.factories import UserFactory


@pytest.fixture
def teammate(personas):
    user = UserFactory.create(
        username="rasha", first_name="Rasha", last_name="Ali", agency=personas.agency
    )
    user.team = personas.team
    user.save()
    return user


@pytest.fixture
def case(personas, case_for):
    return case_for(personas.caseworker)


def url(case):
    return reverse("cases:reassign", args=[case.public_id])


def test_it_reassigns_the_case_and_records_it(personas, teammate, case, client_for):
    response = client_for(personas.supervisor).post(
        url(case), {"caseworker": teammate.pk, "version": case.version}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assigned_to == teammate
    assert case.version == 2
    event = AuditEvent.objects.get(event_type=AuditEventType.CASE_REASSIGNED)
    assert event.actor == personas.supervisor
    assert event.detail == {"from_user": personas.caseworker.pk, "to_user": teammate.pk}


def test_it_moves_the_case_out_of_the_previous_caseworkers_view(
    personas, teammate, case, client_for
):
    actions.do_reassign_case(
        case, to_caseworker=teammate, expected_version=1, acting_user=personas.supervisor
    )
    response = client_for(personas.caseworker).get(reverse("cases:detail", args=[case.public_id]))
    assert response.status_code == 404
    response = client_for(teammate).get(reverse("cases:detail", args=[case.public_id]))
    assert response.status_code == 200


def test_it_refuses_a_second_supervisor_working_from_a_stale_page(
    personas, teammate, case, client_for
):
    """Two people editing: the second save is refused, says what changed, and saves nothing."""
    actions.do_reassign_case(
        case, to_caseworker=teammate, expected_version=1, acting_user=personas.supervisor
    )
    response = client_for(personas.supervisor).post(
        url(case), {"caseworker": personas.caseworker.pk, "version": 1}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed this case" in page
    assert "Rasha Ali" in page
    case.refresh_from_db()
    assert case.assigned_to == teammate


def test_it_refuses_a_caseworker_outside_the_team(personas, case, client_for):
    response = client_for(personas.supervisor).post(
        url(case), {"caseworker": personas.other_caseworker.pk, "version": 1}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    case.refresh_from_db()
    assert case.assigned_to == personas.caseworker


def test_it_forbids_the_caseworker_and_hides_the_case_from_other_supervisors(
    personas, teammate, case, client_for
):
    assert (
        client_for(personas.caseworker)
        .post(url(case), {"caseworker": teammate.pk, "version": 1})
        .status_code
        == 403
    )
    assert (
        client_for(personas.other_supervisor)
        .post(url(case), {"caseworker": teammate.pk, "version": 1})
        .status_code
        == 404
    )
    assert (
        client_for(personas.outsider_supervisor)
        .post(url(case), {"caseworker": teammate.pk, "version": 1})
        .status_code
        == 404
    )
    case.refresh_from_db()
    assert case.assigned_to == personas.caseworker


def test_the_action_refuses_anyone_but_the_supervisor(personas, teammate, case):
    with pytest.raises(ActionRefused):
        actions.do_reassign_case(
            case, to_caseworker=teammate, expected_version=1, acting_user=personas.manager
        )
    with pytest.raises(EditConflict):
        actions.do_reassign_case(
            case, to_caseworker=teammate, expected_version=7, acting_user=personas.supervisor
        )


def test_it_shows_the_reassign_form_to_the_supervisor_only(personas, case, client_for):
    detail = reverse("cases:detail", args=[case.public_id])
    assert "Reassign the case" in client_for(personas.supervisor).get(detail).content.decode()
    assert "Reassign the case" not in client_for(personas.caseworker).get(detail).content.decode()
    assert "Reassign the case" not in client_for(personas.manager).get(detail).content.decode()
