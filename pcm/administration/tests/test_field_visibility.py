"""The agency's setting of what each case role sees: for its manager and administrator."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from pcm.accounts.models import Agency
from pcm.administration.events import SettingsEvent
from pcm.administration.field_visibility import do_set_field_visibility, fingerprint
from pcm.audit.models import AuditEvent
from pcm.core.errors import ActionRefused, EditConflict

URL = reverse("administration:field_visibility")


def post_data(agency: Agency, **roles: list[str]) -> dict[str, object]:
    data: dict[str, object] = {
        "fingerprint": fingerprint(agency),
        "caseworker": ["identity", "contact", "documents", "risk", "narrative"],
        "supervisor": ["identity", "contact", "documents", "risk", "narrative"],
        "manager": ["risk"],
    }
    data.update(roles)
    return data


def test_the_page_shows_the_defaults(personas, client_for):
    page = client_for(personas.manager).get(URL).content.decode()
    assert "What each role sees" in page
    assert "Default: Risk level and risk types." in page
    # The manager's boxes: only risk is ticked; the caseworker's: all five.
    assert ticked(page, "manager") == ["risk"]
    assert len(ticked(page, "caseworker")) == 5


def ticked(page: str, role: str) -> list[str]:
    boxes = re.findall(rf'<input[^>]*name="{role}"[^>]*>', page)
    return [re.findall(r'value="([a-z]+)"', box)[0] for box in boxes if "checked" in box]


@pytest.mark.parametrize("role", ["manager", "administrator"])
def test_the_manager_or_administrator_changes_it_and_it_is_audited(
    personas, client_for, case_for, role
):
    case = case_for(personas.caseworker)
    user = getattr(personas, role)
    response = client_for(user).post(URL, post_data(personas.agency, manager=["identity", "risk"]))
    assert response.status_code == 302
    personas.agency.refresh_from_db()
    assert personas.agency.field_visibility == {"manager": ["identity", "risk"]}
    event = AuditEvent.objects.get(event_type=SettingsEvent.FIELD_VISIBILITY_CHANGED)
    assert event.actor == user
    assert event.detail == {"roles": {"manager": ["identity", "risk"]}}
    # It takes effect: the manager now sees names in the case list.
    page = client_for(personas.manager).get(reverse("cases:list")).content.decode()
    assert case.person.full_name in page


def test_saving_the_defaults_stores_nothing_and_records_nothing(personas, client_for):
    response = client_for(personas.manager).post(URL, post_data(personas.agency))
    assert response.status_code == 302
    personas.agency.refresh_from_db()
    assert personas.agency.field_visibility == {}
    assert not AuditEvent.objects.filter(event_type=SettingsEvent.FIELD_VISIBILITY_CHANGED)


def test_other_roles_are_refused(personas, client_for):
    for user in (personas.caseworker, personas.supervisor, personas.meal_officer):
        assert client_for(user).get(URL).status_code == 403
    with pytest.raises(ActionRefused):
        do_set_field_visibility(
            personas.other_agency,
            {"manager": {"identity"}},
            expected_fingerprint=fingerprint(personas.other_agency),
            acting_user=personas.manager,
        )


def test_a_stale_form_is_refused_and_keeps_what_was_ticked(personas, client_for):
    data = post_data(personas.agency, manager=["identity", "risk"])
    do_set_field_visibility(
        personas.agency,
        {"manager": {"contact", "risk"}},
        expected_fingerprint=fingerprint(personas.agency),
        acting_user=personas.manager,
    )
    response = client_for(personas.administrator).post(URL, data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone changed what each role sees" in page
    personas.agency.refresh_from_db()
    assert personas.agency.field_visibility == {"manager": ["contact", "risk"]}
    with pytest.raises(EditConflict):
        do_set_field_visibility(
            personas.agency,
            {"manager": {"identity"}},
            expected_fingerprint="0000",
            acting_user=personas.manager,
        )


def test_an_unknown_group_is_refused_with_a_message(personas, client_for):
    response = client_for(personas.manager).post(
        URL, post_data(personas.agency, manager=["everything"])
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_the_manager_finds_it_in_the_menu(personas, client_for):
    page = client_for(personas.manager).get(reverse("cases:list")).content.decode()
    assert URL in page
    assert URL not in client_for(personas.caseworker).get(reverse("cases:list")).content.decode()
    assert (
        URL
        in client_for(personas.administrator).get(reverse("administration:index")).content.decode()
    )
