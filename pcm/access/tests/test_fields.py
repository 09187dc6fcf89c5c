"""Field-level visibility: which groups of fields each role sees, and the agency's setting."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template import Context, Template, VariableDoesNotExist
from django.test import RequestFactory
from django.utils import timezone

from pcm.access.fields import (
    ALL_GROUPS,
    DEFAULT_GROUPS,
    FieldGroup,
    field_visibility,
    may_search_by_name,
    record_field_group,
    role_groups,
    settings_value,
    shown_in_lists,
    visible_groups,
)
from pcm.access.models import BreakGlassGrant
from pcm.accounts.models import Role


def test_by_default_a_manager_sees_risk_but_not_who_people_are(personas, case_for):
    case = case_for(personas.caseworker)
    see = field_visibility(personas.manager, case)
    assert see.risk
    assert not (see.identity or see.contact or see.documents or see.narrative)
    assert not may_search_by_name(personas.manager)
    assert not shown_in_lists(personas.manager, case)


def test_caseworkers_and_supervisors_see_everything_by_default(personas, case_for):
    case = case_for(personas.caseworker)
    for user in (personas.caseworker, personas.supervisor):
        assert visible_groups(user, case) == ALL_GROUPS
        assert shown_in_lists(user, case)
    for user in (personas.meal_officer, personas.provider, personas.administrator):
        assert visible_groups(user, case) == frozenset()


def test_an_agency_changes_what_a_role_sees(personas):
    agency = personas.agency
    agency.field_visibility = {Role.MANAGER: [FieldGroup.IDENTITY, FieldGroup.RISK]}
    agency.save()
    personas.manager.refresh_from_db()
    assert visible_groups(personas.manager) == {FieldGroup.IDENTITY, FieldGroup.RISK}
    assert may_search_by_name(personas.manager)
    # Other agencies keep the defaults; a role outside the case roles cannot be widened.
    assert role_groups(personas.other_agency, Role.MANAGER) == DEFAULT_GROUPS[Role.MANAGER]
    agency.field_visibility = {Role.MEAL_OFFICER: list(FieldGroup.values)}
    assert role_groups(agency, Role.MEAL_OFFICER) == frozenset()


def test_only_what_differs_from_the_defaults_is_stored():
    stored = settings_value(
        {
            Role.CASEWORKER: set(ALL_GROUPS),
            Role.SUPERVISOR: {FieldGroup.IDENTITY, "nonsense"},
            Role.MANAGER: {FieldGroup.RISK},
        }
    )
    assert stored == {Role.SUPERVISOR: [FieldGroup.IDENTITY]}


def test_a_case_hidden_in_lists_shows_no_identity_in_lists_even_to_its_caseworker(
    personas, case_for
):
    case = case_for(personas.caseworker, identity_hidden=True)
    assert not shown_in_lists(personas.caseworker, case)
    assert field_visibility(personas.caseworker, case).identity  # its page still shows it


def test_a_live_break_glass_grant_opens_every_field_of_that_case_only(personas, case_for):
    case = case_for(personas.caseworker)
    other = case_for(personas.caseworker)
    BreakGlassGrant.objects.create(
        user=personas.manager,
        case=case,
        reason="Police request about a missing person.",
        expires_at=timezone.now() + timedelta(hours=2),
    )
    assert visible_groups(personas.manager, case) == ALL_GROUPS
    assert visible_groups(personas.manager, other) == DEFAULT_GROUPS[Role.MANAGER]
    assert not shown_in_lists(personas.manager, case)  # lists are about no one case


def test_every_encrypted_field_of_a_case_record_has_a_group():
    assert record_field_group("people.Person", "phone") == FieldGroup.CONTACT
    assert record_field_group("cases.HouseholdMember", "name") == FieldGroup.IDENTITY
    assert record_field_group("plans.EmergencyContact", "phone") == FieldGroup.CONTACT
    assert record_field_group("casework.CaseNote", "narrative") == FieldGroup.NARRATIVE


def _render(source: str, user, **context) -> str:
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load visibility %}" + source)
    return template.render(Context({"request": request, **context}))


def test_the_template_helpers_hide_what_the_user_may_not_see(personas, case_for):
    case = case_for(personas.caseworker)
    name = case.person.full_name
    page = "{% field_visibility case as see %}{{ text|narrative:see }}|{% service_user case %}"
    shown = _render(page, personas.caseworker, case=case, text="Met at the clinic.")
    assert shown == f"Met at the clinic.|{name}"
    hidden = _render(page, personas.manager, case=case, text="Met at the clinic.")
    assert "Met at the clinic." not in hidden and name not in hidden
    assert "Free text hidden for your role" in hidden
    assert "Identity hidden" in hidden
    assert "Female, 25 to 59" in hidden  # sex and age group instead
    # A template that forgot to ask fails loudly rather than show the text.
    with pytest.raises(VariableDoesNotExist):
        _render("{{ text|narrative:see }}", personas.caseworker, text="Met at the clinic.")
    # Anything but what field_visibility returns counts as "may not see".
    odd = _render("{{ text|narrative:see }}", personas.caseworker, text="Met.", see="yes")
    assert "Met." not in odd
