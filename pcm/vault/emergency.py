"""The emergency purge: destroy the keys so that every identifying value becomes unreadable at once.

When an office is raided or a server seized, deleting records takes too long and leaves copies
(backups, replicas, free pages). The purge instead destroys what makes them readable:
- the data keys and the index key are replaced by new random ones (a new keyring generation;
  the audit key stays, so the audit trail remains verifiable), the old key file's bytes are
  overwritten before it is replaced, and the keyring's temporary copies are removed;
- every blind-index hash (PersonToken) is deleted;
- values stored before encryption was switched on (plaintext) are overwritten;
- every app's `<app>/purge.py` module (`def purge() -> int`) removes what it keeps sealed
  elsewhere (e.g. encrypted attachment files).
Sex, age, location, risk, status and dates are not encrypted: the statistics survive. Backups
of the database made before the purge are as unreadable as the live database, as long as no
copy of the old keyring survives (see docs/admin-guide.md: never back the keyring up next to
the database).
"""

from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import F, Q, TextField
from django.db.models.functions import Cast

from pcm.vault import crypto, keys
from pcm.vault.fields import encrypted_fields
from pcm.vault.models import VaultEvent

if TYPE_CHECKING:
    from pcm.accounts.models import User

logger = logging.getLogger(__name__)

# What an operator types to confirm (the same for every agency and language, on purpose).
CONFIRMATION_PHRASE = "DESTROY ALL IDENTIFYING DATA"
HOOK_MODULE = "purge"
# What a plaintext value becomes: a token no key opens (it reads as "[unreadable]").
PURGED_TOKEN = f"{crypto.PREFIX}purged$"


class PurgeImpossible(Exception):
    """The purge cannot run here (the message says why); nothing was changed."""


@dataclass
class PurgeReport:
    generation: int
    data_keys_destroyed: int
    keyring_copies_removed: int
    index_entries_deleted: int
    plaintext_values_overwritten: int
    hooks: dict[str, int] = field(default_factory=dict)

    def counts(self) -> dict[str, Any]:
        return {
            "generation": self.generation,
            "data_keys_destroyed": self.data_keys_destroyed,
            "keyring_copies_removed": self.keyring_copies_removed,
            "index_entries_deleted": self.index_entries_deleted,
            "plaintext_values_overwritten": self.plaintext_values_overwritten,
            "hooks": dict(self.hooks),
        }


def check_possible() -> keys.Keyring:
    """The keyring the purge would replace; raises PurgeImpossible if PCM cannot rewrite it."""
    keys.forget_keyring()
    ring = keys.keyring()
    if ring.path is None:
        raise PurgeImpossible(
            "The keyring comes from the PCM_KEYRING environment variable: PCM cannot destroy "
            "it. Remove PCM_KEYRING (and PCM_KEYRING_FILE's file) from wherever it is kept, "
            "then restart PCM with a new keyring."
        )
    return ring


def keyring_copies(path: Path) -> list[Path]:
    """Copies of the keyring file that PCM itself may have left: unfinished temporary writes."""
    if not path.parent.is_dir():
        return []
    return sorted(path.parent.glob(f".{path.name}.*"))


def _overwrite(handle: Any, size: int) -> None:
    handle.seek(0)
    remaining = size
    while remaining > 0:
        chunk = min(remaining, 65536)
        handle.write(secrets.token_bytes(chunk))
        remaining -= chunk
    handle.flush()
    os.fsync(handle.fileno())


def _shred(path: Path) -> bool:
    """Overwrite PATH's bytes with random ones, then remove it."""
    try:
        with path.open("r+b") as handle:
            _overwrite(handle, os.fstat(handle.fileno()).st_size)
        path.unlink()
    except FileNotFoundError:
        return False
    return True


