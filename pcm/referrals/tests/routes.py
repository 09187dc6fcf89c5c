"""Role matrix entries for the URLs of pcm.referrals.

The provider persona (Hana) is the focal point of one service; a referral from Layla's case to
it shares only the risk level, so nothing in the portal may show who the case is about. Every
other referral (to another service, or of a case hidden from the role) must answer 404.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils import timezone

from pcm.cases.models import Case
from pcm.referrals import payload
from pcm.referrals.models import FocalPoint, Referral, Urgency
from pcm.services.models import Provider, Sector, Service
from tests.matrix import CASE_ROLES, Route, World, hidden_cases, own_case

REFERRERS = {"caseworker", "supervisor"}
PROVIDER = {"provider_focal_point"}


def _service(world: World, case: Case, name: str) -> Service:
    provider, _ = Provider.objects.get_or_create(agency=case.agency, name=f"{name} provider")
    service, _ = Service.objects.get_or_create(
        provider=provider, name=name, defaults={"sector": Sector.LEGAL}
    )
    return service


def _referral(world: World, case: Case, service: Service, shared: list[str]) -> Referral:
    now = timezone.now()
    assert case.assigned_to is not None
    referral = Referral.objects.create(
        case=case,
        agency=case.agency,
        service=service,
        referred_by=case.assigned_to,
        urgency=Urgency.URGENT,
        reason="Matrix reason",
        shared_fields=shared,
        payload="",
        through_portal=True,
        sent_at=now,
        respond_by=now,
    )
    referral.payload = payload.dumps(payload.build(referral, case, shared))
    referral.save()
    return referral


def _portal_referral(world: World) -> Referral:
    """A referral of Layla's case to the service Hana receives, sharing the risk level only."""
    service = _service(world, world.mine, "Matrix legal aid")
    FocalPoint.objects.get_or_create(
        service=service, user=world.personas.provider, defaults={"added_by": world.personas.manager}
    )
    existing = Referral.objects.filter(service=service).first()
    return existing or _referral(world, world.mine, service, ["risk_level"])


def hidden_referrals(world: World, role: str) -> Iterator[dict[str, object]]:
    """Referrals (sharing names and phones) of the cases ROLE may not see."""
    for case in world.cases_hidden_from(role):
        service = _service(world, case, "Hidden clinic")
        yield {"public_id": _referral(world, case, service, ["name", "phone"]).public_id}


def own_referral(world: World, role: str) -> dict[str, object]:
    return {"public_id": _portal_referral(world).public_id}


def not_received(world: World, role: str) -> Iterator[dict[str, object]]:
    """Referrals to services the provider does not receive for, of every case."""
    _portal_referral(world)
    for case in (world.mine, world.colleague, world.other_agency):
        service = _service(world, case, "Another clinic")
        yield {"public_id": _referral(world, case, service, ["name", "phone"]).public_id}


def with_hidden_referrals(world: World, role: str) -> Iterator[dict[str, object]]:
    list(not_received(world, role))
    yield {}


def foreign_service(world: World, role: str) -> Iterator[dict[str, object]]:
    yield {"pk": _service(world, world.other_agency, "Foreign clinic").pk}


def own_service(world: World, role: str) -> dict[str, object]:
    return {"pk": _service(world, world.mine, "Own clinic").pk}


ROUTES: dict[str, Route] = {
    "referrals:new": Route(
        allowed=REFERRERS, foreign=hidden_cases, own=own_case, ok_statuses={200, 400}
    ),
    "referrals:detail": Route(
        allowed=CASE_ROLES, foreign=hidden_referrals, own=own_referral, methods=("GET",)
    ),
    "referrals:step": Route(
        allowed=CASE_ROLES,
        foreign=hidden_referrals,
        own=own_referral,
        methods=("POST",),
        ok_statuses={302},
    ),
    "referrals:form_page": Route(
        allowed=REFERRERS, foreign=hidden_referrals, own=own_referral, methods=("GET",)
    ),
    "referrals:form_pdf": Route(
        allowed=REFERRERS, foreign=hidden_referrals, own=own_referral, methods=("GET",)
    ),
    "referrals:inbox": Route(allowed=PROVIDER, foreign=with_hidden_referrals, methods=("GET",)),
    "referrals:received": Route(
        allowed=PROVIDER, foreign=not_received, own=own_referral, methods=("GET",)
    ),
    "referrals:answer": Route(
        allowed=PROVIDER,
        foreign=not_received,
        own=own_referral,
        methods=("POST",),
        ok_statuses={302},
    ),
    "referrals:focal_points": Route(
        allowed={"manager"}, foreign=foreign_service, own=own_service, ok_statuses={200, 400}
    ),
}
