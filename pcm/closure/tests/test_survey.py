"""The satisfaction survey at closure: offered, accepted, and answered apart from the case."""

from __future__ import annotations

import pytest
from django.db import models
from django.urls import reverse

from pcm.audit.models import AuditEvent
from pcm.closure.actions import SurveyAnswers, do_record_survey, do_send_back_closure, month_of
from pcm.closure.models import (
    ClosureCriterion,
    ClosureEvent,
    SatisfactionSurvey,
    SurveyOutcome,
    WouldRecommend,
)
from pcm.closure.tests.conftest import closed_case, request_closure
from pcm.core.errors import ActionRefused

ANSWERS = {
    "outcome": "answered",
    "overall_satisfaction": "5",
    "treated_with_respect": "5",
    "felt_safe": "4",
    "involved_in_decisions": "4",
    "situation_improved": "3",
    "would_recommend": "yes",
    "comment": "They listened to me.",
}


def url(case):
    return reverse("closure:record_survey", args=[case.public_id])


def answers(overall: int = 4) -> SurveyAnswers:
    return SurveyAnswers(overall, 4, 4, 4, 4, WouldRecommend.YES)


def test_it_stores_the_answers_apart_from_the_case(personas, case, client_for):
    closure = request_closure(case)
    response = client_for(personas.caseworker).post(url(case), ANSWERS)
    assert response.status_code == 302
    closure.refresh_from_db()
    assert (closure.survey_offered, closure.survey_accepted, closure.survey_given) == (
        True,
        True,
        True,
    )
    survey = SatisfactionSurvey.objects.get()
    assert survey.agency == case.agency
    assert survey.team == case.team
    assert survey.month.day == 1
    assert (survey.overall_satisfaction, survey.situation_improved) == (5, 3)
    assert survey.would_recommend == WouldRecommend.YES
    assert survey.comment == "They listened to me."


def test_nothing_links_a_survey_back_to_the_case_or_the_person():
    related = {
        str(field.related_model._meta.label)  # type: ignore[union-attr]
        for field in SatisfactionSurvey._meta.get_fields()
        if field.is_relation and field.related_model is not None
    }
    assert related == {"accounts.Agency", "accounts.Team"}
    field_names = {field.name for field in SatisfactionSurvey._meta.get_fields()}
    assert not field_names & {"case", "person", "closure", "created_at", "recorded_by"}
    # A random key, so the order of surveys says nothing about the order of closures.
    assert isinstance(SatisfactionSurvey._meta.pk, models.UUIDField)


def test_the_audit_trail_names_the_closure_never_the_survey(personas, case):
    closure = request_closure(case)
    do_record_survey(
        closure, outcome=SurveyOutcome.ANSWERED, answers=answers(), acting_user=personas.caseworker
    )
    survey = SatisfactionSurvey.objects.get()
    event = AuditEvent.objects.get(event_type=ClosureEvent.SURVEY_RECORDED)
    assert event.target_id == str(closure.pk)
    assert str(survey.pk) not in str(event.detail)
    assert not AuditEvent.objects.filter(target_type="closure.satisfactionsurvey").exists()


def test_it_records_a_declined_survey_without_answers(personas, case, client_for):
    closure = request_closure(case)
    response = client_for(personas.caseworker).post(url(case), {"outcome": "declined"})
    assert response.status_code == 302
    closure.refresh_from_db()
    assert (closure.survey_offered, closure.survey_accepted, closure.survey_given) == (
        True,
        False,
        False,
    )
    assert closure.survey_outcome == SurveyOutcome.DECLINED
    assert not SatisfactionSurvey.objects.exists()


