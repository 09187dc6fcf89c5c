"""Role matrix entries for the URLs of pcm.access (emergency, break-glass access)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from django.utils import timezone

from pcm.access.models import BreakGlassGrant
from pcm.accounts.models import User
from pcm.cases.models import Case
from tests.matrix import Route, World

BREAK_GLASS = {"manager", "administrator"}


def grant(user: User, case: Case) -> BreakGlassGrant:
    now = timezone.now()
    return BreakGlassGrant.objects.create(
        user=user,
        case=case,
        reason="A reason long enough for the matrix test.",
        granted_at=now,
        expires_at=now + timedelta(hours=2),
    )


def with_foreign_grant(world: World, role: str) -> Iterator[dict[str, object]]:
    """No arguments; another agency's emergency access must not be listed."""
    grant(world.personas.outsider_manager, world.other_agency)
    yield {}


def foreign_grants(world: World, role: str) -> Iterator[dict[str, object]]:
    """Grants ROLE may not end: another agency's, and (but for a manager) a colleague's."""
    yield {"pk": grant(world.personas.outsider_manager, world.other_agency).pk}
    if role != "manager":
        yield {"pk": grant(world.personas.manager, world.mine).pk}


def own_grant(world: World, role: str) -> dict[str, object]:
    user = world.user(role)
    assert user is not None
    return {"pk": grant(user, world.mine).pk}


ROUTES: dict[str, Route] = {
    "access:break_glass": Route(allowed=BREAK_GLASS, foreign=with_foreign_grant, methods=("GET",)),
    # Without a recent confirmation of identity, the allowed roles are sent to confirm first.
    "access:break_glass_request": Route(allowed=BREAK_GLASS, ok_statuses={200, 302}),
    "access:break_glass_revoke": Route(
        allowed=BREAK_GLASS,
        foreign=foreign_grants,
        own=own_grant,
        methods=("POST",),
        ok_statuses={302},
    ),
}
