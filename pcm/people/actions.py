"""Writes to service users' records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from pcm.audit.actions import record_event
from pcm.audit.models import AuditEventType
from pcm.people.models import Person

if TYPE_CHECKING:
    from pcm.accounts.models import User
    from pcm.locations.models import Location


@dataclass(frozen=True)
class PersonDetails:
    """What a caseworker records about a person at registration."""

    given_name: str
    family_name: str
    sex: str
    date_of_birth: date | None
    date_of_birth_is_estimated: bool
    phone: str
    location: Location | None
    displacement_status: str
    languages: list[str] = field(default_factory=list)


def register_person(details: PersonDetails, *, acting_user: User) -> Person:
    """Create a service user's record. Runs inside the caller's transaction."""
    assert acting_user.agency is not None  # noqa: S101 - guaranteed by the access policy check
    person = Person.objects.create(
        agency=acting_user.agency,
        given_name=details.given_name,
        family_name=details.family_name,
        sex=details.sex,
        date_of_birth=details.date_of_birth,
        date_of_birth_is_estimated=details.date_of_birth_is_estimated,
        phone=details.phone,
        location=details.location,
        displacement_status=details.displacement_status,
        languages=details.languages,
        registered_by=acting_user,
    )
    record_event(
        AuditEventType.PERSON_REGISTERED,
        actor=acting_user,
        target=person,
        agency=acting_user.agency,
        fields=[name for name, value in vars(details).items() if value not in ("", None, [])],
    )
    return person
