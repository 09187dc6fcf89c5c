"""Transfer to another agency: with consent, decided by the receiving supervisors, nothing lost."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pcm.audit.models import AuditEvent
from pcm.cases.models import Case, CaseStatus
from pcm.closure.models import (
    ClosureEvent,
    ClosureRequest,
    TransferRecord,
    TransferRequest,
    TransferStatus,
)
from pcm.closure.tests.conftest import give_consent, request_closure
from pcm.closure.transfer_actions import (
    do_accept_transfer,
    do_decline_transfer,
    do_request_transfer,
)
from pcm.closure.transfers import incoming_transfers_for
from pcm.core.errors import ActionRefused, EditConflict
from pcm.notifications.models import Notification, NotificationKind
from pcm.people.models import Person
from tests.factories import AgencyFactory, TeamFactory, UserFactory

REASON = "The family moved to Kharkiv, where the receiving agency works."


def request_url(case):
    return reverse("closure:request_transfer", args=[case.public_id])


def detail_url(case):
    return reverse("cases:detail", args=[case.public_id])


def decision_url(transfer, action=""):
    name = f"closure:{action}_transfer" if action else "closure:incoming_transfer"
    return reverse(name, args=[transfer.public_id])


@pytest.fixture
def transfer(personas, case):
    give_consent(case, personas.other_agency)
    return do_request_transfer(case, personas.other_agency, REASON, acting_user=personas.caseworker)


def accept(transfer, personas):
    return do_accept_transfer(
        transfer,
        team=personas.outsider.team,
        caseworker=personas.outsider,
        acting_user=personas.outsider_supervisor,
    )


def test_it_refuses_a_transfer_the_consent_does_not_cover(personas, case, client_for):
    client = client_for(personas.caseworker)
    data = {"to_agency": personas.other_agency.pk, "reason": REASON}
    response = client.post(request_url(case), data)  # no consent at all
    assert response.status_code == 400
    assert "No consent is recorded for this case" in response.content.decode()
    give_consent(case, AgencyFactory.create())  # sharing, but with another agency
    with pytest.raises(ActionRefused, match="does not name Kalyna Relief"):
        do_request_transfer(case, personas.other_agency, REASON, acting_user=personas.caseworker)
    give_consent(case)  # no sharing with agencies at all
    with pytest.raises(ActionRefused, match="does not cover sharing information"):
        do_request_transfer(case, personas.other_agency, REASON, acting_user=personas.caseworker)
    give_consent(case, personas.other_agency, withdrawn=True)
    with pytest.raises(ActionRefused, match="withdrew their consent"):
        do_request_transfer(case, personas.other_agency, REASON, acting_user=personas.caseworker)
    assert not TransferRequest.objects.exists()


def test_it_requests_a_transfer_and_the_case_stays_with_the_sender(personas, case, client_for):
    give_consent(case, personas.other_agency)
    response = client_for(personas.caseworker).post(
        request_url(case), {"to_agency": personas.other_agency.pk, "reason": REASON}
    )
    assert response.status_code == 302
    transfer = TransferRequest.objects.get()
    assert transfer.status == TransferStatus.PENDING
    assert transfer.case_number == case.number
    case.refresh_from_db()
    assert case.agency == personas.agency
    assert case.status == CaseStatus.IMPLEMENTATION
    assert client_for(personas.caseworker).get(detail_url(case)).status_code == 200
    assert client_for(personas.outsider_supervisor).get(detail_url(case)).status_code == 404
    # The receiving supervisors are told, without a case they could not open anyway.
    notification = Notification.objects.get(recipient=personas.outsider_supervisor)
    assert notification.kind == NotificationKind.APPROVAL_REQUESTED
    assert notification.case is None
    page = client_for(personas.caseworker).get(detail_url(case)).content.decode()
    assert "waiting for their decision" in page


def test_the_receivers_see_only_number_risk_reason_and_agency(personas, case, transfer, client_for):
    client = client_for(personas.outsider_supervisor)
    for url in (reverse("closure:incoming_transfers"), decision_url(transfer)):
        response = client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert case.number in page
        assert "Amal Protection Network" in page
        assert REASON in page
        assert "High" in page
        person = case.person
        for secret in (person.given_name, person.family_name, person.phone, str(case.public_id)):
            assert secret not in page


def test_it_moves_the_whole_case_without_duplicating_anything(personas, case, transfer):
    old_number, person_pk = case.number, case.person_id
    request_closure_history = AuditEvent.objects.filter(target_id=str(case.pk)).count()
    people, cases = Person.objects.count(), Case.objects.count()
    moved = accept(transfer, personas)
    assert (Person.objects.count(), Case.objects.count()) == (people, cases)
    assert moved.pk == case.pk and moved.person_id == person_pk
    assert moved.agency == personas.other_agency
    assert moved.team == personas.outsider.team
    assert moved.assigned_to == personas.outsider
    assert moved.number.startswith("KLR-UA-")
    assert moved.number != old_number
    assert moved.status == CaseStatus.IMPLEMENTATION
    assert Person.objects.get(pk=person_pk).agency == personas.other_agency
    # Its history hangs off the case, so it followed.
    assert moved.consents.count() == 1
    assert AuditEvent.objects.filter(target_id=str(case.pk)).count() > request_closure_history
    stub = TransferRecord.objects.get()
    assert stub.agency == personas.agency
    assert stub.old_number == old_number
    assert stub.to_agency == personas.other_agency
    assert stub.accepted_by == personas.outsider_supervisor
    assert stub.requested_by == personas.caseworker
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ACCEPTED
    notification = Notification.objects.get(recipient=personas.outsider)
    assert notification.kind == NotificationKind.CASE_TRANSFERRED
    assert notification.case == case
    assert AuditEvent.objects.filter(event_type=ClosureEvent.TRANSFER_SENT).get().agency == (
        personas.agency
    )


def test_after_acceptance_only_the_receiving_agency_sees_the_case(
    personas, case, transfer, client_for
):
    old_number = case.number
    response = client_for(personas.outsider_supervisor).post(
        decision_url(transfer, "accept"),
        {"team": personas.outsider.team.pk, "caseworker": personas.outsider.pk, "version": 1},
    )
    assert response.status_code == 302
    for user in (personas.caseworker, personas.supervisor, personas.manager):
        assert client_for(user).get(detail_url(case)).status_code == 404
    page = client_for(personas.outsider).get(detail_url(case)).content.decode()
    assert case.person.given_name in page
    assert "Transferred from Amal Protection Network" in page
    assert old_number in page
    # The sending agency keeps the stub, and nothing about the person.
    for user in (personas.supervisor, personas.manager):
        stubs = client_for(user).get(reverse("closure:transferred_out")).content.decode()
        assert old_number in stubs
        assert "Kalyna Relief" in stubs
        assert case.person.given_name not in stubs


def test_the_receiving_supervisor_declines_with_a_reason(personas, case, transfer, client_for):
    client = client_for(personas.outsider_supervisor)
    response = client.post(decision_url(transfer, "decline"), {"reason": "", "version": 1})
    assert response.status_code == 400
    with pytest.raises(ActionRefused, match="Write the reason"):
        do_decline_transfer(transfer, reason=" ", acting_user=personas.outsider_supervisor)
    response = client.post(
        decision_url(transfer, "decline"), {"reason": "No capacity this month.", "version": 1}
    )
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.DECLINED
    case.refresh_from_db()
    assert case.agency == personas.agency
    notification = Notification.objects.get(recipient=personas.caseworker)
    assert notification.kind == NotificationKind.SENT_BACK
    page = client_for(personas.caseworker).get(detail_url(case)).content.decode()
    assert "No capacity this month." in page
    assert client.get(decision_url(transfer)).status_code == 404


def test_only_the_receiving_agencys_supervisors_decide(personas, case, transfer, client_for):
    for user in (
        personas.supervisor,
        personas.manager,
        personas.outsider,
        personas.outsider_manager,
    ):
        assert client_for(user).get(decision_url(transfer)).status_code == 404
        with pytest.raises(ActionRefused, match="Only a supervisor of the receiving agency"):
            do_decline_transfer(transfer, reason="No", acting_user=user)
        with pytest.raises(ActionRefused, match="Only a supervisor of the receiving agency"):
            do_accept_transfer(
                transfer,
                team=personas.outsider.team,
                caseworker=personas.outsider,
                acting_user=user,
            )
    assert (
        client_for(personas.outsider).get(reverse("closure:incoming_transfers")).status_code == 403
    )
    transfer.refresh_from_db()
    assert transfer.is_pending


def test_any_supervisor_of_the_receiving_agency_sees_the_request(personas, transfer):
    another = UserFactory.create(role="supervisor", agency=personas.other_agency)
    assert list(incoming_transfers_for(another)) == [transfer]
    assert list(incoming_transfers_for(personas.supervisor)) == []
    assert list(incoming_transfers_for(personas.outsider)) == []


def test_it_refuses_acceptance_once_consent_is_withdrawn(personas, case, transfer):
    give_consent(case, personas.other_agency, withdrawn=True)
    with pytest.raises(ActionRefused, match="withdrew their consent"):
        accept(transfer, personas)
    case.refresh_from_db()
    assert case.agency == personas.agency
    transfer.refresh_from_db()
    assert transfer.is_pending


def test_it_refuses_a_caseworker_outside_the_chosen_team(personas, transfer, client_for):
    other_team = TeamFactory.create(agency=personas.other_agency, name="Poltava team")
    response = client_for(personas.outsider_supervisor).post(
        decision_url(transfer, "accept"),
        {"team": other_team.pk, "caseworker": personas.outsider.pk, "version": 1},
    )
    assert response.status_code == 400
    assert "Choose a caseworker of the chosen team" in response.content.decode()
    with pytest.raises(ActionRefused, match="caseworker of the chosen team"):
        do_accept_transfer(
            transfer,
            team=other_team,
            caseworker=personas.outsider,
            acting_user=personas.outsider_supervisor,
        )
    with pytest.raises(ActionRefused, match="team of your agency"):
        do_accept_transfer(
            transfer,
            team=personas.team,
            caseworker=personas.caseworker,
            acting_user=personas.outsider_supervisor,
        )


def test_it_refuses_a_decision_from_a_stale_page(personas, transfer):
    stale = TransferRequest.objects.get(pk=transfer.pk)
    do_decline_transfer(transfer, reason="No capacity", acting_user=personas.outsider_supervisor)
    with pytest.raises(EditConflict, match="Someone else decided this transfer request"):
        accept(stale, personas)
    with pytest.raises(ActionRefused, match="already decided"):
        accept(transfer, personas)
    fresh = TransferRequest.objects.create(
        case=transfer.case,
        case_number=transfer.case_number,
        from_agency=transfer.from_agency,
        to_agency=transfer.to_agency,
        reason=REASON,
        requested_by=personas.caseworker,
    )
    with pytest.raises(EditConflict):
        do_accept_transfer(
            fresh,
            team=personas.outsider.team,
            caseworker=personas.outsider,
            expected_version=7,
            acting_user=personas.outsider_supervisor,
        )


def test_it_refuses_a_second_request_and_other_bad_requests(personas, case, transfer):
    with pytest.raises(ActionRefused, match="already waiting"):
        do_request_transfer(case, personas.other_agency, REASON, acting_user=personas.supervisor)
    with pytest.raises(ActionRefused, match="another active agency"):
        do_request_transfer(case, personas.agency, REASON, acting_user=personas.caseworker)
    with pytest.raises(ActionRefused, match="Only the caseworker of this case"):
        do_request_transfer(case, personas.other_agency, REASON, acting_user=personas.manager)
    with pytest.raises(ActionRefused, match="reason"):
        do_request_transfer(case, personas.other_agency, " ", acting_user=personas.caseworker)


def test_it_refuses_a_case_awaiting_closure(personas, case):
    give_consent(case, personas.other_agency)
    request_closure(case)
    with pytest.raises(ActionRefused, match="not awaiting closure"):
        do_request_transfer(case, personas.other_agency, REASON, acting_user=personas.caseworker)
    assert ClosureRequest.objects.get().is_pending


def test_the_request_page_is_for_the_case_team_only(personas, case, client_for):
    assert client_for(personas.caseworker).get(request_url(case)).status_code == 200
    assert client_for(personas.supervisor).get(request_url(case)).status_code == 200
    assert client_for(personas.manager).get(request_url(case)).status_code == 403
    for outsider in (personas.other_caseworker, personas.other_supervisor, personas.outsider):
        response = client_for(outsider).post(
            request_url(case), {"to_agency": personas.other_agency.pk, "reason": REASON}
        )
        assert response.status_code == 404
    assert not TransferRequest.objects.exists()


def test_supervisors_see_their_teams_stubs_and_managers_the_agencys(personas, case_for, client_for):
    def stub(team, number):
        return TransferRecord.objects.create(
            agency=personas.agency,
            team=team,
            old_number=number,
            to_agency=personas.other_agency,
            requested_by=personas.caseworker,
            accepted_by=personas.outsider_supervisor,
        )

    stub(personas.team, "APN-IQ-2026-00001")
    stub(personas.other_team, "APN-IQ-2026-00002")
    url = reverse("closure:transferred_out")
    omar = client_for(personas.supervisor).get(url).content.decode()
    assert "APN-IQ-2026-00001" in omar and "APN-IQ-2026-00002" not in omar
    nadia = client_for(personas.manager).get(url).content.decode()
    assert "APN-IQ-2026-00001" in nadia and "APN-IQ-2026-00002" in nadia
    assert "APN-IQ-2026" not in client_for(personas.outsider_manager).get(url).content.decode()
    assert client_for(personas.caseworker).get(url).status_code == 403
