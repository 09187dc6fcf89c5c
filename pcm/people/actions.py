"""Writes to service users' records: registration, edits, and resolving possible duplicates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pcm.access import policy
from pcm.audit.actions import record_event
from pcm.audit.models import AuditEventType
from pcm.core.errors import ActionRefused, EditConflict
from pcm.people.duplicates import flags_visible_to, new_flags
from pcm.people.models import DuplicateFlag, DuplicateStatus, Person

if TYPE_CHECKING:
    from pcm.accounts.models import User
    from pcm.cases.models import Case
    from pcm.locations.models import Location

# The fields a registration or an edit compares with other people to find duplicates.
_DUPLICATE_KEYS = ("given_name", "family_name", "date_of_birth", "phone", "location")


@dataclass(frozen=True)
class PersonDetails:
    """What a caseworker records about a person at registration or when correcting it."""

    given_name: str
    family_name: str
    sex: str
    date_of_birth: date | None
    date_of_birth_is_estimated: bool
    phone: str
    location: Location | None
    displacement_status: str
    languages: list[str] = field(default_factory=list)
    address: str = ""
    id_document_number: str = ""


def _flag_duplicates(person: Person, acting_user: User) -> None:
    """Record the possible duplicates of PERSON (blind indexes only; nobody is told here)."""
    flags = new_flags(person)
    for flag in flags:
        flag.save()
        record_event(
            AuditEventType.RECORD_CREATED,
            actor=acting_user,
            target=flag,
            agency=person.agency,
            fields=["person", "candidate", "reason"],
            detail={"person": person.pk, "candidate": flag.candidate_id, "reason": flag.reason},
        )


def register_person(details: PersonDetails, *, acting_user: User) -> Person:
    """Create a service user's record and flag possible duplicates. Runs inside the caller's
    transaction."""
    assert acting_user.agency is not None  # noqa: S101 - guaranteed by the access policy check
    person = Person.objects.create(
        agency=acting_user.agency,
        given_name=details.given_name,
        family_name=details.family_name,
        sex=details.sex,
        date_of_birth=details.date_of_birth,
        date_of_birth_is_estimated=details.date_of_birth_is_estimated,
        phone=details.phone,
        address=details.address,
        id_document_number=details.id_document_number,
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
    _flag_duplicates(person, acting_user)
    return person


def do_update_person(
    case: Case, details: PersonDetails, *, expected_version: int, acting_user: User
) -> Person:
    """Correct the record of CASE's service user (the caseworker or the team's supervisor)."""
    if not policy.can_work_on_case(acting_user, case):
        raise ActionRefused(_("Only the case's caseworker or their supervisor can do this."))
    if case.person.anonymised_at is not None:
        raise ActionRefused(_("This person's identifying details were erased; they stay erased."))
    with transaction.atomic(durable=True):
        person = Person.objects.select_for_update().get(pk=case.person_id)
        if person.version != expected_version:
            raise EditConflict(
                _(
                    "Someone changed this person's details while you were editing. Nothing was "
                    "saved; check the details as they are now and make your change again."
                )
            )
        changed = [name for name, value in vars(details).items() if getattr(person, name) != value]
        if not changed:
            return person
        for name in changed:
            setattr(person, name, getattr(details, name))
        person.version += 1
        person.save()
        record_event(
            AuditEventType.RECORD_CHANGED,
            actor=acting_user,
            target=person,
            agency=person.agency,
            fields=changed,
        )
        if set(changed) & set(_DUPLICATE_KEYS):
            _flag_duplicates(person, acting_user)
    return person


def do_resolve_duplicate(
    flag: DuplicateFlag, *, same_person: bool, note: str, acting_user: User
) -> DuplicateFlag:
    """Link the two registrations (the same person) or dismiss the flag (different people).

    Only a user who may see both people resolves a flag; anyone else is told nothing about it.
    """
    if not policy.can_work_with_cases(acting_user):
        raise ActionRefused(_("Your role cannot review possible duplicates."))
    with transaction.atomic(durable=True):
        current = flags_visible_to(acting_user).select_for_update().filter(pk=flag.pk).first()
        if current is None:
            raise ActionRefused(_("This possible duplicate is not among those you can review."))
        if current.status != DuplicateStatus.OPEN:
            raise EditConflict(
                _("Someone already resolved this possible duplicate: see what they decided.")
            )
        current.status = DuplicateStatus.LINKED if same_person else DuplicateStatus.DISMISSED
        current.resolution_note = note.strip()
        current.resolved_by = acting_user
        current.resolved_at = timezone.now()
        current.save()
        record_event(
            AuditEventType.RECORD_CHANGED,
            actor=acting_user,
            target=current,
            agency=current.agency,
            fields=["status", "resolution_note"] if current.resolution_note else ["status"],
            detail={"status": current.status},
        )
    return current
