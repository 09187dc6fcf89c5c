"""The role matrix: every URL, for every role, with records that belong to someone else.

For each URL pattern of the URL configuration and each role (and an anonymous visitor), the
test requests the page (GET and POST) with objects the role must not see, and fails if the
response shows any of their personal data or changes anything. It also checks that each role
allowed to use a page can (so the matrix cannot pass by refusing everyone), and it fails when a
URL pattern is added without an entry here: a new page cannot be forgotten.

The expectations are written out by hand, independently of the access policy they check.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import sign_in
from pcm.cases.models import Case
from tests.matrix import (
    ADMIN,
    ALL_ROLES,
    CASE_ROLES,
    REFUSED,
    SIGNED_IN,
    Route,
    World,
    hidden_cases,
    identity_sentinels,
    own_case,
    sentinels,
)


def _a_user(world: World, role: str) -> Iterator[dict[str, object]]:
    yield {"pk": world.personas.outsider.pk}


def _a_record(world: World, role: str) -> Iterator[dict[str, object]]:
    yield {"section": "users", "pk": world.personas.outsider.pk}


def _a_section(world: World, role: str) -> Iterator[dict[str, object]]:
    for section in ("agencies", "locations", "offices", "teams", "users"):
        yield {"section": section}


def _hidden_household_member(world: World, role: str) -> Iterator[dict[str, object]]:
    from pcm.cases.household import HouseholdMember

    for case in world.cases_hidden_from(role):
        member = HouseholdMember.objects.create(
            case=case, name="Hidden Relative", relationship="sibling", sex="male"
        )
        yield {"public_id": case.public_id, "member_id": member.pk}


def _own_household_member(world: World, role: str) -> dict[str, object]:
    from pcm.cases.household import HouseholdMember

    member = HouseholdMember.objects.create(
        case=world.mine, name="Own Relative", relationship="sibling", sex="male"
    )
    return {"public_id": world.mine.public_id, "member_id": member.pk}


def _other_agency_risk_type(world: World, role: str) -> Iterator[dict[str, object]]:
    from pcm.cases.taxonomy import RiskType

    risk = RiskType.objects.filter(agency=world.personas.other_agency).first()
    assert risk is not None
    yield {"pk": risk.pk}


def _own_agency_risk_type(world: World, role: str) -> dict[str, object]:
    from pcm.cases.taxonomy import RiskType

    risk = RiskType.objects.filter(agency=world.personas.agency).first()
    assert risk is not None
    return {"pk": risk.pk}


CASE_WORKERS = {"caseworker", "supervisor"}

FOUNDATION_ROUTES: dict[str, Route] = {
    "core:home": Route(allowed=SIGNED_IN - ADMIN, methods=("GET",), ok_statuses={200, 302}),
    "core:set_language": Route(allowed=set(ALL_ROLES), methods=("POST",), public=True),
    "accounts:login": Route(allowed={"anonymous"}, public=True),
    # Second-factor pages: they show only the signed-in user's own sign-in step.
    "accounts:verify": Route(allowed=SIGNED_IN, public=True),
    "accounts:enrol": Route(allowed=SIGNED_IN, public=True),
    "accounts:logout": Route(allowed=set(ALL_ROLES), methods=("POST",), public=True),
    "accounts:logout_everywhere": Route(allowed=SIGNED_IN, methods=("POST",)),
    "accounts:security": Route(allowed=SIGNED_IN, methods=("GET",)),
    "accounts:backup_codes": Route(allowed=SIGNED_IN, methods=("POST",)),
    "accounts:email_notifications": Route(allowed=SIGNED_IN, methods=("POST",), ok_statuses={302}),
    "accounts:password_change": Route(allowed=SIGNED_IN),
    "accounts:password_reset": Route(allowed=set(ALL_ROLES), public=True),
    "accounts:password_reset_done": Route(allowed=set(ALL_ROLES), public=True),
    "accounts:password_reset_confirm": Route(
        allowed=set(ALL_ROLES),
        public=True,
        foreign=lambda world, role: iter([{"uidb64": "MQ", "token": "set-password"}]),
    ),
    "accounts:password_reset_complete": Route(allowed=set(ALL_ROLES), public=True),
    "cases:list": Route(allowed=CASE_ROLES),
    "cases:register": Route(allowed={"caseworker", "supervisor"}, methods=("GET", "POST")),
    "cases:detail": Route(
        allowed=CASE_ROLES, foreign=hidden_cases, own=own_case, methods=("GET", "POST")
    ),
    "cases:reassign": Route(
        allowed={"supervisor"},
        foreign=hidden_cases,
        own=own_case,
        methods=("POST",),
        ok_statuses={400},  # an empty form: refused for its content, not for the role
    ),
    "cases:consent": Route(allowed=CASE_ROLES, foreign=hidden_cases, own=own_case),
    "cases:withdraw_consent": Route(
        allowed=CASE_WORKERS,
        foreign=hidden_cases,
        own=own_case,
        methods=("POST",),
        ok_statuses={302},
    ),
    "cases:exception": Route(
        allowed={"supervisor"},
        foreign=hidden_cases,
        own=own_case,
        methods=("POST",),
        ok_statuses={302},
    ),
    "cases:complete_intake": Route(
        allowed=CASE_WORKERS,
        foreign=hidden_cases,
        own=own_case,
        methods=("POST",),
        ok_statuses={302},
    ),
    "cases:household": Route(allowed=CASE_ROLES, foreign=hidden_cases, own=own_case),
    "cases:remove_household_member": Route(
        allowed=CASE_WORKERS,
        foreign=_hidden_household_member,
        own=_own_household_member,
        methods=("POST",),
        ok_statuses={302},
    ),
    "cases:risk_types": Route(allowed={"manager"}, methods=("GET",)),
    "cases:risk_type_create": Route(allowed={"manager"}),
    "cases:risk_type_edit": Route(
        allowed={"manager"}, foreign=_other_agency_risk_type, own=_own_agency_risk_type
    ),
    "administration:index": Route(allowed=ADMIN, methods=("GET",)),
    "administration:list": Route(allowed=ADMIN, foreign=_a_section, methods=("GET",)),
    "administration:create": Route(allowed=ADMIN, foreign=_a_section),
    "administration:edit": Route(allowed=ADMIN, foreign=_a_record),
    "administration:reset_2fa": Route(
        allowed=ADMIN, foreign=_a_user, methods=("POST",), ok_statuses={302}
    ),
    "administration:unlock": Route(
        allowed=ADMIN, foreign=_a_user, methods=("POST",), ok_statuses={302}
    ),
}


def all_routes() -> dict[str, Route]:
    """The foundation's routes and those each app lists in `<app>.tests.routes`."""
    routes = dict(FOUNDATION_ROUTES)
    for config in apps.get_app_configs():
        module = f"{config.name}.tests.routes"
        if config.name.startswith("pcm.") and importlib.util.find_spec(module):
            routes.update(importlib.import_module(module).ROUTES)
    return routes


