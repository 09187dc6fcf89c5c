"""Keeping each person's blind-index hashes (PersonToken) in step with their encrypted fields."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction

from pcm.people.models import Person, PersonToken
from pcm.vault.blind import person_digests
from pcm.vault.fields import UnreadableValue

REINDEX_BATCH = 2000


def _readable(value: str) -> str:
    """VALUE, or nothing when its key is gone: "[unreadable]" must not become a name."""
    return "" if isinstance(value, UnreadableValue) else value


def tokens_for(person: Person) -> list[PersonToken]:
    if person.anonymised_at is not None:
        return []
    digests = person_digests(
        _readable(person.given_name), _readable(person.family_name), _readable(person.phone)
    )
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


def reindex_all(
    batch_size: int = REINDEX_BATCH,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> int:
    """Rebuild every person's hashes, batch by batch (after a change of index key or of the
    normalisation). Each batch is one transaction, so an interrupted run leaves every person
    either with their old hashes or their new ones, and running again finishes the work.
    Returns the number of people indexed."""
    total = Person.objects.count()
    done = 0
    last = 0
    fields = ("pk", "given_name", "family_name", "phone", "anonymised_at")
    while True:
        batch = list(Person.objects.filter(pk__gt=last).order_by("pk").only(*fields)[:batch_size])
        if not batch:
            return done
        with transaction.atomic():
            PersonToken.objects.filter(
                person_id__gte=batch[0].pk, person_id__lte=batch[-1].pk
            ).delete()
            index_people(batch)
        done += len(batch)
        last = batch[-1].pk
        progress(done, total)
