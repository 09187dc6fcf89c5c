"""The role matrix's vocabulary: the world of records, how a URL is called, who may use it.

Each area's URL patterns are described by a `ROUTES: dict[str, Route]` module listed in
tests/test_role_matrix.py (ROUTE_MODULES). A `foreign` function yields URL arguments that point
at records the role must not reach — build them on `world.colleague` or `world.other_agency`
(cases the caseworker and supervisor may not see) — and `own` gives arguments for a record an
allowed role may use, as a positive control.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from conftest import Personas
from pcm.cases.models import Case

CASE_ROLES = {"caseworker", "supervisor", "manager"}
ALL_ROLES = [
    "anonymous",
    "caseworker",
    "supervisor",
    "manager",
    "meal_officer",
    "provider_focal_point",
    "administrator",
    "auditor",
]
REFUSED = {302, 403, 404, 405}


@dataclass
class World:
    personas: Personas
    mine: Case  # Layla's case: visible to Layla, her supervisor Omar and the manager
    colleague: Case  # Karim's case, other team: visible only to Karim, Huda and the manager
    other_agency: Case  # Olena's case in another agency: never visible here

    def user(self, role: str):
        return None if role == "anonymous" else self.personas.by_role()[role]

    def cases_hidden_from(self, role: str) -> list[Case]:
        """Written out by hand: which of the three cases ROLE must never see."""
        if role == "caseworker" or role == "supervisor":
            return [self.colleague, self.other_agency]
        if role == "manager":
            return [self.other_agency]
        return [self.mine, self.colleague, self.other_agency]

    def case_visible_to(self, role: str) -> Case:
        return self.mine

    def identities_hidden_from(self, role: str) -> list[Case]:
        """Written out by hand: cases ROLE opens without seeing who they are about (by default
        a manager reads the caseload without names or phone numbers)."""
        if role == "manager":
            return [self.mine, self.colleague]
        return []


def sentinels(case: Case) -> list[str]:
    person = case.person
    return [case.number, person.given_name, person.family_name, person.phone, str(case.public_id)]


def identity_sentinels(case: Case) -> list[str]:
    """Who CASE is about: what a role without the identity and contact groups must not see."""
    person = case.person
    return [person.given_name, person.family_name, person.phone]


@dataclass(frozen=True)
class Route:
    """How to call one URL pattern and who may use it."""

    allowed: set[str]
    # kwargs for a request about someone else's record (none: the URL takes no arguments)
    foreign: Callable[[World, str], Iterator[dict[str, object]]] | None = None
    # kwargs for a request the allowed role may make, as a positive control
    own: Callable[[World, str], dict[str, object]] | None = None
    methods: tuple[str, ...] = ("GET", "POST")
    ok_statuses: set[int] = field(default_factory=lambda: {200})
    public: bool = False


def hidden_cases(world: World, role: str) -> Iterator[dict[str, object]]:
    for case in world.cases_hidden_from(role):
        yield {"public_id": case.public_id}


def own_case(world: World, role: str) -> dict[str, object]:
    return {"public_id": world.case_visible_to(role).public_id}


ADMIN = {"administrator"}
SIGNED_IN = set(ALL_ROLES) - {"anonymous"}
