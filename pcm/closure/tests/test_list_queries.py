"""The incoming transfers and transferred-out pages read a constant number of queries."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pcm.closure.models import TransferRecord, TransferRequest
from pcm.closure.tests.test_transfer import REASON
from tests.factories import CaseFactory, TeamFactory, UserFactory


def queries_for(client, url: str) -> int:
    client.get(url)  # the first request of a session also saves the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def incoming(personas, count: int) -> None:
    """COUNT requests from new cases of a third agency to the outsider's agency."""
    for _ in range(count):
        sender = UserFactory.create()
        sender.team = TeamFactory.create(agency=sender.agency)
        sender.save()
        case = CaseFactory.create(assigned_to=sender)
        TransferRequest.objects.create(
            case=case,
            case_number=case.number,
            from_agency=case.agency,
            from_team=case.team,
            to_agency=personas.other_agency,
            reason=REASON,
            requested_by=sender,
        )


def test_the_incoming_list_does_not_grow_with_requests(personas, client_for):
    client = client_for(personas.outsider_supervisor)
    url = reverse("closure:incoming_transfers")
    incoming(personas, 1)
    few = queries_for(client, url)
    incoming(personas, 8)
    assert queries_for(client, url) == few
    assert client.get(url).content.decode().count("Decide on") == 9


def test_the_stub_list_does_not_grow_with_stubs(personas, client_for):
    def stubs(count: int, start: int) -> None:
        for index in range(start, start + count):
            TransferRecord.objects.create(
                agency=personas.agency,
                team=personas.team,
                old_number=f"APN-IQ-2026-{index:05d}",
                to_agency=personas.other_agency,
                requested_by=UserFactory.create(agency=personas.agency),
                accepted_by=UserFactory.create(agency=personas.other_agency),
            )

    client = client_for(personas.manager)
    url = reverse("closure:transferred_out")
    stubs(1, 1)
    few = queries_for(client, url)
    stubs(8, 2)
    assert queries_for(client, url) == few
