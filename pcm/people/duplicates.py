"""Possible duplicates: two registrations of one agency that may be the same person.

Found at registration (and after an edit of the fields they compare) through the blind indexes
only, never by decrypting anybody: the same duplicate key (the sound of the whole name, in any
script or spelling) with a date of birth within two years (or both unknown) and the same
location (or both unknown); or the same phone number. A flag is shown only to users who may see
BOTH people, so that it never reveals that a record they may not see exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from pcm.access.policy import cases_visible_to, people_visible_to
from pcm.people.models import (
    DuplicateFlag,
    DuplicateReason,
    DuplicateStatus,
    Person,
    PersonToken,
)
from pcm.vault.blind import duplicate_digest, phone_digest
from pcm.vault.fields import UnreadableValue

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from pcm.accounts.models import User
    from pcm.cases.models import Case

# How far apart two dates of birth may be for the same person (estimates are often rough).
BIRTH_TOLERANCE = timedelta(days=2 * 365 + 1)
# A registration is compared with at most this many earlier ones per reason.
MAX_CANDIDATES = 20


def _readable(value: str) -> str:
    return "" if isinstance(value, UnreadableValue) else value


def _holders(digest: int) -> QuerySet[PersonToken, Any]:
    return PersonToken.objects.filter(digest=digest).values("person_id")


def _close_birth(born: date | None) -> Q:
    if born is None:
        return Q(date_of_birth__isnull=True)
    return Q(date_of_birth__range=(born - BIRTH_TOLERANCE, born + BIRTH_TOLERANCE))


def _same_location(location_id: int | None) -> Q:
    if location_id is None:
        return Q(location__isnull=True)
    return Q(location_id=location_id)


def find_candidates(person: Person) -> dict[int, DuplicateReason]:
    """The ids of the agency's other people who may be PERSON, with why (name first)."""
    others = Person.objects.filter(agency_id=person.agency_id, anonymised_at__isnull=True).exclude(
        pk=person.pk
    )
    found: dict[int, DuplicateReason] = {}
    by_name = duplicate_digest(_readable(person.given_name), _readable(person.family_name))
    if by_name is not None:
        near = others.filter(
            _close_birth(person.date_of_birth),
            _same_location(person.location_id),
            pk__in=_holders(by_name),
        )
        for pk in near.order_by("-pk").values_list("pk", flat=True)[:MAX_CANDIDATES]:
            found[pk] = DuplicateReason.NAME_DOB_LOCATION
    by_phone = phone_digest(_readable(person.phone))
    if by_phone is not None:
        same_phone = others.filter(pk__in=_holders(by_phone))
        for pk in same_phone.order_by("-pk").values_list("pk", flat=True)[:MAX_CANDIDATES]:
            found.setdefault(pk, DuplicateReason.PHONE)
    return found


def new_flags(person: Person) -> list[DuplicateFlag]:
    """Flags (unsaved) for PERSON's candidates not already flagged with PERSON either way."""
    if person.anonymised_at is not None:
        return []
    candidates = find_candidates(person)
    if not candidates:
        return []
    already = set(
        DuplicateFlag.objects.filter(
            Q(person=person, candidate_id__in=candidates)
            | Q(candidate=person, person_id__in=candidates)
        ).values_list("person_id", "candidate_id")
    )
    flagged = {pk for pair in already for pk in pair} - {person.pk}
    return [
        DuplicateFlag(agency_id=person.agency_id, person=person, candidate_id=pk, reason=reason)
        for pk, reason in candidates.items()
        if pk not in flagged
    ]


# Who sees what -------------------------------------------------------------------------------


def flags_visible_to(user: User | AnonymousUser) -> QuerySet[DuplicateFlag, DuplicateFlag]:
    """The flags whose two people USER may both see (and only those)."""
    agency_id = getattr(user, "agency_id", None)
    if agency_id is None:
        return DuplicateFlag.objects.none()
    visible = people_visible_to(user).values("pk")
    return DuplicateFlag.objects.filter(
        agency_id=agency_id, person__in=visible, candidate__in=visible
    )


def open_flags_visible_to(user: User | AnonymousUser) -> QuerySet[DuplicateFlag, DuplicateFlag]:
    """Flags still to review; none about a person whose identity was erased meanwhile."""
    return flags_visible_to(user).filter(
        status=DuplicateStatus.OPEN,
        person__anonymised_at__isnull=True,
        candidate__anonymised_at__isnull=True,
    )


@dataclass(frozen=True)
class OtherRegistration:
    """What a case page says about another registration of its person."""

    flag: DuplicateFlag
    other: Person
    cases: list[Case]


def registrations_of(
    user: User | AnonymousUser, person: Person
) -> tuple[list[OtherRegistration], list[OtherRegistration]]:
    """(open flags, linked registrations) of PERSON that USER may see, with the other person's
    cases USER may see."""
    flags = (
        flags_visible_to(user)
        .filter(Q(person=person) | Q(candidate=person))
        .exclude(status=DuplicateStatus.DISMISSED)
        .select_related("person", "candidate")
        .order_by("-created_at")
    )
    found: list[OtherRegistration] = []
    for flag in flags:
        other = flag.candidate if flag.person_id == person.pk else flag.person
        found.append(OtherRegistration(flag, other, []))
    if found:
        cases = cases_visible_to(user).filter(person__in=[entry.other for entry in found])
        by_person: dict[int, list[Case]] = {}
        for case in cases.order_by("-opened_at"):
            by_person.setdefault(case.person_id, []).append(case)
        found = [
            OtherRegistration(entry.flag, entry.other, by_person.get(entry.other.pk, []))
            for entry in found
        ]
    pending = [entry for entry in found if entry.flag.status == DuplicateStatus.OPEN]
    linked = [entry for entry in found if entry.flag.status == DuplicateStatus.LINKED]
    return pending, linked
