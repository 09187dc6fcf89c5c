"""Role matrix entries for the URLs of pcm.services."""

from __future__ import annotations

from collections.abc import Iterator

from pcm.accounts.models import Agency, User
from pcm.jobs.actions import enqueue
from pcm.services.models import DirectoryImport, FileFormat, Provider, Sector, Service
from pcm.services.tasks import IMPORT
from tests.matrix import Route, World

MAINTAINERS = {"manager"}
SEARCHERS = {"caseworker", "supervisor", "manager"}


def _service(agency: Agency, name: str) -> Service:
    provider, _ = Provider.objects.get_or_create(agency=agency, name=f"{name} provider")
    service, _ = Service.objects.get_or_create(
        provider=provider, name=name, defaults={"sector": Sector.LEGAL}
    )
    return service


def foreign_service(world: World, role: str) -> Iterator[dict[str, object]]:
    """A service of another agency's directory: nobody here may edit it."""
    yield {"pk": _service(world.personas.other_agency, "Foreign legal aid").pk}


def own_service(world: World, role: str) -> dict[str, object]:
    return {"pk": _service(world.personas.agency, "Own legal aid").pk}


def foreign_provider(world: World, role: str) -> Iterator[dict[str, object]]:
    yield {"pk": _service(world.personas.other_agency, "Foreign legal aid").provider_id}


def own_provider(world: World, role: str) -> dict[str, object]:
    return {"pk": _service(world.personas.agency, "Own legal aid").provider_id}


def with_foreign_service(world: World, role: str) -> Iterator[dict[str, object]]:
    _service(world.personas.other_agency, "Foreign legal aid")
    yield {}


def _import_of(owner: User) -> dict[str, object]:
    job = enqueue(IMPORT, owner=owner)
    assert owner.agency_id is not None
    DirectoryImport.objects.create(job=job, agency_id=owner.agency_id, file_format=FileFormat.CSV)
    return {"public_id": job.public_id}


def foreign_import(world: World, role: str) -> Iterator[dict[str, object]]:
    """Another agency's manager's import, and one of a caseworker of this agency: only the
    manager who uploaded a file sees how its import went."""
    yield _import_of(world.personas.outsider_manager)
    yield _import_of(world.personas.caseworker)


def own_import(world: World, role: str) -> dict[str, object]:
    user = world.user(role)
    assert user is not None
    return _import_of(user)


ROUTES: dict[str, Route] = {
    "services:directory": Route(allowed=SEARCHERS, foreign=with_foreign_service, methods=("GET",)),
    "services:new_provider": Route(allowed=MAINTAINERS, ok_statuses={200, 400}),
    "services:edit_provider": Route(
        allowed=MAINTAINERS, foreign=foreign_provider, own=own_provider, ok_statuses={200, 400}
    ),
    "services:new_service": Route(allowed=MAINTAINERS, ok_statuses={200, 400}),
    "services:edit_service": Route(
        allowed=MAINTAINERS, foreign=foreign_service, own=own_service, ok_statuses={200, 400}
    ),
    "services:set_active": Route(
        allowed=MAINTAINERS,
        foreign=foreign_service,
        own=own_service,
        methods=("POST",),
        ok_statuses={302},
    ),
    "services:export_xlsx": Route(
        allowed=SEARCHERS, foreign=with_foreign_service, methods=("GET",)
    ),
    "services:export_csv": Route(allowed=SEARCHERS, foreign=with_foreign_service, methods=("GET",)),
    "services:import": Route(allowed=MAINTAINERS, ok_statuses={200, 400}),
    "services:import_template": Route(allowed=MAINTAINERS, methods=("GET",)),
    "services:import_result": Route(
        allowed=MAINTAINERS, foreign=foreign_import, own=own_import, methods=("GET",)
    ),
    "services:import_progress": Route(
        allowed=MAINTAINERS, foreign=foreign_import, own=own_import, methods=("GET",)
    ),
}
