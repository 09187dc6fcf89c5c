"""Role matrix entries for the URLs of pcm.closure."""

from __future__ import annotations

from collections.abc import Iterator

from pcm.accounts.models import Agency
from pcm.cases.models import Case
from pcm.closure.models import TransferRecord, TransferRequest, TransferStatus
from tests.factories import AgencyFactory
from tests.matrix import Route, World, hidden_cases, own_case


def _transfer(case: Case, to_agency: Agency) -> TransferRequest:
    assert case.assigned_to is not None
    transfer, _ = TransferRequest.objects.get_or_create(
        case=case,
        status=TransferStatus.PENDING,
        defaults={
            "case_number": case.number,
            "from_agency": case.agency,
            "from_team": case.team,
            "to_agency": to_agency,
            "reason": "Relocating; the receiving agency covers the new area.",
            "requested_by": case.assigned_to,
        },
    )
    return transfer


def _third_agency() -> Agency:
    agency, _ = Agency.objects.get_or_create(
        code="TRD", defaults={"name": "Third Agency", "country_code": "IQ"}
    )
    return agency


def _foreign_transfers(world: World) -> list[TransferRequest]:
    """Requests no role of the first agency may decide: they go to other agencies."""
    return [
        _transfer(world.colleague, world.personas.other_agency),
        _transfer(world.other_agency, _third_agency()),
    ]


def foreign_transfers(world: World, role: str) -> Iterator[dict[str, object]]:
    for transfer in _foreign_transfers(world):
        yield {"public_id": transfer.public_id}


def incoming_transfer(world: World, role: str) -> dict[str, object]:
    """A request from the other agency to the personas' agency: its supervisors decide it."""
    return {"public_id": _transfer(world.other_agency, world.personas.agency).public_id}


def with_foreign_transfers(world: World, role: str) -> Iterator[dict[str, object]]:
    """No arguments; the list must not show requests addressed to other agencies."""
    _foreign_transfers(world)
    yield {}


def with_foreign_stubs(world: World, role: str) -> Iterator[dict[str, object]]:
    """No arguments; stubs of another agency, and of another team, must not be listed."""
    personas = world.personas
    for case, team in (
        (world.other_agency, world.other_agency.team),
        (world.colleague, personas.other_team),
    ):
        TransferRecord.objects.get_or_create(
            old_number=case.number,
            defaults={
                "agency": case.agency,
                "team": team,
                "to_agency": AgencyFactory.create() if case is world.colleague else _third_agency(),
                "requested_by": case.assigned_to,
                "accepted_by": personas.outsider_supervisor,
            },
        )
    yield {}


ROUTES: dict[str, Route] = {
    "closure:request_closure": Route(allowed={"caseworker"}, foreign=hidden_cases, own=own_case),
    "closure:approve_closure": Route(
        allowed={"supervisor"}, foreign=hidden_cases, own=own_case, methods=("POST",)
    ),
    "closure:send_back_closure": Route(
        allowed={"supervisor"}, foreign=hidden_cases, own=own_case, methods=("POST",)
    ),
    "closure:record_survey": Route(allowed={"caseworker"}, foreign=hidden_cases, own=own_case),
    "closure:reopen_case": Route(
        allowed={"caseworker", "supervisor"}, foreign=hidden_cases, own=own_case
    ),
    "closure:request_transfer": Route(
        allowed={"caseworker", "supervisor"}, foreign=hidden_cases, own=own_case
    ),
    "closure:incoming_transfers": Route(
        allowed={"supervisor"}, foreign=with_foreign_transfers, methods=("GET",)
    ),
    "closure:incoming_transfer": Route(
        allowed={"supervisor"}, foreign=foreign_transfers, own=incoming_transfer, methods=("GET",)
    ),
    "closure:accept_transfer": Route(
        allowed={"supervisor"},
        foreign=foreign_transfers,
        own=incoming_transfer,
        methods=("POST",),
        ok_statuses={400},  # an empty form: refused for its content, not for the role
    ),
    "closure:decline_transfer": Route(
        allowed={"supervisor"},
        foreign=foreign_transfers,
        own=incoming_transfer,
        methods=("POST",),
        ok_statuses={400},
    ),
    "closure:transferred_out": Route(
        allowed={"supervisor", "manager"}, foreign=with_foreign_stubs, methods=("GET",)
    ),
}
