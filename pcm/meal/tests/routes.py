"""Role matrix entries for the URLs of pcm.meal: aggregates for MEAL officers, managers and
supervisors only; nobody else, and nothing of another agency."""

from __future__ import annotations

from collections.abc import Iterator

from tests.matrix import Route, World

READERS = {"meal_officer", "manager", "supervisor"}


def _indicator(world: World, role: str) -> Iterator[dict[str, object]]:
    yield {"code": "new_cases"}


def _own_indicator(world: World, role: str) -> dict[str, object]:
    return {"code": "first_response"}


ROUTES: dict[str, Route] = {
    "meal:dashboard": Route(allowed=READERS, methods=("GET",)),
    "meal:indicator": Route(
        allowed=READERS, foreign=_indicator, own=_own_indicator, methods=("GET",)
    ),
    # An empty request: refused for its content (400), not for the role.
    "meal:export": Route(allowed=READERS, methods=("POST",), ok_statuses={400}),
    "meal:settings": Route(allowed={"manager"}, ok_statuses={200, 400}),
}
