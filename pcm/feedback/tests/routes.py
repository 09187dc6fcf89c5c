"""Role matrix entries for the URLs of pcm.feedback."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from pcm.accounts.models import User
from pcm.cases.models import Case
from pcm.feedback.models import Category, Channel, ComplaintsHandler, FeedbackEntry, Kind
from tests.matrix import Route, World

RECORDERS = {"caseworker", "supervisor", "manager"}
REGISTER_READERS = RECORDERS | {"meal_officer"}
KEEPERS = {"manager", "administrator"}


def _entry(
    recorded_by: User, *, case: Case | None = None, text: str, **flags: bool
) -> FeedbackEntry:
    assert recorded_by.agency_id is not None
    return FeedbackEntry.objects.create(
        agency_id=recorded_by.agency_id,
        kind=Kind.COMPLAINT,
        channel=Channel.HOTLINE,
        category=Category.QUALITY,
        received_on=date(2026, 3, 1),
        linked_case=case,
        description=text,
        recorded_by=recorded_by,
        recorded_at=recorded_by.date_joined,
        **flags,
    )


def hidden_entries(world: World, role: str) -> Iterator[dict[str, object]]:
    """Entries nobody in the matrix reads: another agency's, a restricted one (the world has
    no complaints handler), and for caseworkers a colleague's entry on a case they cannot see."""
    personas = world.personas
    yield {"pk": _entry(personas.outsider, case=world.other_agency, text="Foreign").pk}
    restricted = _entry(personas.caseworker, case=world.mine, text="Restricted", about_staff=True)
    yield {"pk": restricted.pk}
    yield {"pk": _entry(personas.other_caseworker, case=world.colleague, text="Colleague").pk}


def own_entry(world: World, role: str) -> dict[str, object]:
    user = world.user(role)
    assert user is not None
    return {"pk": _entry(user, case=world.mine, text="Own entry").pk}


def with_entries(world: World, role: str) -> Iterator[dict[str, object]]:
    """The register, with entries on hidden cases around: none of their cases may show."""
    list(hidden_entries(world, role))
    yield {}


def foreign_handler(world: World, role: str) -> Iterator[dict[str, object]]:
    personas = world.personas
    handler, _ = ComplaintsHandler.objects.get_or_create(
        agency=personas.other_agency,
        user=personas.outsider_manager,
        defaults={
            "added_by": personas.outsider_manager,
            "added_at": personas.outsider_manager.date_joined,
        },
    )
    yield {"pk": handler.pk}


def own_handler(world: World, role: str) -> dict[str, object]:
    personas = world.personas
    handler, _ = ComplaintsHandler.objects.get_or_create(
        agency=personas.agency,
        user=personas.supervisor,
        defaults={"added_by": personas.manager, "added_at": personas.manager.date_joined},
    )
    return {"pk": handler.pk}


ROUTES: dict[str, Route] = {
    "feedback:register": Route(allowed=REGISTER_READERS, foreign=with_entries, methods=("GET",)),
    # An empty form: refused for its content, not for the role.
    "feedback:new": Route(allowed=RECORDERS, ok_statuses={200, 400}),
    "feedback:detail": Route(
        allowed=RECORDERS, foreign=hidden_entries, own=own_entry, methods=("GET",)
    ),
    "feedback:edit": Route(
        allowed=RECORDERS, foreign=hidden_entries, own=own_entry, ok_statuses={200, 400}
    ),
    "feedback:step": Route(
        allowed=RECORDERS,
        foreign=hidden_entries,
        own=own_entry,
        methods=("POST",),
        ok_statuses={400},
    ),
    # Without a recent confirmation of identity, the keepers are sent to confirm first;
    # pcm/feedback/tests/test_handlers.py checks the page itself once confirmed.
    "feedback:handlers": Route(allowed=KEEPERS, ok_statuses={200, 302}),
    "feedback:remove_handler": Route(
        allowed=KEEPERS,
        foreign=foreign_handler,
        own=own_handler,
        methods=("POST",),
        ok_statuses={302},
    ),
}
