"""Keeping the directory: create, edit and deactivate providers and services, each audited."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from pcm.accounts.models import User
from pcm.audit.actions import record_event
from pcm.core.errors import ActionRefused, EditConflict
from pcm.locations.models import Location
from pcm.services.directory import may_maintain
from pcm.services.models import Provider, Service

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
