"""Who sees which cases and people: the need-to-know policy, role by role."""

from __future__ import annotations

import uuid

import pytest
from django.http import Http404

from pcm.access import policy
from pcm.cases.models import Case
from pcm.people.models import Person


@pytest.fixture
def caseload(personas, case_for):
    return {
        "mine": case_for(personas.caseworker),
        "colleague": case_for(personas.other_caseworker),
        "other_agency": case_for(personas.outsider),
    }


def visible(user) -> set[int]:
    return set(Case.objects.visible_to(user).values_list("pk", flat=True))


def test_it_shows_a_caseworker_only_the_cases_assigned_to_them(personas, caseload):
    assert visible(personas.caseworker) == {caseload["mine"].pk}
    assert visible(personas.other_caseworker) == {caseload["colleague"].pk}


def test_it_shows_a_supervisor_the_cases_of_their_team_only(personas, caseload):
    assert visible(personas.supervisor) == {caseload["mine"].pk}
    assert visible(personas.other_supervisor) == {caseload["colleague"].pk}


def test_it_shows_a_manager_the_whole_agency_and_nothing_of_another(personas, caseload):
    assert visible(personas.manager) == {caseload["mine"].pk, caseload["colleague"].pk}
    assert visible(personas.outsider_manager) == {caseload["other_agency"].pk}


@pytest.mark.parametrize("role", ["meal_officer", "provider", "administrator"])
def test_it_shows_no_case_to_roles_without_case_work(personas, caseload, role):
    assert visible(getattr(personas, role)) == set()
    assert not Person.objects.visible_to(getattr(personas, role)).exists()


def test_it_never_shows_another_agencys_cases(personas, caseload):
    for user in personas.by_role().values():
        assert caseload["other_agency"].pk not in visible(user)


def test_it_hides_everything_from_an_inactive_user(personas, caseload):
    personas.caseworker.is_active = False
    personas.caseworker.save()
    assert visible(personas.caseworker) == set()


def test_it_hides_everything_when_the_agency_is_deactivated(personas, caseload):
    personas.agency.is_active = False
    personas.agency.save()
    assert visible(personas.manager) == set()


def test_it_shows_people_only_through_a_visible_case(personas, caseload):
    people = set(Person.objects.visible_to(personas.caseworker).values_list("pk", flat=True))
    assert people == {caseload["mine"].person_id}


def test_it_answers_404_for_a_case_outside_view_as_for_one_that_does_not_exist(personas, caseload):
    with pytest.raises(Http404):
        policy.get_case_for(personas.caseworker, caseload["colleague"].public_id)
    with pytest.raises(Http404):
        policy.get_case_for(personas.caseworker, uuid.uuid4())
    with pytest.raises(Http404):
        policy.get_case_for(personas.caseworker, "not-a-uuid")
    assert policy.get_case_for(personas.caseworker, caseload["mine"].public_id) == caseload["mine"]


def test_it_lets_only_the_teams_supervisor_reassign(personas, caseload):
    case = caseload["mine"]
    assert policy.can_reassign(personas.supervisor, case)
    for user in (personas.caseworker, personas.other_supervisor, personas.manager):
        assert not policy.can_reassign(user, case)
