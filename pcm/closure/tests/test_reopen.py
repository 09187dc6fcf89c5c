"""Reopening a closed case with a reason: back to assessment, its history kept."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pcm.audit.models import AuditEvent
from pcm.cases.models import CaseStatus
from pcm.closure.actions import do_reopen_case
from pcm.closure.models import CaseReopening, ClosureEvent, ClosureStatus
from pcm.closure.tests.conftest import closed_case
from pcm.core.errors import ActionRefused, EditConflict


def url(case):
    return reverse("closure:reopen_case", args=[case.public_id])


def test_the_caseworker_reopens_a_closed_case_to_assessment(personas, case, client_for):
    closed_case(case)
    response = client_for(personas.caseworker).post(
        url(case), {"reason": "New threats from the landlord.", "version": case.version}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSESSMENT
    assert case.closed_at is None
    reopening = CaseReopening.objects.get(case=case)
    assert reopening.reason == "New threats from the landlord."
    assert reopening.reopened_by == personas.caseworker
    # The closure before it stays on record.
    assert case.closure_requests.get().status == ClosureStatus.APPROVED
    assert AuditEvent.objects.filter(event_type=ClosureEvent.CASE_REOPENED).count() == 1
    page = client_for(personas.caseworker).get(reverse("cases:detail", args=[case.public_id]))
    assert "New threats from the landlord." in page.content.decode()


def test_the_supervisor_can_reopen_it_too(personas, case):
    closed_case(case)
    do_reopen_case(case, reason="Returned to the area", acting_user=personas.supervisor)
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSESSMENT


def test_it_requires_a_reason(personas, case, client_for):
    closed_case(case)
    response = client_for(personas.caseworker).post(url(case), {"reason": "", "version": 1})
    assert response.status_code == 400
    with pytest.raises(ActionRefused, match="reason"):
        do_reopen_case(case, reason="  ", acting_user=personas.caseworker)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_it_reopens_only_a_closed_case(personas, case, client_for):
    with pytest.raises(ActionRefused, match="Only a closed case"):
        do_reopen_case(case, reason="Why not", acting_user=personas.caseworker)
    response = client_for(personas.caseworker).get(url(case))
    assert response.status_code == 200
    assert "Only a closed case can be reopened" in response.content.decode()


def test_it_refuses_others(personas, case, client_for):
    closed_case(case)
    assert client_for(personas.manager).post(url(case), {"reason": "x"}).status_code == 403
    with pytest.raises(ActionRefused, match="Only the caseworker who held"):
        do_reopen_case(case, reason="x", acting_user=personas.manager)
    for outsider in (personas.other_caseworker, personas.other_supervisor, personas.outsider):
        assert client_for(outsider).post(url(case), {"reason": "x"}).status_code == 404
        with pytest.raises(ActionRefused):
            do_reopen_case(case, reason="x", acting_user=outsider)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_it_refuses_a_stale_page(personas, case):
    closed_case(case)
    with pytest.raises(EditConflict):
        do_reopen_case(
            case, reason="x", expected_version=case.version - 1, acting_user=personas.caseworker
        )
    assert not CaseReopening.objects.exists()


def test_a_reopened_case_can_be_closed_again(personas, case):
    closed_case(case)
    do_reopen_case(case, reason="New incident", acting_user=personas.caseworker)
    case.refresh_from_db()
    case.status = CaseStatus.IMPLEMENTATION  # as if assessed and planned again
    case.save()
    closed_case(case)
    assert case.status == CaseStatus.CLOSED
    assert case.closure_requests.count() == 2
