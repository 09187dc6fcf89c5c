"""Any input to the assessment form gets a page back, never a server error or a half record."""

from __future__ import annotations

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pcm.assessments.models import PHQ9_FIELDS, WG_FIELDS, Assessment
from pcm.cases.models import Case, CaseStatus

any_text = st.text(st.characters(codec="utf-8"), max_size=300)
fuzz = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
FIELDS = [
    "risk_1",
    "risk_999999",
    "needs",
    "needs_note",
    "strengths",
    "support_network",
    "immediate_safety",
    "safety_note",
    *PHQ9_FIELDS,
    *WG_FIELDS,
    "risk_level",
    "summary",
]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(FIELDS, any_text)))
def test_the_assessment_form_answers_any_input_with_a_page(personas, client_for, case_for, data):
    case = Case.objects.filter(assigned_to=personas.caseworker).first() or case_for(
        personas.caseworker, status=CaseStatus.ASSESSMENT
    )
    before = Assessment.objects.count()
    response = client_for(personas.caseworker).post(
        reverse("assessments:record", args=[case.public_id]), data
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert Assessment.objects.count() == before


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(tail=any_text)
def test_any_assessment_address_answers_without_a_server_error(
    personas, client_for, case_for, tail
):
    case = Case.objects.filter(assigned_to=personas.caseworker).first() or case_for(
        personas.caseworker
    )
    response = client_for(personas.caseworker).get(f"/cases/{case.public_id}/assessments/{tail}")
    assert response.status_code < 500
