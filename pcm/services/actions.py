"""Keeping the directory: create, edit and deactivate providers and services, each audited."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, Generic, TypeVar

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from pcm.accounts.models import User
from pcm.audit.actions import record_event
from pcm.core.errors import ActionRefused, EditConflict
from pcm.jobs.actions import enqueue
from pcm.jobs.models import Job
from pcm.locations.models import Location
from pcm.services.directory import may_maintain
from pcm.services.models import DirectoryEvent, DirectoryImport, Provider, Service
from pcm.services.spreadsheet import normal
from pcm.services.spreadsheet_check import ServiceRow
from pcm.vault.crypto import encrypt_bytes

PROVIDER_FIELDS = [
    "name",
    "pcm_agency",
    "focal_point_name",
    "focal_point_phone",
    "focal_point_email",
]
SERVICE_FIELDS = [
    "provider",
    "name",
    "sector",
    "min_age",
    "max_age",
    "serves_female",
    "serves_male",
    "serves_other",
    "eligibility_notes",
    "languages",
    "accessible",
    "accessibility_note",
    "opening_hours",
    "cost",
    "how_to_refer",
    "response_days",
]


def _check_maintainer(user: User, agency_id: int | None) -> None:
    if not may_maintain(user) or agency_id != user.agency_id:
        raise ActionRefused(_("Only a manager of the agency can change its service directory."))


def _check_ages(data: dict[str, Any]) -> None:
    low, high = data.get("min_age"), data.get("max_age")
    if low is not None and high is not None and low > high:
        raise ActionRefused(_("The minimum age is above the maximum age."))


def _bump(
    model: type[Provider] | type[Service], pk: int, version: int, values: dict[str, Any]
) -> None:
    updated = model.objects.filter(pk=pk, version=version).update(
        version=F("version") + 1, **values
    )
    if not updated:
        raise EditConflict(
            _("Someone else changed this record while you were editing. Reload and try again.")
        )


@transaction.atomic
def save_provider(
    user: User, data: dict[str, Any], *, provider: Provider | None = None, version: int = 0
) -> Provider:
    values = {name: data[name] for name in PROVIDER_FIELDS}
    if provider is None:
        _check_maintainer(user, user.agency_id)
        agency_id = user.agency_id or 0  # a maintainer always has an agency
        if Provider.objects.filter(agency_id=agency_id, name=values["name"]).exists():
            raise ActionRefused(_("The directory already lists a provider with this name."))
        provider = Provider.objects.create(agency_id=agency_id, **values)
        event = "service_provider_created"
        changed = list(PROVIDER_FIELDS)
    else:
        _check_maintainer(user, provider.agency_id)
        duplicate = Provider.objects.filter(agency_id=provider.agency_id, name=values["name"])
        if duplicate.exclude(pk=provider.pk).exists():
            raise ActionRefused(_("The directory already lists a provider with this name."))
        changed = [name for name in PROVIDER_FIELDS if getattr(provider, name) != values[name]]
        _bump(Provider, provider.pk, version, values)
        provider.refresh_from_db()
        event = "service_provider_changed"
    record_event(event, actor=user, target=provider, agency=user.agency, fields=changed)
    return provider


@transaction.atomic
def save_service(
    user: User,
    data: dict[str, Any],
    locations: Iterable[Location],
    *,
    service: Service | None = None,
    version: int = 0,
) -> Service:
    values = {name: data[name] for name in SERVICE_FIELDS}
    provider: Provider = values["provider"]
    _check_maintainer(user, provider.agency_id)
    _check_ages(values)
    location_ids = sorted(location.pk for location in locations)
    if not location_ids:
        raise ActionRefused(_("Choose at least one area the service covers."))
    if service is None:
        service = Service.objects.create(**values)
        event = "service_created"
        changed = [*SERVICE_FIELDS, "locations"]
    else:
        _check_maintainer(user, service.provider.agency_id)
        changed = [name for name in SERVICE_FIELDS if getattr(service, name) != values[name]]
        before = sorted(service.locations.values_list("pk", flat=True))
        if before != location_ids:
            changed.append("locations")
        _bump(Service, service.pk, version, values)
        service.refresh_from_db()
        event = "service_changed"
    service.locations.set(location_ids)
    record_event(
        event,
        actor=user,
        target=service,
        agency=user.agency,
        fields=changed,
        detail={"provider": provider.pk},
    )
    return service


@transaction.atomic
def set_service_active(user: User, service: Service, active: bool, version: int) -> Service:
    _check_maintainer(user, service.provider.agency_id)
    if service.is_active == active:
        raise ActionRefused(
            _("The service is already active.") if active else _("The service is already inactive.")
        )
    _bump(Service, service.pk, version, {"is_active": active})
    service.refresh_from_db()
    record_event(
        "service_reactivated" if active else "service_deactivated",
        actor=user,
        target=service,
        agency=user.agency,
        fields=["is_active"],
    )
    return service


# --- The directory as a spreadsheet --------------------------------------------------------


@dataclass
class ImportCounts:
    providers_created: int = 0
    providers_updated: int = 0
    services_created: int = 0
    services_updated: int = 0
    services_unchanged: int = 0


def import_context(job: Job) -> str:
    """The encryption context of an import's uploaded file."""
    return f"services.import.{job.public_id}"


