"""PHQ-9 item 9 above 0: the caseworker and supervisor are alerted; the case page says so."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pcm.assessments.actions import do_record_assessment
from pcm.assessments.models import AssessmentEvent
from pcm.assessments.tests.factories import CALM, data
from pcm.audit.models import AuditEvent
from pcm.cases.models import CaseStatus
from pcm.notifications.models import Notification, NotificationKind

SELF_HARM = (2, 2, 1, 2, 1, 1, 1, 0, 1)  # item 9 "Several days"
ALERT = "Immediate safety alert"


@pytest.fixture
def case(personas, case_for):
    return case_for(personas.caseworker, status=CaseStatus.PLANNING)


def alerts():
    return Notification.objects.filter(kind=NotificationKind.SAFETY_ALERT)


def alert_on_page(client, case) -> bool:
    page = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    return 'role="alert"' in page and ALERT in page


def test_it_alerts_the_supervisor_when_the_caseworker_records_it(personas, case):
    do_record_assessment(case, data(case, phq9=SELF_HARM), acting_user=personas.caseworker)
    assert [(n.recipient, n.case) for n in alerts()] == [(personas.supervisor, case)]
    event = AuditEvent.objects.get(event_type=AssessmentEvent.SAFETY_ALERT_RAISED)
    assert event.detail == {"case": case.pk, "notified": [personas.supervisor.pk]}


def test_it_alerts_the_caseworker_when_the_supervisor_records_it(personas, case):
    do_record_assessment(case, data(case, phq9=SELF_HARM), acting_user=personas.supervisor)
    assert [n.recipient for n in alerts()] == [personas.caseworker]


def test_item_9_at_0_raises_no_alert_whatever_the_total(personas, case):
    severe = (3, 3, 3, 3, 3, 3, 3, 3, 0)
    do_record_assessment(case, data(case, phq9=severe), acting_user=personas.caseworker)
    assert not alerts().exists()
    assert not AuditEvent.objects.filter(event_type=AssessmentEvent.SAFETY_ALERT_RAISED).exists()


def test_the_case_page_shows_the_alert_until_a_later_assessment_has_item_9_at_0(
    personas, case, client_for
):
    caseworker, manager = client_for(personas.caseworker), client_for(personas.manager)
    do_record_assessment(case, data(case, phq9=SELF_HARM), acting_user=personas.caseworker)
    assert alert_on_page(caseworker, case)
    assert alert_on_page(manager, case)
    do_record_assessment(case, data(case, phq9=CALM), acting_user=personas.caseworker)
    assert not alert_on_page(caseworker, case)
    # The earlier assessment still carries its mark in the list.
    page = caseworker.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert "Safety alert" in page
