"""Keeping each person's blind-index hashes (PersonToken) in step with their encrypted fields."""

from __future__ import annotations

from collections.abc import Iterable

from pcm.people.models import Person, PersonToken
from pcm.vault.blind import person_digests


def tokens_for(person: Person) -> list[PersonToken]:
    if person.anonymised_at is not None:
        return []
    digests = person_digests(person.given_name, person.family_name, person.phone)
    return [PersonToken(person_id=person.pk, digest=value) for value in digests]


def index_person(person: Person) -> None:
    """Replace PERSON's hashes (called whenever a person is saved)."""
    PersonToken.objects.filter(person_id=person.pk).delete()
    PersonToken.objects.bulk_create(tokens_for(person))


def index_people(people: Iterable[Person], batch_size: int = 5000) -> int:
    """Add the hashes of people saved without signals (bulk_create); returns the rows written."""
    batch: list[PersonToken] = []
    written = 0
    for person in people:
        batch.extend(tokens_for(person))
        if len(batch) >= batch_size:
            PersonToken.objects.bulk_create(batch, ignore_conflicts=True)
            written += len(batch)
            batch = []
    if batch:
        PersonToken.objects.bulk_create(batch, ignore_conflicts=True)
        written += len(batch)
    return written