ROUTES = all_routes()


def url_names(resolver: URLResolver | None = None, namespace: str = "") -> Iterator[str]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_names(entry, inner)
        elif isinstance(entry, URLPattern):
            assert entry.name, f"URL pattern {entry.pattern} has no name; name it and cover it"
            yield f"{namespace}{entry.name}"


def test_every_url_pattern_is_in_the_role_matrix():
    names = set(url_names())
    missing = names - ROUTES.keys()
    assert not missing, f"URLs not covered by the role matrix: {sorted(missing)}"
    assert not ROUTES.keys() - names, "the matrix names URLs that no longer exist"


@pytest.fixture
def world(personas, case_for) -> World:
    def case(owner, given: str, family: str, phone: str, number: str) -> Case:
        made: Case = case_for(owner, number=number)
        made.person.given_name, made.person.family_name, made.person.phone = given, family, phone
        made.person.save()
        return made

    return World(
        personas=personas,
        mine=case(
            personas.caseworker, "Zainab", "Mineowner", "+964 750 111 1111", "APN-IQ-2026-10001"
        ),
        colleague=case(
            personas.other_caseworker,
            "Qamar",
            "Colleaguecase",
            "+964 750 222 2222",
            "APN-IQ-2026-20002",
        ),
        other_agency=case(
            personas.outsider, "Oksana", "Otheragency", "+380 50 333 3333", "KLR-UA-2026-30003"
        ),
    )


def client_as(world: World, role: str) -> Client:
    client = Client()
    user = world.user(role)
    return sign_in(client, user) if user is not None else client


def snapshot() -> list[tuple[object, ...]]:
    return list(Case.objects.order_by("pk").values_list("pk", "assigned_to", "version", "status"))


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("name", sorted(ROUTES))
def test_no_role_reaches_data_it_should_not(world, name, role):
    route = ROUTES[name]
    hidden = [text for case in world.cases_hidden_from(role) for text in sentinels(case)]
    hidden += [
        text for case in world.identities_hidden_from(role) for text in identity_sentinels(case)
    ]
    before = snapshot()
    calls = list(route.foreign(world, role)) if route.foreign else [{}]
    for kwargs in calls:
        url = reverse(name, kwargs=kwargs)
        for method in route.methods:
            client = client_as(world, role)
            response = getattr(client, method.lower())(url)
            # The page may echo the address that was asked for (the language form returns
            # there); anything else about the record is a leak.
            body = response.content.decode(errors="replace").replace(url, "")
            leaked = [text for text in hidden if text and text in body]
            assert not leaked, f"{role} {method} {url} shows {leaked}"
            if route.foreign is not None and kwargs.get("public_id") is not None:
                assert response.status_code in REFUSED, f"{role} {method} {url}"
            if role not in route.allowed and not route.public:
                assert response.status_code in REFUSED, (
                    f"{role} {method} {url} answered {response.status_code}"
                )
    assert snapshot() == before, f"{role} changed cases through {name}"


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_each_allowed_role_can_use_the_page(world, name):
    """The positive control: the matrix must not pass just because everything is refused."""
    route = ROUTES[name]
    for role in sorted(route.allowed - {"anonymous"}):
        if route.public:
            continue
        if route.own is not None:
            kwargs = route.own(world, role)
        elif route.foreign is not None:
            kwargs = next(route.foreign(world, role))
        else:
            kwargs = {}
        method = route.methods[0].lower()
        response = getattr(client_as(world, role), method)(reverse(name, kwargs=kwargs))
        assert response.status_code in route.ok_statuses | {302}, (
            f"{role} {method.upper()} {name} answered {response.status_code}"
        )
        if method == "get":
            assert response.status_code in route.ok_statuses, f"{role} GET {name}"
