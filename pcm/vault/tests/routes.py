"""Role matrix entries for the emergency purge pages (administrators only)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from django.utils import timezone

from pcm.accounts.models import Role
from pcm.vault.models import PurgeRequest, PurgeStatus
from tests.factories import UserFactory
from tests.matrix import ADMIN, Route, World


def _waiting_request(world: World) -> PurgeRequest:
    """A request by a second administrator, waiting for approval."""
    existing = PurgeRequest.objects.filter(status=PurgeStatus.PENDING).first()
    if existing is not None:
        return existing
    other = UserFactory.create(
        username="second-admin", role=Role.ADMINISTRATOR, agency=world.personas.agency
    )
    now = timezone.now()
    return PurgeRequest.objects.create(
        reason="A raid on the office is expected tonight.",
        requested_by=other,
        requested_at=now,
        expires_at=now + timedelta(hours=1),
    )


def waiting_request(world: World, role: str) -> Iterator[dict[str, object]]:
    yield {"public_id": _waiting_request(world).public_id}


def own_waiting_request(world: World, role: str) -> dict[str, object]:
    return {"public_id": _waiting_request(world).public_id}


ROUTES: dict[str, Route] = {
    "administration:purge": Route(allowed=ADMIN, methods=("GET",)),
    # Without a recent confirmation of identity, administrators are sent to confirm first.
    "administration:purge_request": Route(allowed=ADMIN, ok_statuses={200, 302}),
    "administration:purge_approve": Route(
        allowed=ADMIN, foreign=waiting_request, own=own_waiting_request, ok_statuses={200, 302}
    ),
    "administration:purge_cancel": Route(
        allowed=ADMIN,
        foreign=waiting_request,
        own=own_waiting_request,
        methods=("POST",),
        ok_statuses={302},
    ),
}
