"""Role matrix entries for the URLs of pcm.assessments."""

from __future__ import annotations

from collections.abc import Iterator

from pcm.assessments.tests.factories import make_assessment
from tests.matrix import CASE_ROLES, Route, World, hidden_cases, own_case


def _hidden_assessments(world: World, role: str) -> Iterator[dict[str, object]]:
    """Assessments of cases the role may not see, also asked for under the role's own case."""
    for case in world.cases_hidden_from(role):
        assessment = make_assessment(case)
        yield {"public_id": case.public_id, "pk": assessment.pk}
        yield {"public_id": world.mine.public_id, "pk": assessment.pk}


def _own_assessment(world: World, role: str) -> dict[str, object]:
    case = world.case_visible_to(role)
    return {"public_id": case.public_id, "pk": make_assessment(case).pk}


ROUTES: dict[str, Route] = {
    # Managers read cases but do not record assessments (403); others outside see 404.
    "assessments:record": Route(
        allowed={"caseworker", "supervisor"}, foreign=hidden_cases, own=own_case
    ),
    "assessments:detail": Route(
        allowed=CASE_ROLES,
        foreign=_hidden_assessments,
        own=_own_assessment,
        methods=("GET",),
    ),
}
