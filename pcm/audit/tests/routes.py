"""Role matrix entries for the URLs of pcm.audit."""

from __future__ import annotations

from collections.abc import Iterator

from tests.matrix import Route, World, hidden_cases, own_case

AGENCY_TRAIL = {"auditor", "administrator"}


def foreign_subjects(world: World, role: str) -> Iterator[dict[str, object]]:
    """Cases whose service user's history ROLE must not produce: another agency's for the
    auditor and administrator (the rest of their agency is theirs to audit), any for others."""
    if role in AGENCY_TRAIL:
        yield {"public_id": world.other_agency.public_id}
        return
    for case in (world.mine, world.colleague, world.other_agency):
        yield {"public_id": case.public_id}


ROUTES: dict[str, Route] = {
    "audit:trail": Route(allowed=AGENCY_TRAIL | {"supervisor"}, methods=("GET", "POST")),
    # A case's access history: its team's supervisor only (404 outside the case's viewers).
    "audit:case_history": Route(
        allowed={"supervisor"}, foreign=hidden_cases, own=own_case, methods=("GET", "POST")
    ),
    "audit:subject_lookup": Route(allowed=AGENCY_TRAIL, methods=("GET", "POST")),
    "audit:subject": Route(
        allowed=AGENCY_TRAIL, foreign=foreign_subjects, own=own_case, methods=("GET", "POST")
    ),
    "audit:subject_csv": Route(
        allowed=AGENCY_TRAIL, foreign=foreign_subjects, own=own_case, methods=("GET", "POST")
    ),
}
