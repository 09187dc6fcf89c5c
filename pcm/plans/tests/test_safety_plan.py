"""The safety plan: made with the service user at any open step, revised safely, printed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import Personas
from pcm.accounts.models import User
from pcm.audit.models import AuditEvent
from pcm.cases.models import Case, CaseStatus, RiskLevel
from pcm.core.errors import ActionRefused, EditConflict
from pcm.plans.drafts import ContactInput, SafetyPlanInput
from pcm.plans.events import PlanEvent
from pcm.plans.safety import SafetyPlan
from pcm.plans.safety_actions import do_save_safety_plan

pytestmark = pytest.mark.django_db
Clients = Callable[[User], Client]

PLAN = SafetyPlanInput(
    warning_signs="He starts drinking in the evening.",
    safe_places="The women's centre.",
    safe_people="My sister.",
    emergency_steps="Take the bag by the door and go to my sister's.",
    contacts=[
        ContactInput("Mariam", "+964 750 123 4567", "Sister"),
        ContactInput("Hotline", "+964 800 0000"),
    ],
)


@pytest.fixture
def assessed_case(personas: Personas, case_for: Callable[..., Case]) -> Case:
    return case_for(personas.caseworker, status=CaseStatus.ASSESSMENT, risk_level=RiskLevel.HIGH)


def url(name: str, case: Case) -> str:
    return reverse(f"plans:{name}", kwargs={"public_id": case.public_id})


def form_data(version: int | None = None, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "version": "" if version is None else str(version),
        "warning_signs": PLAN.warning_signs,
        "safe_places": PLAN.safe_places,
        "safe_people": PLAN.safe_people,
        "emergency_steps": PLAN.emergency_steps,
        "reviewed_on": "",
        "contacts-TOTAL_FORMS": "3",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
        "contacts-0-name": "Mariam",
        "contacts-0-relationship": "Sister",
        "contacts-0-phone": "+964 750 123 4567",
        "contacts-1-name": "Hotline",
        "contacts-1-relationship": "",
        "contacts-1-phone": "+964 800 0000",
        "contacts-2-name": "",
        "contacts-2-relationship": "",
        "contacts-2-phone": "",
    }
    data.update(changes)
    return data


def test_it_creates_a_safety_plan_with_its_contacts(
    personas: Personas, assessed_case: Case
) -> None:
    plan = do_save_safety_plan(
        assessed_case, PLAN, expected_version=None, acting_user=personas.caseworker
    )
    assert plan.version == 1
    assert [c.name for c in plan.emergency_contacts.all()] == ["Mariam", "Hotline"]
    event = AuditEvent.objects.get(event_type=PlanEvent.SAFETY_PLAN_SAVED)
    assert "Mariam" not in str(event.detail) and "drinking" not in str(event.detail)


def test_it_refuses_a_save_from_an_older_version_and_names_what_differs(
    personas: Personas, assessed_case: Case
) -> None:
    do_save_safety_plan(assessed_case, PLAN, expected_version=None, acting_user=personas.caseworker)
    newer = SafetyPlanInput(**{**PLAN.__dict__, "safe_places": "The health centre."})
    do_save_safety_plan(assessed_case, newer, expected_version=1, acting_user=personas.caseworker)
    mine = SafetyPlanInput(**{**PLAN.__dict__, "warning_signs": "Calls at night."})
    with pytest.raises(EditConflict) as refused:
        do_save_safety_plan(
            assessed_case, mine, expected_version=1, acting_user=personas.caseworker
        )
    message = str(refused.value.message)
    assert "Layla Hassan saved this safety plan" in message
    assert "warning signs, safe places" in message
    assert SafetyPlan.objects.get().safe_places == "The health centre."
    with pytest.raises(EditConflict):
        do_save_safety_plan(
            assessed_case, PLAN, expected_version=None, acting_user=personas.caseworker
        )


@pytest.mark.parametrize("who", ["supervisor", "manager", "other_caseworker", "outsider"])
def test_it_lets_only_the_caseworker_write_it(
    personas: Personas, assessed_case: Case, who: str
) -> None:
    with pytest.raises(ActionRefused):
        do_save_safety_plan(
            assessed_case, PLAN, expected_version=None, acting_user=getattr(personas, who)
        )


def test_it_refuses_a_closed_case_and_an_empty_plan(
    personas: Personas, case_for: Callable[..., Case], assessed_case: Case
) -> None:
    closed = case_for(personas.caseworker, status=CaseStatus.CLOSED)
    with pytest.raises(ActionRefused, match="no longer open"):
        do_save_safety_plan(closed, PLAN, expected_version=None, acting_user=personas.caseworker)
    with pytest.raises(ActionRefused, match="emergency"):
        do_save_safety_plan(
            assessed_case,
            SafetyPlanInput(warning_signs="x"),
            expected_version=None,
            acting_user=personas.caseworker,
        )


def test_the_caseworker_makes_it_from_the_case_page(
    personas: Personas, assessed_case: Case, client_for: Clients
) -> None:
    client = client_for(personas.caseworker)
    case_page = client.get(reverse("cases:detail", kwargs={"public_id": assessed_case.public_id}))
    assert url("safety_edit", assessed_case) in case_page.content.decode()
    incomplete = form_data()
    incomplete["contacts-2-name"] = "Huda"
    response = client.post(url("safety_edit", assessed_case), incomplete)
    assert response.status_code == 400
    assert "Give a phone number to call." in response.content.decode()
    response = client.post(url("safety_edit", assessed_case), form_data())
    assert response.status_code == 302
    page = client.get(url("safety", assessed_case)).content.decode()
    assert "The women&#x27;s centre." in page and "+964 750 123 4567" in page


def test_a_concurrent_edit_is_refused_on_the_page_and_the_input_kept(
    personas: Personas, assessed_case: Case, client_for: Clients
) -> None:
    do_save_safety_plan(assessed_case, PLAN, expected_version=None, acting_user=personas.caseworker)
    newer = SafetyPlanInput(**{**PLAN.__dict__, "emergency_steps": "Call the hotline first."})
    do_save_safety_plan(assessed_case, newer, expected_version=1, acting_user=personas.caseworker)
    response = client_for(personas.caseworker).post(
        url("safety_edit", assessed_case), form_data(version=1, safe_people="My aunt.")
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "what to do in an emergency" in body and "safe people" in body
    assert "My aunt." in body
    assert SafetyPlan.objects.get().safe_people == "My sister."


def test_the_printable_page_has_only_what_the_service_user_needs_and_is_not_cached(
    personas: Personas, assessed_case: Case, client_for: Clients
) -> None:
    do_save_safety_plan(assessed_case, PLAN, expected_version=None, acting_user=personas.caseworker)
    response = client_for(personas.caseworker).get(url("safety_print", assessed_case))
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert "This page carries personal data." in body
    assert "/static/plans/safety_print.css" in body
    assert "My safety plan" in body and "+964 750 123 4567" in body
    # nothing that identifies the case or the service user beyond the plan itself
    assert assessed_case.number not in body
    assert assessed_case.person.family_name not in body
    assert "style=" not in body and "<style" not in body
    assert AuditEvent.objects.filter(event_type=PlanEvent.SAFETY_PLAN_PRINTED).count() == 1


def test_the_print_stylesheet_has_print_rules() -> None:
    from django.contrib.staticfiles import finders

    path = finders.find("plans/safety_print.css")
    assert path is not None
    with open(path, encoding="utf-8") as stylesheet:
        assert "@media print" in stylesheet.read()


@pytest.mark.parametrize("who", ["other_caseworker", "other_supervisor", "outsider"])
def test_it_answers_404_to_anyone_outside_the_case(
    personas: Personas, assessed_case: Case, client_for: Clients, who: str
) -> None:
    do_save_safety_plan(assessed_case, PLAN, expected_version=None, acting_user=personas.caseworker)
    client = client_for(getattr(personas, who))
    for name in ("safety", "safety_edit", "safety_print"):
        assert client.get(url(name, assessed_case)).status_code == 404
    assert client.post(url("safety_edit", assessed_case), form_data(version=1)).status_code == 404


def test_the_supervisor_and_manager_read_it_but_cannot_change_it(
    personas: Personas, assessed_case: Case, client_for: Clients
) -> None:
    do_save_safety_plan(assessed_case, PLAN, expected_version=None, acting_user=personas.caseworker)
    for user in (personas.supervisor, personas.manager):
        client = client_for(user)
        page = client.get(url("safety", assessed_case)).content.decode()
        assert url("safety_edit", assessed_case) not in page
        # The manager reads that there is a plan, not its contacts or text (field visibility).
        assert ("Mariam" in page) == (user == personas.supervisor)
        assert client.get(url("safety_print", assessed_case)).status_code == 200
        response = client.post(url("safety_edit", assessed_case), form_data(version=1))
        assert response.status_code == 403
    assert SafetyPlan.objects.get().version == 1
