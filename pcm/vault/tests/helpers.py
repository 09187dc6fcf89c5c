"""Reading what the database stores, raw and decrypted, for the vault's tests."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import F, TextField
from django.db.models.functions import Cast

from pcm.vault import keys
from pcm.vault.fields import encrypted_fields


def write_raw(model: Any, name: str, pk: int, stored: str) -> None:
    column = model._meta.get_field(name).column
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(model._meta.db_table)} SET {quote(column)} = %s WHERE id = %s",  # noqa: S608
            [stored, pk],
        )


def stored_tokens() -> dict[tuple[str, str, object], str]:
    """Every non-empty stored value of every encrypted column, as the database holds it."""
    found = {}
    for field in encrypted_fields():
        rows = (
            field.model._base_manager.annotate(raw=Cast(F(field.name), TextField()))
            .exclude(raw="")
            .values_list("pk", "raw")
        )
        for pk, raw in rows:
            found[(field.model._meta.label, field.name, pk)] = raw
    return found


def plain_values() -> dict[tuple[str, str, object], str]:
    """Every non-empty encrypted value as the application reads it."""
    keys.forget_keyring()
    found = {}
    for field in encrypted_fields():
        for record in field.model._base_manager.all():
            value = getattr(record, field.name)
            if value:
                found[(field.model._meta.label, field.name, record.pk)] = str(value)
    return found
