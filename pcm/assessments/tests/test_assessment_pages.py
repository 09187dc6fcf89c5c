"""The pages: the form, one assessment in full, the case page section; who may see what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pcm.assessments import case_page
from pcm.assessments.models import (
    PHQ9_FIELDS,
    Assessment,
    AssessmentEvent,
    IdentifiedRisk,
    PerpetratorType,
)
from pcm.assessments.tests.factories import make_assessment
from pcm.audit.models import AuditEvent
from pcm.cases.models import CaseStatus, RiskLevel
from pcm.cases.taxonomy import RiskType


@pytest.fixture
def case(personas, case_for):
    return case_for(personas.caseworker, status=CaseStatus.ASSESSMENT)


def record_url(case):
    return reverse("assessments:record", args=[case.public_id])


def detail_url(assessment):
    return reverse("assessments:detail", args=[assessment.case.public_id, assessment.pk])


def case_url(case):
    return reverse("cases:detail", args=[case.public_id])


def form_data(case, **changes):
    risk = RiskType.objects.filter(agency=case.agency, is_active=True).order_by("code")[0]
    values = {
        f"risk_{risk.pk}": PerpetratorType.AUTHORITIES,
        "needs": ["legal", "documentation"],
        "needs_note": "Identity card confiscated at a checkpoint.",
        "strengths": "Determined; helps neighbours with paperwork.",
        "support_network": "A brother in the next village.",
        "immediate_safety": "safe",
        "safety_note": "",
        "wg_seeing": "none",
        "wg_hearing": "none",
        "wg_mobility": "a_lot",
        "wg_cognition": "some",
        "wg_self_care": "none",
        "wg_communication": "none",
        "risk_level": "high",
        "summary": "Detained twice; fears moving between districts without documents.",
    }
    values.update(dict.fromkeys(PHQ9_FIELDS[:7], "2"))
    values.update({PHQ9_FIELDS[7]: "0", PHQ9_FIELDS[8]: "0"})  # total 14: moderate
    values.update(changes)
    return values


def test_the_form_labels_every_question(personas, case, client_for):
    page = client_for(personas.caseworker).get(record_url(case)).content.decode()
    assert "Little interest or pleasure in doing things" in page
    assert "Thoughts that you would be better off dead or of hurting yourself" in page
    assert "Do you have difficulty seeing, even if wearing glasses?" in page
    assert "<legend" in page  # radio groups are fieldsets named by their question
    first_risk = RiskType.objects.filter(agency=case.agency).order_by("code")[0]
    assert f'<label class="form-label" for="id_risk_{first_risk.pk}">' in page


def test_it_records_an_assessment_posted_by_the_caseworker(personas, case, client_for):
    client = client_for(personas.caseworker)
    response = client.post(record_url(case), form_data(case))
    assert response.status_code == 302
    assert response["Location"] == case_url(case) + "#assessments"
    assessment = Assessment.objects.get(case=case)
    assert assessment.phq9_total == 14
    assert assessment.has_disability
    assert assessment.needs == ["legal", "documentation"]
    assert IdentifiedRisk.objects.get(assessment=assessment).perpetrator == "authorities"
    case.refresh_from_db()
    assert case.status == CaseStatus.PLANNING
    assert case.risk_level == RiskLevel.HIGH
    page = client.get(case_url(case)).content.decode()
    assert "14 of 27 · Moderate" in page
    assert "The assessment is recorded." in page


def test_it_shows_errors_next_to_the_fields_and_keeps_the_answers(personas, case, client_for):
    posted = form_data(case, **{PHQ9_FIELDS[3]: "", "summary": "Kept text of the summary"})
    response = client_for(personas.caseworker).post(record_url(case), posted)
    page = response.content.decode()
    assert response.status_code == 200
    assert f'id="id_{PHQ9_FIELDS[3]}_errors"' in page
    assert "Kept text of the summary" in page
    assert not Assessment.objects.exists()


def test_it_asks_what_makes_the_person_unsafe(personas, case, client_for):
    posted = form_data(case, immediate_safety="not_safe", safety_note="  ")
    response = client_for(personas.caseworker).post(record_url(case), posted)
    assert "Say what makes the person unsafe now." in response.content.decode()
    assert not Assessment.objects.exists()


def test_a_case_still_in_intake_gets_the_reason_instead_of_the_form(personas, case_for, client_for):
    case = case_for(personas.caseworker, status=CaseStatus.INTAKE)
    client = client_for(personas.caseworker)
    page = client.get(record_url(case)).content.decode()
    assert "Record consent and complete the intake first" in page
    assert '<form method="post" novalidate>' not in page
    response = client.post(record_url(case), form_data(case))
    assert response.status_code == 409
    assert not Assessment.objects.exists()
    # Nothing about assessments on the page of a case still in intake.
    assert "Protection risk assessment" not in client.get(case_url(case)).content.decode()


def test_the_supervisor_records_too(personas, case, client_for):
    response = client_for(personas.supervisor).post(record_url(case), form_data(case))
    assert response.status_code == 302
    assert Assessment.objects.get(case=case).recorded_by == personas.supervisor


def test_a_manager_reads_assessments_but_does_not_record_them(personas, case, client_for):
    assessment = make_assessment(case)
    client = client_for(personas.manager)
    assert client.get(record_url(case)).status_code == 403
    assert client.post(record_url(case), form_data(case)).status_code == 403
    assert Assessment.objects.count() == 1
    assert client.get(detail_url(assessment)).status_code == 200
    page = client.get(case_url(case)).content.decode()
    assert "Protection risk assessment" in page
    assert record_url(case) not in page


@pytest.mark.parametrize(
    "who", ["other_caseworker", "other_supervisor", "outsider", "outsider_manager", "meal_officer"]
)
def test_anyone_outside_the_case_gets_404(personas, case, client_for, who):
    assessment = make_assessment(case)
    client = client_for(getattr(personas, who))
    for response in (
        client.get(record_url(case)),
        client.post(record_url(case), form_data(case)),
        client.get(detail_url(assessment)),
    ):
        assert response.status_code == 404
        assert case.number not in response.content.decode()
    assert Assessment.objects.count() == 1


def test_an_assessment_is_only_found_under_its_own_case(personas, case, case_for, client_for):
    other = case_for(personas.caseworker, status=CaseStatus.PLANNING)
    assessment = make_assessment(other)
    url = reverse("assessments:detail", args=[case.public_id, assessment.pk])
    assert client_for(personas.caseworker).get(url).status_code == 404


def test_the_full_assessment_shows_every_answer_and_records_the_read(personas, case, client_for):
    assessment = make_assessment(
        case,
        phq9=(3, 3, 3, 3, 2, 2, 2, 2, 0),
        wg=("none", "none", "none", "cannot", "none", "none"),
    )
    risk = RiskType.objects.filter(agency=case.agency).order_by("code")[2]
    IdentifiedRisk.objects.create(
        assessment=assessment, risk_type=risk, perpetrator=PerpetratorType.EMPLOYER
    )
    page = client_for(personas.supervisor).get(detail_url(assessment)).content.decode()
    assert "Feeling tired or having little energy" in page
    assert "Nearly every day" in page
    assert "20 of 27 · Severe" in page
    assert "Cannot do at all" in page
    assert "Yes: at least one domain" in page
    assert f"{risk.name} — Employer" in page
    assert "Threatened over property; wants legal aid." in page
    event = AuditEvent.objects.get(event_type=AssessmentEvent.VIEWED)
    assert (event.actor, event.target_id) == (personas.supervisor, str(assessment.pk))


def test_the_case_section_sums_up_the_latest_and_the_change_in_well_being(
    personas, case, client_for
):
    long_ago = timezone.now() - timedelta(days=60)
    make_assessment(case, phq9=(2, 2, 2, 2, 2, 2, 2, 2, 0), recorded_at=long_ago)
    make_assessment(
        case,
        phq9=(1, 1, 1, 1, 1, 1, 1, 0, 0),
        wg=("none", "a_lot", "none", "none", "none", "none"),
        risk_level=RiskLevel.LOW,
        recorded_by=personas.supervisor,
    )
    page = client_for(personas.caseworker).get(case_url(case)).content.decode()
    assert "7 of 27 · Mild" in page
    assert "Improved: PHQ-9 total 9 points lower" in page
    assert "Omar Khalil" in page
    assert "Record a new assessment" in page
    assert 'role="alert"' not in page


def test_the_case_section_invites_the_first_assessment(personas, case, client_for):
    page = client_for(personas.caseworker).get(case_url(case)).content.decode()
    assert "No assessment yet." in page
    assert "Record the assessment" in page


def section_queries(case, user, count):
    long_ago = timezone.now() - timedelta(days=100)
    for day in range(count):
        make_assessment(case, recorded_at=long_ago + timedelta(days=day))
    request = RequestFactory().get("/")
    request.user = user
    with CaptureQueriesContext(connection) as queries:
        section = case_page.CASE_SECTION(request, case)
        assert section is not None
        for assessment in section.context["assessments"]:
            str(assessment.recorded_by)
    return len(queries)


def test_the_case_section_costs_the_same_queries_for_few_or_many_assessments(personas, case_for):
    few = case_for(personas.caseworker, status=CaseStatus.PLANNING)
    many = case_for(personas.caseworker, status=CaseStatus.PLANNING)
    assert section_queries(few, personas.caseworker, 1) == section_queries(
        many, personas.caseworker, 12
    )


def test_a_case_changed_meanwhile_saves_nothing_and_keeps_the_answers(
    personas, case, client_for, monkeypatch
):
    """Someone moved the case at the same moment: refused as a whole, the form still filled."""
    from pcm.cases import workflow
    from pcm.core.errors import EditConflict

    def moved_meanwhile(*args, **kwargs):
        raise EditConflict("Someone else changed this case while you were working on it.")

    monkeypatch.setattr(workflow, "move_case", moved_meanwhile)
    posted = form_data(case, summary="Answers typed before the conflict")
    response = client_for(personas.caseworker).post(record_url(case), posted)
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this case" in page
    assert "Answers typed before the conflict" in page
    assert not Assessment.objects.exists()
    assert not AuditEvent.objects.filter(event_type=AssessmentEvent.RECORDED).exists()
    case.refresh_from_db()
    assert (case.status, case.risk_level, case.first_response_at) == (
        CaseStatus.ASSESSMENT,
        RiskLevel.MEDIUM,
        None,
    )
