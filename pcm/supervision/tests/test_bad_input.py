"""Any input to supervision's forms gets a page with errors or a redirect, never a 500."""

from __future__ import annotations

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pcm.supervision.models import CaseFileCheck, SupervisionSession

any_text = st.text(st.characters(codec="utf-8"), max_size=200)
fuzz = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
CHECK_FIELDS = [
    "consent_present",
    "assessment_done",
    "plan_agreed",
    "notes_up_to_date",
    "deadlines_met",
    "comment",
    "action_needed",
    "action_due_on",
    "based_on",
]
SESSION_FIELDS = [
    "held_on",
    "session_type",
    "cases_discussed",
    "wellbeing_note",
    "actions-TOTAL_FORMS",
    "actions-INITIAL_FORMS",
    "actions-0-description",
    "actions-0-due_on",
]


@fuzz
@given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(CHECK_FIELDS, any_text)))
def test_the_file_check_form_answers_any_input(personas, case_for, client_for, data):
    case = case_for(personas.caseworker)
    before = CaseFileCheck.objects.count()
    url = reverse("supervision:record_file_check", args=[case.public_id])
    response = client_for(personas.supervisor).post(url, data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert CaseFileCheck.objects.count() == before


@fuzz
@given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(SESSION_FIELDS, any_text)))
def test_the_session_form_answers_any_input(personas, client_for, data):
    before = SupervisionSession.objects.count()
    url = reverse("supervision:record_session", args=[personas.caseworker.pk])
    response = client_for(personas.supervisor).post(url, data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert SupervisionSession.objects.count() == before
