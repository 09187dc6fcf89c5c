"""Bad input to MEAL pages (filters in the address, export forms) gets an answer, never a 500."""

from __future__ import annotations

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pcm.jobs.models import Job

any_text = st.text(st.characters(codec="utf-8"), max_size=60)
fuzz = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
FILTERS = [
    "period",
    "sex",
    "age_group",
    "disability",
    "displacement",
    "location",
    "risk_type",
    "risk_level",
    "team",
    "level",
]


@fuzz
@given(values=st.fixed_dictionaries({}, optional=dict.fromkeys(FILTERS, any_text)))
def test_any_filters_get_the_dashboard_or_a_form_error(personas, client_for, values):
    response = client_for(personas.meal_officer).get(reverse("meal:dashboard"), values)
    assert response.status_code in (200, 400)


@fuzz
@given(
    values=st.fixed_dictionaries(
        {},
        optional=dict.fromkeys(["indicator", "table", "file_format", *FILTERS], any_text),
    )
)
def test_any_export_request_is_answered(personas, client_for, values):
    response = client_for(personas.manager).post(reverse("meal:export"), values)
    assert response.status_code in (302, 400)


def test_an_export_with_bad_filters_is_refused(personas, client_for):
    response = client_for(personas.manager).post(
        reverse("meal:export"),
        {"indicator": "new_cases", "table": "sex", "file_format": "csv", "period": "2026-13"},
    )
    assert response.status_code == 400
    assert not Job.objects.exists()
