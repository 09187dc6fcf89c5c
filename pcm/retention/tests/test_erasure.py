"""Erasure on request: a supervisor asks, a second person (a manager) confirms."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pcm.accounts.models import Role
from pcm.audit.models import AuditEvent
from pcm.cases.models import Case, CaseStatus
from pcm.core.errors import ActionRefused, EditConflict
from pcm.notifications.models import Notification, NotificationKind
from pcm.people.models import Person
from pcm.retention.erasure import (
    do_cancel_erasure,
    do_confirm_erasure,
    do_decline_erasure,
    do_request_erasure,
)
from pcm.retention.models import ErasureReason, ErasureRequest, ErasureStatus, RetentionEvent
from pcm.retention.tests.conftest import SECRET, confirmed_client
from pcm.retention.tests.test_anonymise import secrets_left
from tests.factories import UserFactory

REASON = ErasureReason.SERVICE_USER_REQUEST


def test_the_supervisor_asks_and_a_manager_confirms(rich_case, make_closed_case, personas):
    second = make_closed_case(person=rich_case.person)
    Case.objects.filter(pk__in=[rich_case.pk, second.pk]).update(closed_at=None)  # not due
    erasure = do_request_erasure(rich_case, reason=REASON, acting_user=personas.supervisor)
    assert erasure.status == ErasureStatus.PENDING
    assert Notification.objects.filter(
        recipient=personas.manager, kind=NotificationKind.APPROVAL_REQUESTED, case=rich_case
    ).exists()
    assert Case.objects.get(pk=rich_case.pk).anonymised_at is None  # nothing yet
    assert secrets_left()
    done = do_confirm_erasure(erasure, acting_user=personas.manager)
    assert done.status == ErasureStatus.CONFIRMED and done.decided_by == personas.manager
    assert done.cases_anonymised == 2
    assert not Case.objects.filter(person=rich_case.person, anonymised_at__isnull=True).exists()
    assert Person.objects.get(pk=rich_case.person_id).anonymised_at is not None
    assert secrets_left() == []


def test_the_erasure_event_holds_no_erased_data(rich_case, personas):
    person = Person.objects.get(pk=rich_case.person_id)
    erased = [person.given_name, person.family_name, person.phone]
    erasure = do_request_erasure(
        rich_case, reason=ErasureReason.SAFETY, acting_user=personas.supervisor
    )
    do_confirm_erasure(erasure, acting_user=personas.manager)
    event = AuditEvent.objects.get(event_type=RetentionEvent.ERASURE)
    assert event.detail == {
        "person": person.pk,
        "cases": [rich_case.pk],
        "cases_anonymised": 1,
        "person_anonymised": True,
        "reason": "safety",
        "requested_by": personas.supervisor.pk,
    }
    assert (event.target_type, event.actor) == ("retention.erasurerequest", personas.manager)
    for row in AuditEvent.objects.all():
        text = repr((row.fields, row.detail, row.target_id))
        assert SECRET not in text and not any(value in text for value in erased)


def test_erasure_needs_two_people(rich_case, personas):
    # The supervisor cannot confirm their own request, nor another supervisor.
    erasure = do_request_erasure(rich_case, reason=REASON, acting_user=personas.supervisor)
    for user in (personas.supervisor, personas.other_supervisor, personas.caseworker):
        with pytest.raises(ActionRefused, match="manager"):
            do_confirm_erasure(erasure, acting_user=user)
    # A manager who asked (directly, through the model) cannot confirm it alone either.
    ErasureRequest.objects.filter(pk=erasure.pk).update(requested_by=personas.manager)
    erasure.refresh_from_db()
    with pytest.raises(ActionRefused, match="other than the one who asked"):
        do_confirm_erasure(erasure, acting_user=personas.manager)
    # Another agency's manager neither.
    with pytest.raises(ActionRefused):
        do_confirm_erasure(erasure, acting_user=personas.outsider_manager)
    second = UserFactory.create(role=Role.MANAGER, agency=personas.agency)
    do_confirm_erasure(erasure, acting_user=second)
    assert Case.objects.get(pk=rich_case.pk).anonymised_at is not None


def test_only_the_cases_supervisor_may_ask(rich_case, personas):
    for user in (personas.caseworker, personas.manager, personas.other_supervisor):
        with pytest.raises(ActionRefused, match="supervisor"):
            do_request_erasure(rich_case, reason=REASON, acting_user=user)


def test_an_open_case_of_the_person_blocks_the_erasure(rich_case, case_for, personas):
    other = case_for(personas.other_caseworker, person=rich_case.person, status=CaseStatus.PLANNING)
    with pytest.raises(ActionRefused, match="Ask a manager which") as refused:
        do_request_erasure(rich_case, reason=REASON, acting_user=personas.supervisor)
    assert other.number not in str(refused.value)  # another team's case: not named
    Case.objects.filter(pk=other.pk).update(status=CaseStatus.CLOSED)
    erasure = do_request_erasure(rich_case, reason=REASON, acting_user=personas.supervisor)
    Case.objects.filter(pk=other.pk).update(status=CaseStatus.ASSESSMENT)  # reopened meanwhile
    with pytest.raises(ActionRefused, match=other.number):
        do_confirm_erasure(erasure, acting_user=personas.manager)
    erasure.refresh_from_db()
    assert erasure.is_pending
    assert Case.objects.get(pk=rich_case.pk).anonymised_at is None


def test_one_pending_request_per_person(rich_case, personas):
    do_request_erasure(rich_case, reason=REASON, acting_user=personas.supervisor)
    with pytest.raises(ActionRefused, match="already waiting"):
        do_request_erasure(rich_case, reason=REASON, acting_user=personas.supervisor)


def test_decline_and_cancel_erase_nothing(rich_case, personas):
    erasure = do_request_erasure(rich_case, reason=REASON, acting_user=personas.supervisor)
    do_decline_erasure(erasure, acting_user=personas.manager)
    erasure.refresh_from_db()
    assert erasure.status == ErasureStatus.DECLINED
    with pytest.raises(EditConflict):
        do_confirm_erasure(erasure, expected_version=1, acting_user=personas.manager)
    erasure = do_request_erasure(rich_case, reason=REASON, acting_user=personas.supervisor)
    do_cancel_erasure(erasure, acting_user=personas.supervisor)
    erasure.refresh_from_db()
    assert erasure.status == ErasureStatus.CANCELLED
    assert Case.objects.get(pk=rich_case.pk).anonymised_at is None
    assert secrets_left()


def test_the_pages_from_request_to_confirmation(rich_case, personas, client_for):
    supervisor = client_for(personas.supervisor)
    url = reverse("retention:request_erasure", kwargs={"public_id": rich_case.public_id})
    page = supervisor.get(url)
    assert page.status_code == 200 and "Ask a manager to confirm the erasure" in page.text
    refused = supervisor.post(url, {"reason": REASON})
    assert refused.status_code == 400 and "Tick the box" in refused.text
    response = supervisor.post(url, {"reason": REASON, "understood": "on"})
    assert response.status_code == 302
    erasure = ErasureRequest.objects.get()
    case_page = supervisor.get(reverse("cases:detail", kwargs={"public_id": rich_case.public_id}))
    assert "waits for a manager" in case_page.text
    manager = client_for(personas.manager)
    listing = manager.get(reverse("retention:erasure_requests"))
    assert rich_case.number in listing.text
    review_url = reverse("retention:erasure_review", kwargs={"public_id": erasure.public_id})
    assert manager.get(review_url).status_code == 302  # confirm it's you first
    manager = confirmed_client(personas.manager)
    review = manager.get(review_url)
    assert review.status_code == 200 and "Erase the data now" in review.text
    assert SECRET not in review.text  # a manager does not see the person's identity here
    confirm_url = reverse("retention:confirm_erasure", kwargs={"public_id": erasure.public_id})
    missing = manager.post(confirm_url, {"version": erasure.version})
    assert missing.status_code == 400 and "Tick the box to confirm the erasure" in missing.text
    done = manager.post(confirm_url, {"version": erasure.version, "understood": "on"})
    assert done.status_code == 302
    assert Case.objects.get(pk=rich_case.pk).anonymised_at is not None
    assert secrets_left() == []


def test_the_supervisor_cancels_from_the_case_page(rich_case, personas, client_for):
    erasure = do_request_erasure(rich_case, reason=REASON, acting_user=personas.supervisor)
    url = reverse("retention:cancel_erasure", kwargs={"public_id": erasure.public_id})
    assert client_for(personas.other_supervisor).post(url, {"version": 1}).status_code == 404
    response = client_for(personas.supervisor).post(url, {"version": 1})
    assert response.status_code == 302
    erasure.refresh_from_db()
    assert erasure.status == ErasureStatus.CANCELLED
