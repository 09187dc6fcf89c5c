"""Every sign-in and every failed one is in the trail (the typed name is not kept)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from pcm.audit.chain import verify_chain
from pcm.audit.models import AuditEvent, AuditEventType
from tests.factories import PASSWORD


def test_a_sign_in_and_a_failed_one_are_recorded(personas):
    url = reverse("accounts:login")
    Client().post(url, {"username": "layla", "password": "wrong password here"})
    failed = AuditEvent.objects.get(event_type=AuditEventType.SIGN_IN_FAILED)
    assert failed.actor is None
    assert "layla" not in str(failed.detail) and "wrong" not in str(failed.detail)
    Client().post(url, {"username": "layla", "password": PASSWORD})
    signed_in = AuditEvent.objects.get(event_type=AuditEventType.SIGN_IN)
    assert signed_in.actor == personas.caseworker
    assert signed_in.agency == personas.agency
    assert signed_in.actor_role == "caseworker"
    assert verify_chain().ok
