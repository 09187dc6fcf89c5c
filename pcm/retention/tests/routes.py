"""Role matrix entries for the URLs of pcm.retention."""

from __future__ import annotations

from collections.abc import Iterator

from pcm.cases.models import Case
from pcm.retention.models import ErasureReason, ErasureRequest, ErasureStatus
from tests.matrix import Route, World, hidden_cases, own_case


def _erasure(case: Case) -> ErasureRequest:
    supervisor = case.team.supervisor
    assert supervisor is not None
    erasure, _ = ErasureRequest.objects.get_or_create(
        person=case.person,
        status=ErasureStatus.PENDING,
        defaults={
            "agency": case.agency,
            "case": case,
            "reason": ErasureReason.SERVICE_USER_REQUEST,
            "requested_by": supervisor,
        },
    )
    return erasure


def hidden_erasures(world: World, role: str) -> Iterator[dict[str, object]]:
    """Requests about cases ROLE must not see (for a manager: the other agency's)."""
    for case in world.cases_hidden_from(role):
        yield {"public_id": _erasure(case).public_id}


def own_erasure(world: World, role: str) -> dict[str, object]:
    return {"public_id": _erasure(world.mine).public_id}


def with_foreign_erasures(world: World, role: str) -> Iterator[dict[str, object]]:
    """No arguments; the list must not show requests of another agency."""
    _erasure(world.other_agency)
    yield {}


ROUTES: dict[str, Route] = {
    "retention:settings": Route(allowed={"manager", "administrator"}),
    "retention:erasure_requests": Route(
        allowed={"manager"}, foreign=with_foreign_erasures, methods=("GET",)
    ),
    # Managers confirm who they are first: the page redirects to "Confirm it's you".
    "retention:erasure_review": Route(
        allowed={"manager"},
        foreign=hidden_erasures,
        own=own_erasure,
        methods=("GET",),
        ok_statuses={302},
    ),
    "retention:confirm_erasure": Route(
        allowed={"manager"},
        foreign=hidden_erasures,
        own=own_erasure,
        methods=("POST",),
        ok_statuses={302},
    ),
    "retention:decline_erasure": Route(
        allowed={"manager"},
        foreign=hidden_erasures,
        own=own_erasure,
        methods=("POST",),
        ok_statuses={400},  # an empty form: refused for its content, not for the role
    ),
    "retention:cancel_erasure": Route(
        allowed={"supervisor"},
        foreign=hidden_erasures,
        own=own_erasure,
        methods=("POST",),
        ok_statuses={302},
    ),
    "retention:subject_export": Route(
        allowed={"supervisor", "manager"},
        foreign=hidden_cases,
        own=own_case,
        ok_statuses={302},
    ),
    "retention:request_erasure": Route(allowed={"supervisor"}, foreign=hidden_cases, own=own_case),
}
