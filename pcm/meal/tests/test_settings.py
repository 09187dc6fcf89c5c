"""The agency's small-cell threshold: a manager sets it, audited, with optimistic locking."""

from __future__ import annotations

from django.urls import reverse

from pcm.audit.models import AuditEvent
from pcm.meal.models import MealEvent, MealSettings, threshold_of


def test_a_manager_sets_the_threshold(personas, client_for):
    client = client_for(personas.manager)
    assert client.get(reverse("meal:settings")).status_code == 200
    response = client.post(reverse("meal:settings"), {"small_cell_threshold": 10, "version": 1})
    assert response.status_code == 302
    assert threshold_of(personas.agency.pk) == 10
    assert threshold_of(personas.other_agency.pk) == 5
    event = AuditEvent.objects.get(event_type=MealEvent.SETTINGS_CHANGED)
    assert event.detail == {"threshold": 10}


def test_a_stale_form_is_refused(personas, client_for):
    client = client_for(personas.manager)
    client.post(reverse("meal:settings"), {"small_cell_threshold": 10, "version": 1})
    response = client.post(reverse("meal:settings"), {"small_cell_threshold": 7, "version": 1})
    assert response.status_code == 409
    assert "Someone changed these settings" in response.content.decode()
    assert MealSettings.objects.get(agency=personas.agency).small_cell_threshold == 10


def test_a_threshold_below_three_is_refused(personas, client_for):
    response = client_for(personas.manager).post(
        reverse("meal:settings"), {"small_cell_threshold": 1, "version": 1}
    )
    assert response.status_code == 400
    assert threshold_of(personas.agency.pk) == 5


def test_only_managers_change_it(personas, client_for):
    for user in (personas.meal_officer, personas.supervisor, personas.administrator):
        response = client_for(user).post(reverse("meal:settings"), {"small_cell_threshold": 9})
        assert response.status_code == 403