def destroy_keys(ring: keys.Keyring) -> tuple[keys.Keyring, int, int]:
    """Replace RING's data and index keys; (new keyring, data keys destroyed, copies removed)."""
    assert ring.path is not None  # noqa: S101 - check_possible refused the environment keyring
    key_id = keys.new_key_id()
    while key_id in ring.data_keys:
        key_id = keys.new_key_id()
    fresh = keys.Keyring(
        data_keys={key_id: secrets.token_bytes(keys.KEY_BYTES)},
        active=key_id,
        index_key=secrets.token_bytes(keys.KEY_BYTES),
        audit_key=ring.audit_key,
        generation=ring.generation + 1,
        path=ring.path,
    )
    # Hold the old file open: once the new one has replaced it, overwrite the old bytes.
    try:
        old = ring.path.open("r+b")
    except FileNotFoundError:
        old = None
    try:
        keys.write_keyring(fresh)
        if old is not None:
            _overwrite(old, os.fstat(old.fileno()).st_size)
    finally:
        if old is not None:
            old.close()
    keys.forget_keyring()
    removed = sum(1 for copy in keyring_copies(ring.path) if _shred(copy))
    return fresh, len(ring.data_keys), removed


def _overwrite_plaintext() -> int:
    """Replace values stored before encryption with a token no key opens."""
    overwritten = 0
    for model_field in encrypted_fields():
        model = model_field.model
        stored = Cast(F(model_field.name), TextField())
        rows = (
            model._base_manager.annotate(pcm_raw=stored)
            .exclude(pcm_raw="")
            .exclude(pcm_raw__isnull=True)
            .exclude(pcm_raw__startswith=crypto.PREFIX)
        )
        pks = list(rows.values_list("pk", flat=True))
        if pks:
            quote = connection.ops.quote_name
            pk_field = model._meta.pk
            assert pk_field is not None  # noqa: S101
            # Quoted names from the model's metadata, never from input.
            sql = (
                f"UPDATE {quote(model._meta.db_table)} SET {quote(model_field.column)} = %s "  # noqa: S608
                f"WHERE {quote(pk_field.column)} = %s"
            )
            with connection.cursor() as cursor:
                cursor.executemany(
                    sql, [(PURGED_TOKEN, pk_field.get_db_prep_value(pk, connection)) for pk in pks]
                )
            overwritten += len(pks)
    return overwritten


def _sqlite(statement: str) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(statement)


def emergency_purge(*, actor: User | None = None) -> PurgeReport:
    """Destroy the data and index keys and what they protect outside the encrypted columns."""
    from pcm.audit.actions import record_event
    from pcm.core.discovery import app_modules
    from pcm.people.models import PersonToken

    ring = check_possible()
    # 1. The keys first: from this moment nothing identifying can be read.
    fresh, destroyed, copies = destroy_keys(ring)
    logger.warning(
        "Emergency purge: data and index keys destroyed (generation %s).", fresh.generation
    )
    # SQLite: zero what is deleted or overwritten instead of leaving it in free pages.
    _sqlite("PRAGMA secure_delete = ON")
    with transaction.atomic():
        plaintext = _overwrite_plaintext()
        deleted, _by_model = PersonToken.objects.all().delete()
    report = PurgeReport(
        generation=fresh.generation,
        data_keys_destroyed=destroyed,
        keyring_copies_removed=copies,
        index_entries_deleted=deleted,
        plaintext_values_overwritten=plaintext,
    )
    for module in app_modules(HOOK_MODULE):
        report.hooks[module.__name__] = int(module.purge())
    with transaction.atomic():
        record_event(VaultEvent.EMERGENCY_PURGE, actor=actor, detail=report.counts())
    # Push the WAL into the database file so no old page version stays in the -wal file
    # (impossible inside an outer transaction; the next checkpoint does it then).
    if not connection.in_atomic_block:
        _sqlite("PRAGMA wal_checkpoint(TRUNCATE)")
    return report


def is_unreadable_everywhere() -> bool:
    """True when no encrypted value in the database can be read with the current keyring."""
    for model_field in encrypted_fields():
        rows = (
            model_field.model._base_manager.annotate(pcm_raw=Cast(F(model_field.name), TextField()))
            .exclude(Q(pcm_raw="") | Q(pcm_raw__isnull=True))
            .values_list("pcm_raw", flat=True)
        )
        context = model_field.context()
        for stored in rows.iterator():
            if not crypto.is_encrypted(stored):
                return False  # plaintext, written before encryption
            try:
                crypto.decrypt_text(stored, context)
            except crypto.Unreadable:
                continue
            return False
    return True