def request_directory_import(user: User, content: bytes, file_format: str) -> Job:
    """Queue the check and import of CONTENT (checked to be XLSX or CSV) into USER's
    agency's directory; the file is kept encrypted until the job ends."""
    from pcm.services.tasks import IMPORT

    _check_maintainer(user, user.agency_id)
    with transaction.atomic():
        job = enqueue(IMPORT, owner=user, params={"format": file_format})
        DirectoryImport.objects.create(
            job=job,
            agency_id=user.agency_id or 0,
            file_format=file_format,
            content=encrypt_bytes(content, import_context(job)),
        )
    return job


T = TypeVar("T")


class _Index(Generic[T]):
    """Records by name within a scope: the exact spelling first, else compared loosely."""

    def __init__(self) -> None:
        self.exact: dict[tuple[int, str], T] = {}
        self.loose: dict[tuple[int, str], T] = {}

    def add(self, scope: int, name: str, record: T) -> None:
        self.exact.setdefault((scope, name), record)
        self.loose.setdefault((scope, normal(name)), record)

    def get(self, scope: int, name: str) -> T | None:
        return self.exact.get((scope, name)) or self.loose.get((scope, normal(name)))


class _Importer:
    """Applies checked rows to one agency's directory, counting what it does."""

    def __init__(self, agency_id: int) -> None:
        self.agency_id = agency_id
        self.providers: _Index[Provider] = _Index()
        for provider in Provider.objects.filter(agency_id=agency_id).order_by("pk"):
            self.providers.add(0, provider.name, provider)
        self.services: _Index[tuple[Service, list[int]]] = _Index()
        services = Service.objects.filter(provider__agency_id=agency_id).prefetch_related(
            "locations"
        )
        for service in services.order_by("pk"):
            areas = sorted(location.pk for location in service.locations.all())
            self.services.add(service.provider_id, service.name, (service, areas))
        self.counts = ImportCounts()
        self.seen_providers: set[int] = set()
        self.ids: dict[str, list[int]] = {
            "providers_created": [],
            "providers_updated": [],
            "services_created": [],
            "services_updated": [],
        }

    def provider_for(self, row: ServiceRow) -> Provider:
        provider = self.providers.get(0, row.provider_name)
        if provider is None:
            provider = Provider.objects.create(
                agency_id=self.agency_id, name=row.provider_name, **row.provider
            )
            self.providers.add(0, provider.name, provider)
            self.counts.providers_created += 1
            self.ids["providers_created"].append(provider.pk)
        elif provider.pk not in self.seen_providers:
            changes = {k: v for k, v in row.provider.items() if getattr(provider, k) != v}
            if changes:
                Provider.objects.filter(pk=provider.pk).update(version=F("version") + 1, **changes)
                self.counts.providers_updated += 1
                self.ids["providers_updated"].append(provider.pk)
        self.seen_providers.add(provider.pk)
        return provider

    def apply(self, row: ServiceRow) -> None:
        provider = self.provider_for(row)
        found = self.services.get(provider.pk, row.name)
        if found is None:
            service = Service.objects.create(provider=provider, name=row.name, **row.values)
            service.locations.set(row.location_ids)
            self.counts.services_created += 1
            self.ids["services_created"].append(service.pk)
            return
        service, areas = found
        changes = {k: v for k, v in row.values.items() if getattr(service, k) != v}
        if not changes and areas == row.location_ids:
            self.counts.services_unchanged += 1
            return
        Service.objects.filter(pk=service.pk).update(version=F("version") + 1, **changes)
        if areas != row.location_ids:
            service.locations.set(row.location_ids)
        self.counts.services_updated += 1
        self.ids["services_updated"].append(service.pk)


@transaction.atomic
def import_directory(user: User, rows: Iterable[ServiceRow], *, job: Job) -> ImportCounts:
    """Apply checked ROWS to USER's agency's directory in one transaction: providers matched
    by name, services by provider and name; created, or updated (their version raised) where
    a value differs. Services absent from the rows are left as they are. One audit entry."""
    _check_maintainer(user, user.agency_id)
    importer = _Importer(user.agency_id or 0)
    for row in rows:
        importer.apply(row)
    counts = importer.counts
    record_event(
        DirectoryEvent.IMPORTED,
        actor=user,
        target=job,
        agency=user.agency,
        detail={"job": str(job.public_id), **asdict(counts), **importer.ids},
    )
    return counts


def record_directory_export(user: User, file_format: str, services: int) -> None:
    """The audit entry of a download of the directory (no personal data in it)."""
    with transaction.atomic():
        record_event(
            DirectoryEvent.EXPORTED,
            actor=user,
            agency=user.agency,
            detail={"format": file_format, "services": services},
        )
