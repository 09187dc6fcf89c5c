"""Existing databases keep searching: the data migration and `manage.py reindex_people` build
the blind indexes of people saved without them."""

from __future__ import annotations

import importlib
import io
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from pcm.people.models import Person, PersonToken
from pcm.people.search import find_people


@pytest.fixture
def unindexed(personas, case_for) -> list[Person]:
    """Three people whose index is gone, as in a database from before the indexes."""
    people = []
    for given, phone in (("Mohammed", "0750 111 2222"), ("Олена", ""), ("Zainab", "")):
        case = case_for(personas.caseworker)
        case.person.given_name, case.person.phone = given, phone
        case.person.save()
        people.append(case.person)
    PersonToken.objects.all().delete()
    assert not find_people(personas.caseworker, name="Muhammad").exists()
    return people


def test_the_migration_indexes_existing_people(personas, unindexed):
    migration = importlib.import_module("pcm.people.migrations.0004_index_existing_people")
    migration.index_existing_people(apps, SimpleNamespace(connection=connection))
    assert list(find_people(personas.caseworker, name="Muhammad")) == [unindexed[0]]
    assert list(find_people(personas.caseworker, name="Olena")) == [unindexed[1]]
    assert list(find_people(personas.caseworker, phone="+964750 111 2222")) == [unindexed[0]]
    # Running it again changes nothing.
    count = PersonToken.objects.count()
    migration.index_existing_people(apps, SimpleNamespace(connection=connection))
    assert PersonToken.objects.count() == count


def test_the_migration_reads_values_written_before_encryption(personas, unindexed):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE people_person SET given_name = %s WHERE id = %s", ["Huda", unindexed[2].pk]
        )
    migration = importlib.import_module("pcm.people.migrations.0004_index_existing_people")
    migration.index_existing_people(apps, SimpleNamespace(connection=connection))
    assert list(find_people(personas.caseworker, name="Huda")) == [unindexed[2]]


def test_reindex_people_rebuilds_every_index_in_batches(personas, unindexed):
    out = io.StringIO()
    call_command("reindex_people", batch_size=2, stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Indexed 2/3 people")
    assert lines[1].startswith("Indexed 3/3 people")
    assert lines[-1] == "Done: 3 people indexed."
    assert list(find_people(personas.caseworker, name="محمد")) == [unindexed[0]]
    assert "Mohammed" not in out.getvalue()  # progress, never names


def test_reindex_people_replaces_stale_entries(personas, unindexed):
    person = unindexed[0]
    PersonToken.objects.create(person=person, digest=12345)
    call_command("reindex_people", stdout=io.StringIO())
    assert not PersonToken.objects.filter(digest=12345).exists()
    assert list(find_people(personas.caseworker, name="Mohammed")) == [person]


def test_anonymised_people_are_not_indexed(personas, unindexed):
    Person.objects.filter(pk=unindexed[0].pk).update(anonymised_at="2026-01-01T00:00:00Z")
    call_command("reindex_people", stdout=io.StringIO())
    assert not PersonToken.objects.filter(person=unindexed[0]).exists()


def test_a_bad_batch_size_is_refused(db):
    with pytest.raises(CommandError, match="at least 1"):
        call_command("reindex_people", batch_size=0)


def test_the_demo_seed_leaves_every_person_searchable(db, settings):
    from pcm.accounts.models import User
    from pcm.cases.search import search_cases

    settings.DEMO = True
    call_command("seed", cases=120, stdout=io.StringIO())
    people = Person.objects.all()
    indexed = set(PersonToken.objects.values_list("person_id", flat=True).distinct())
    assert indexed == set(people.values_list("pk", flat=True))
    caseworker = User.objects.get(username="caseworker")
    case = search_cases(caseworker, "").first()
    assert case is not None
    assert case in search_cases(caseworker, case.person.given_name)
    assert case in search_cases(caseworker, case.person.full_name.upper())