def test_it_needs_every_answer_when_the_service_user_answered(personas, case, client_for):
    closure = request_closure(case)
    incomplete = {**ANSWERS, "felt_safe": ""}
    response = client_for(personas.caseworker).post(url(case), incomplete)
    assert response.status_code == 400
    assert "Record the service user&#x27;s answer to this question." in response.content.decode()
    closure.refresh_from_db()
    assert not closure.survey_recorded
    assert not SatisfactionSurvey.objects.exists()
    with pytest.raises(ActionRefused, match="every question"):
        do_record_survey(closure, outcome=SurveyOutcome.ANSWERED, acting_user=personas.caseworker)
    bad = SurveyAnswers(6, 4, 4, 4, 4, WouldRecommend.YES)
    with pytest.raises(ActionRefused, match="from 1 to 5"):
        do_record_survey(
            closure, outcome=SurveyOutcome.ANSWERED, answers=bad, acting_user=personas.caseworker
        )
    with pytest.raises(ActionRefused, match="only when the service user answered"):
        do_record_survey(
            closure,
            outcome=SurveyOutcome.DECLINED,
            answers=answers(),
            acting_user=personas.caseworker,
        )


def test_it_records_the_survey_once(personas, case, client_for):
    closure = request_closure(case)
    do_record_survey(closure, outcome=SurveyOutcome.DECLINED, acting_user=personas.caseworker)
    with pytest.raises(ActionRefused, match="already recorded"):
        do_record_survey(closure, outcome=SurveyOutcome.DECLINED, acting_user=personas.caseworker)
    response = client_for(personas.caseworker).post(url(case), ANSWERS)
    assert response.status_code == 409
    assert "no survey to record" in response.content.decode()
    assert not SatisfactionSurvey.objects.exists()


def test_it_can_be_recorded_after_approval(personas, case):
    closed_case(case)
    closure = case.closure_requests.get()
    do_record_survey(
        closure, outcome=SurveyOutcome.ANSWERED, answers=answers(), acting_user=personas.caseworker
    )
    assert SatisfactionSurvey.objects.get().month == month_of(case.closed_at, case.agency)


def test_it_is_not_offered_twice_after_a_send_back(personas, case):
    closure = request_closure(case)
    do_record_survey(
        closure, outcome=SurveyOutcome.ANSWERED, answers=answers(), acting_user=personas.caseworker
    )
    do_send_back_closure(closure, comment="One more visit first", acting_user=personas.supervisor)
    case.refresh_from_db()
    again = request_closure(case)
    assert again.survey_given and again.survey_recorded
    assert SatisfactionSurvey.objects.count() == 1


def test_it_cannot_be_recorded_on_a_sent_back_request(personas, case):
    closure = request_closure(case)
    do_send_back_closure(closure, comment="Not yet", acting_user=personas.supervisor)
    closure.refresh_from_db()
    with pytest.raises(ActionRefused, match="sent back"):
        do_record_survey(closure, outcome=SurveyOutcome.DECLINED, acting_user=personas.caseworker)


def test_a_deceased_service_user_is_not_surveyed(personas, case):
    closure = request_closure(case, criterion=ClosureCriterion.DECEASED)
    with pytest.raises(ActionRefused, match="not offered"):
        do_record_survey(closure, outcome=SurveyOutcome.DECLINED, acting_user=personas.caseworker)
    do_record_survey(closure, outcome=SurveyOutcome.NOT_OFFERED, acting_user=personas.caseworker)
    closure.refresh_from_db()
    assert closure.survey_outcome == SurveyOutcome.NOT_OFFERED


def test_only_the_caseworker_records_it(personas, case, client_for):
    closure = request_closure(case)
    assert client_for(personas.supervisor).post(url(case), ANSWERS).status_code == 403
    assert client_for(personas.manager).get(url(case)).status_code == 403
    for outsider in (personas.other_caseworker, personas.outsider):
        assert client_for(outsider).get(url(case)).status_code == 404
    with pytest.raises(ActionRefused, match="Only the caseworker"):
        do_record_survey(closure, outcome=SurveyOutcome.DECLINED, acting_user=personas.supervisor)
    assert not SatisfactionSurvey.objects.exists()


def test_the_page_explains_when_there_is_nothing_to_record(personas, case, client_for):
    response = client_for(personas.caseworker).get(url(case))
    assert response.status_code == 200
    assert "no survey to record" in response.content.decode()
