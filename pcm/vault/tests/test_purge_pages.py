"""The two-person emergency purge in the administration pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pcm.accounts.models import Role
from pcm.accounts.reauth import mark_confirmed
from pcm.audit.models import AuditEvent
from pcm.notifications.models import Notification, NotificationKind
from pcm.people.models import Person, PersonToken
from pcm.vault import keys
from pcm.vault.emergency import CONFIRMATION_PHRASE
from pcm.vault.fields import UnreadableValue
from pcm.vault.models import PurgeRequest, PurgeStatus, VaultEvent
from tests.factories import UserFactory

REASON = "The office was raided this morning; the server may be taken."


@pytest.fixture
def second_admin(personas):
    return UserFactory.create(
        username="rana", role=Role.ADMINISTRATOR, agency=personas.other_agency, first_name="Rana"
    )


def confirmed(client: Client) -> Client:
    session = client.session
    mark_confirmed(session)
    session.save()
    return client


@pytest.fixture
def first(personas, client_for) -> Client:
    return confirmed(client_for(personas.administrator))


@pytest.fixture
def second(second_admin, client_for) -> Client:
    return confirmed(client_for(second_admin))


@pytest.fixture
def victim(personas, case_for) -> Person:
    person: Person = case_for(personas.caseworker).person
    return person


def ask(client: Client, reason: str = REASON):
    return client.post(reverse("administration:purge_request"), {"reason": reason})


def approve(client: Client, purge: PurgeRequest, phrase: str = CONFIRMATION_PHRASE):
    url = reverse("administration:purge_approve", kwargs={"public_id": purge.public_id})
    return client.post(url, {"phrase": phrase, "version": purge.version})


def test_the_page_warns_clearly(first):
    response = first.get(reverse("administration:purge"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "this cannot be undone" in body
    assert "every backup" in body
    assert reverse("administration:purge_request") in body


def test_two_administrators_purge_together(
    personas, first, second, second_admin, victim, client_for
):
    generation = keys.load_keyring().generation
    response = ask(first)
    assert response.status_code == 302
    purge = PurgeRequest.objects.get()
    assert purge.status == PurgeStatus.PENDING and purge.requested_by == personas.administrator
    assert Notification.objects.filter(
        recipient=second_admin, kind=NotificationKind.PURGE_REQUESTED
    ).exists()
    assert keys.load_keyring().generation == generation, "asking destroys nothing"

    # The requester cannot approve their own request.
    response = approve(first, purge)
    assert response.status_code == 400
    assert "different administrator" in response.content.decode()
    # A wrong phrase is refused.
    response = approve(second, purge, phrase="destroy all")
    assert response.status_code == 400
    assert "does not match" in response.content.decode()
    assert keys.load_keyring().generation == generation

    response = approve(second, purge)
    assert response.status_code == 302
    purge.refresh_from_db()
    assert purge.status == PurgeStatus.DONE and purge.decided_by == second_admin
    assert purge.result["index_entries_deleted"] > 0
    assert keys.load_keyring().generation == generation + 1
    keys.forget_keyring()
    assert isinstance(Person.objects.get(pk=victim.pk).family_name, UnreadableValue)
    assert not PersonToken.objects.exists()
    assert Notification.objects.filter(
        recipient=personas.administrator, kind=NotificationKind.PURGE_DONE
    ).exists()
    events = list(
        AuditEvent.objects.filter(event_type__startswith="purge").values_list(
            "event_type", "actor", "detail"
        )
    ) + list(
        AuditEvent.objects.filter(event_type=VaultEvent.EMERGENCY_PURGE).values_list(
            "event_type", "actor", "detail"
        )
    )
    kinds = [kind for kind, _actor, _detail in events]
    assert VaultEvent.PURGE_REQUESTED in kinds and VaultEvent.PURGE_APPROVED in kinds
    assert VaultEvent.EMERGENCY_PURGE in kinds
    for _kind, _actor, detail in events:
        assert REASON not in str(detail), "the reason stays out of the audit detail"
    # The page now shows it done.
    body = second.get(reverse("administration:purge")).content.decode()
    assert "Done: identifying data destroyed" in body


def test_a_request_expires_after_an_hour(first, second, victim):
    ask(first)
    purge = PurgeRequest.objects.get()
    PurgeRequest.objects.filter(pk=purge.pk).update(
        requested_at=timezone.now() - timedelta(hours=2),
        expires_at=timezone.now() - timedelta(hours=1),
    )
    generation = keys.load_keyring().generation
    response = approve(second, purge)
    assert response.status_code == 400
    assert "no longer waiting" in response.content.decode()
    purge.refresh_from_db()
    assert purge.status == PurgeStatus.EXPIRED
    assert keys.load_keyring().generation == generation


def test_any_administrator_cancels_a_request(personas, first, second, victim):
    ask(first)
    purge = PurgeRequest.objects.get()
    url = reverse("administration:purge_cancel", kwargs={"public_id": purge.public_id})
    assert second.post(url).status_code == 302
    purge.refresh_from_db()
    assert purge.status == PurgeStatus.CANCELLED
    assert AuditEvent.objects.filter(event_type=VaultEvent.PURGE_CANCELLED).exists()
    assert Notification.objects.filter(
        recipient=personas.administrator, kind=NotificationKind.PURGE_CANCELLED
    ).exists()
    generation = keys.load_keyring().generation
    assert approve(second, purge).status_code == 400
    assert keys.load_keyring().generation == generation
    # A new request can be made once the first is closed.
    assert ask(first).status_code == 302


def test_only_one_request_waits_at_a_time(first, second):
    ask(first)
    response = ask(second)
    assert response.status_code == 400
    assert "already waits" in response.content.decode()
    assert PurgeRequest.objects.count() == 1


def test_a_short_reason_is_refused(first):
    response = ask(first, reason="raid")
    assert response.status_code == 400
    assert "at least 10 characters" in response.content.decode()
    assert not PurgeRequest.objects.exists()


def test_the_purge_pages_ask_to_confirm_identity_first(personas, client_for, second_admin):
    client = client_for(personas.administrator)
    response = client.get(reverse("administration:purge_request"))
    assert response.status_code == 302
    assert reverse("accounts:confirm") in response["Location"]
    response = ask(client)
    assert response.status_code == 302
    assert not PurgeRequest.objects.exists()


@pytest.mark.parametrize("role", ["caseworker", "supervisor", "manager"])
def test_other_roles_are_refused(personas, client_for, role):
    client = confirmed(client_for(personas.by_role()[role]))
    assert client.get(reverse("administration:purge")).status_code == 403
    assert ask(client).status_code == 403
    assert not PurgeRequest.objects.exists()
