"""Role matrix entries for the URLs of pcm.casework."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from pcm.cases.models import Case
from pcm.casework.tests.factories import make_follow_up, make_note, make_support
from tests.matrix import CASE_ROLES, Route, World, hidden_cases, own_case

WRITERS = {"caseworker", "supervisor"}


def _records(
    make: Callable[[Case], Any], key: str
) -> Callable[[World, str], Iterator[dict[str, object]]]:
    """Records on cases ROLE must not see, also asked for under a case ROLE may see."""

    def foreign(world: World, role: str) -> Iterator[dict[str, object]]:
        for case in world.cases_hidden_from(role):
            record = make(case)
            yield {"public_id": case.public_id, key: record.pk}
            yield {"public_id": world.mine.public_id, key: record.pk}

    return foreign


def _own(make: Callable[[Case], Any], key: str) -> Callable[[World, str], dict[str, object]]:
    def own(world: World, role: str) -> dict[str, object]:
        return {"public_id": world.mine.public_id, key: make(world.mine).pk}

    return own


def _writer_route(**extra: Any) -> Route:
    return Route(allowed=WRITERS, foreign=hidden_cases, own=own_case, **extra)


ROUTES: dict[str, Route] = {
    "casework:timeline": Route(
        allowed=CASE_ROLES, foreign=hidden_cases, own=own_case, methods=("GET",)
    ),
    "casework:note_create": _writer_route(),
    "casework:note_correct": Route(
        allowed=WRITERS,
        foreign=_records(make_note, "note_id"),
        own=_own(make_note, "note_id"),
    ),
    "casework:support_create": _writer_route(),
    "casework:support_correct": Route(
        allowed=WRITERS,
        foreign=_records(make_support, "support_id"),
        own=_own(make_support, "support_id"),
    ),
    "casework:conference_create": _writer_route(),
    "casework:follow_up_schedule": _writer_route(),
    "casework:follow_up_record": Route(
        allowed=WRITERS,
        foreign=_records(make_follow_up, "follow_up_id"),
        own=_own(make_follow_up, "follow_up_id"),
    ),
    # Moving between implementation and follow-up is the caseworker's own decision.
    "casework:start_follow_up": Route(allowed={"caseworker"}, foreign=hidden_cases, own=own_case),
    "casework:resume_implementation": Route(
        allowed={"caseworker"}, foreign=hidden_cases, own=own_case
    ),
}
