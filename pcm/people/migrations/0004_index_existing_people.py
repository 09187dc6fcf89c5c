"""Blind indexes for the people registered before they existed, so that search keeps working.

Reads each person's name and phone number (the historical model's encrypted fields decrypt
them, and pass through values written before encryption) and writes their keyed hashes, as
pcm.people.index.tokens_for does. Nothing is decrypted in SQL and nothing is logged.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

BATCH = 2000


def index_existing_people(apps: Any, schema_editor: Any) -> None:
    from pcm.vault.blind import person_digests
    from pcm.vault.fields import UnreadableValue

    def readable(value: str) -> str:
        return "" if isinstance(value, UnreadableValue) else value

    person_model = apps.get_model("people", "Person")
    token_model = apps.get_model("people", "PersonToken")
    database = schema_editor.connection.alias
    people = person_model.objects.using(database).filter(anonymised_at__isnull=True)
    last = 0
    while True:
        batch = list(
            people.filter(pk__gt=last)
            .order_by("pk")
            .only("pk", "given_name", "family_name", "phone")[:BATCH]
        )
        if not batch:
            return
        tokens = [
            token_model(person_id=person.pk, digest=value)
            for person in batch
            for value in person_digests(
                readable(person.given_name), readable(person.family_name), readable(person.phone)
            )
        ]
        token_model.objects.using(database).bulk_create(tokens, ignore_conflicts=True)
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("people", "0003_person_version_duplicateflag")]

    operations = [
        migrations.RunPython(index_existing_people, migrations.RunPython.noop, elidable=True),
    ]
