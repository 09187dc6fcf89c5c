"""Role matrix entries for the URLs of pcm.people."""

from __future__ import annotations

from collections.abc import Iterator

from pcm.people.models import DuplicateFlag, DuplicateReason, Person
from tests.matrix import CASE_ROLES, Route, World


def _flag(person: Person, candidate: Person) -> DuplicateFlag:
    flag, _ = DuplicateFlag.objects.get_or_create(
        person=person,
        candidate=candidate,
        defaults={"agency": person.agency, "reason": DuplicateReason.PHONE},
    )
    return flag


def _hidden_flags(world: World, role: str) -> list[DuplicateFlag]:
    """A flag for each case ROLE may not see, paired with a case it may (or another)."""
    flags = []
    for hidden in world.cases_hidden_from(role):
        partner = world.colleague if hidden is world.mine else world.mine
        flags.append(_flag(hidden.person, partner.person))
    return flags


def hidden_flags(world: World, role: str) -> Iterator[dict[str, object]]:
    for flag in _hidden_flags(world, role):
        yield {"public_id": flag.public_id}


def with_hidden_flags(world: World, role: str) -> Iterator[dict[str, object]]:
    """No arguments; the list must not show flags involving records the role may not see."""
    _hidden_flags(world, role)
    yield {}


def own_flag(world: World, role: str) -> dict[str, object]:
    """A flag between two of Layla's people: her, her supervisor and the manager see both."""
    from tests.factories import CaseFactory

    second = CaseFactory.create(assigned_to=world.personas.caseworker)
    return {"public_id": _flag(second.person, world.mine.person).public_id}


ROUTES: dict[str, Route] = {
    "people:duplicates": Route(allowed=CASE_ROLES, foreign=with_hidden_flags, methods=("GET",)),
    "people:resolve_duplicate": Route(
        allowed=CASE_ROLES,
        foreign=hidden_flags,
        own=own_flag,
        methods=("POST",),
        ok_statuses={400},  # an empty form: refused for its content, not for the role
    ),
}
