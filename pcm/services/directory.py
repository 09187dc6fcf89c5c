"""Who may use the directory, and the searches over it (a few queries, whatever the page size)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from pcm.accounts.models import Role, User
from pcm.locations.models import Location
from pcm.people.models import Sex
from pcm.services.models import Provider, Service

SEARCH_ROLES = {Role.CASEWORKER, Role.SUPERVISOR, Role.MANAGER}
MAX_DEPTH = 8  # administrative levels: a country has few


def _member(user: User | AnonymousUser) -> User | None:
    if isinstance(user, User) and user.is_active and user.agency_id is not None:
        return user
    return None


def may_search(user: User | AnonymousUser) -> bool:
    member = _member(user)
    return member is not None and member.role in SEARCH_ROLES


def may_maintain(user: User | AnonymousUser) -> bool:
    member = _member(user)
    return member is not None and member.role == Role.MANAGER


def providers_of(user: User) -> QuerySet[Provider]:
    return Provider.objects.filter(agency_id=user.agency_id or 0)


def services_of(user: User) -> QuerySet[Service]:
    """Every service in USER's agency's directory, active or not."""
    return Service.objects.filter(provider__agency_id=user.agency_id or 0)


def ancestors_and_self(location: Location) -> list[int]:
    """LOCATION and the areas it is part of: a service there also serves LOCATION."""
    ids = [location.pk]
    parent_id = location.parent_id
    while parent_id is not None and len(ids) < MAX_DEPTH:
        ids.append(parent_id)
        parent_id = Location.objects.filter(pk=parent_id).values_list("parent_id", flat=True)[0]
    return ids


def descendants(location: Location) -> list[int]:
    """The areas inside LOCATION, one query per level."""
    found: list[int] = []
    level = [location.pk]
    for _depth in range(MAX_DEPTH):
        level = list(Location.objects.filter(parent_id__in=level).values_list("pk", flat=True))
        if not level:
            break
        found.extend(level)
    return found


@dataclass
class Criteria:
    sector: str = ""
    location: Location | None = None
    age: int | None = None
    sex: str = ""
    text: str = ""


SEX_FIELDS = {Sex.FEMALE: "serves_female", Sex.MALE: "serves_male", Sex.OTHER: "serves_other"}


def matching(services: QuerySet[Service], criteria: Criteria, *, inside: bool) -> QuerySet[Service]:
    """SERVICES fitting CRITERIA. INSIDE: a place also matches services in its sub-areas."""
    services = services.filter(is_active=True)
    if criteria.sector:
        services = services.filter(sector=criteria.sector)
    if criteria.text:
        services = services.filter(
            Q(name__icontains=criteria.text) | Q(provider__name__icontains=criteria.text)
        )
    if criteria.location is not None:
        ids = ancestors_and_self(criteria.location)
        if inside:
            ids += descendants(criteria.location)
        matching_ids = Service.locations.through.objects.filter(location_id__in=ids).values(
            "service_id"
        )
        services = services.filter(pk__in=matching_ids)
    if criteria.age is not None:
        services = services.filter(Q(min_age__isnull=True) | Q(min_age__lte=criteria.age))
        services = services.filter(Q(max_age__isnull=True) | Q(max_age__gte=criteria.age))
    sex_field = SEX_FIELDS.get(criteria.sex)  # type: ignore[call-overload]
    if sex_field:
        services = services.filter(**{sex_field: True})
    return services.select_related("provider").prefetch_related("locations")


def search(user: User, criteria: Criteria) -> QuerySet[Service]:
    return matching(services_of(user), criteria, inside=True)
