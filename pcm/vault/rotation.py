"""Key rotation: re-encrypt every encrypted column with a new data key, or rebuild the blind index.

A data-key rotation
1. adds a new data key to the keyring and makes it active (other processes pick it up within
   keys.RECHECK_SECONDS, so the rotation waits a little longer before it starts);
2. walks each table with encrypted columns in batches of primary keys, reading the stored tokens
   raw (no decryption by the field), re-encrypting those sealed with another key and sealing any
   value written before encryption was switched on; each batch is committed with its progress
   (RotationProgress), so an interrupted rotation resumes where it stopped;
3. checks that no readable value still uses an old key, then removes the old keys from the keyring.

A write only replaces the token it read (compare-and-set), so an edit made by a user during the
rotation is never overwritten. Values that no key opens (after an emergency purge, or altered)
are left as they are and counted.

Other apps that seal data with the data keys (e.g. attachment files) or keep blind-index hashes
take part through a `<app>/key_rotation.py` module with any of
- `reencrypt(batch_size: int) -> int`: re-seal with the active key what an
  older key sealed (idempotent: run again after an interruption); returns how many it rewrote;
- `references(key_ids: set[str]) -> int`: how many readable items the keys KEY_IDS still seal
  (the old keys are retired only when every app answers 0);
- `reindex(batch_size: int) -> int`: recompute hashes made with the index key (after --index).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import IntegrityError, connection, models, transaction
from django.db.models import F, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from pcm.vault import crypto, keys
from pcm.vault.fields import EncryptedTextField, UnreadableValue, encrypted_fields
from pcm.vault.models import KeyRotation, RotationKind, RotationProgress, VaultEvent

HOOK_MODULE = "key_rotation"
DEFAULT_BATCH_SIZE = 1000
# How often a long table prints where it is.
PROGRESS_EVERY_SECONDS = 5.0

Say = Callable[[str], None]


class RotationError(Exception):
    """The rotation cannot go on; the message says why and what to do."""


def settle_seconds() -> float:
    """How long to wait after changing the keyring until every process uses the new one."""
    return 2 * keys.RECHECK_SECONDS + 0.5


def batch_done(progress: RotationProgress) -> None:
    """Called after each committed batch (tests interrupt a rotation here)."""


def index_fingerprint(index_key: bytes) -> str:
    """A name for an index key that reveals nothing about it."""
    return hashlib.sha256(b"pcm index key fingerprint:" + index_key).hexdigest()[:16]


@dataclass
class TableReport:
    table: str
    rows: int = 0
    rewritten: int = 0
    plaintext: int = 0
    unreadable: int = 0
    seconds: float = 0.0
    resumed: bool = False

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0


@dataclass
class RotationReport:
    kind: str
    target: str
    resumed: bool
    tables: list[TableReport] = field(default_factory=list)
    retired_keys: list[str] = field(default_factory=list)
    kept_keys: list[str] = field(default_factory=list)
    hooks: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(table.rows for table in self.tables)

    @property
    def rewritten(self) -> int:
        return sum(table.rewritten + table.plaintext for table in self.tables)

    @property
    def unreadable(self) -> int:
        return sum(table.unreadable for table in self.tables)


def _hooks() -> Iterable[Any]:
    """The apps' `key_rotation` modules."""
    from pcm.core.discovery import app_modules

    return app_modules(HOOK_MODULE)


def _reencrypt(module: Any, batch_size: int) -> int | None:
    """Call MODULE's re-encryption hook (`reencrypt`), if it has one."""
    hook = getattr(module, "reencrypt", None)
    return int(hook(batch_size)) if callable(hook) else None


def _quiet(message: str) -> None:
    pass


# Which tables --------------------------------------------------------------------------------


def encrypted_tables() -> dict[str, tuple[type[models.Model], list[EncryptedTextField]]]:
    """Each model with encrypted columns (by label), with those columns."""
    tables: dict[str, tuple[type[models.Model], list[EncryptedTextField]]] = {}
    for model_field in encrypted_fields():
        model = model_field.model
        label = model._meta.label
        if label not in tables:
            tables[label] = (model, [])
        tables[label][1].append(model_field)
    return tables


# Starting or resuming -------------------------------------------------------------------------


def _fresh_keyring() -> keys.Keyring:
    """The keyring as the file holds it now (not a cached copy)."""
    keys.forget_keyring()
    ring = keys.keyring()
    if ring.path is None:
        raise RotationError(
            "The keyring comes from the PCM_KEYRING environment variable, which PCM cannot "
            "rewrite. Point PCM_KEYRING_PATH at a key file instead (unset PCM_KEYRING), or "
            "rotate by hand: see docs/admin-guide.md."
        )
    return ring


def _close_stale(rotation: KeyRotation, say: Say) -> None:
    say(
        f"An unfinished {rotation.kind} rotation of {rotation.started_at:%Y-%m-%d %H:%M} belongs "
        "to keys that are gone (emergency purge or a replaced keyring): starting a new one."
    )
    rotation.finished_at = timezone.now()
    rotation.abandoned = True
    rotation.save(update_fields=["finished_at", "abandoned"])


def _unfinished(kind: str) -> KeyRotation | None:
    return KeyRotation.objects.filter(kind=kind, finished_at__isnull=True).first()


def start_data_rotation(say: Say = _quiet, settle: float | None = None) -> tuple[KeyRotation, bool]:
    """The unfinished data-key rotation, or a new one with a new active key; and if resumed."""
    ring = _fresh_keyring()
    rotation = _unfinished(RotationKind.DATA)
    if rotation is not None:
        if rotation.target in ring.data_keys and rotation.generation == ring.generation:
            if ring.active != rotation.target:
                raise RotationError(
                    f"The keyring's active key is {ring.active}, but the unfinished rotation "
                    f"writes with {rotation.target}: was the keyring edited by hand? Make "
                    f"{rotation.target} active again, then run rotate_keys."
                )
            say(f"Resuming the rotation to data key {rotation.target}.")
            _settle(settle, say)
            return rotation, True
        _close_stale(rotation, say)
    key_id = keys.new_key_id()
    while key_id in ring.data_keys:
        key_id = keys.new_key_id()
    # The record first: it keeps a second rotate_keys from starting meanwhile. Should the
    # keyring write below fail, the next run finds the record's key missing and starts afresh.
    rotation = _create(RotationKind.DATA, key_id, ring.generation)
    rotated = replace(
        ring,
        data_keys={**ring.data_keys, key_id: secrets.token_bytes(keys.KEY_BYTES)},
        active=key_id,
    )
    keys.write_keyring(rotated)
    keys.forget_keyring()
    say(f"Added data key {key_id}; it is now the active key for new writes.")
    _settle(settle, say)
    return rotation, False


def _create(kind: str, target: str, generation: int) -> KeyRotation:
    try:
        with transaction.atomic():
            return KeyRotation.objects.create(kind=kind, target=target, generation=generation)
    except IntegrityError as exc:
        raise RotationError(
            "Another rotate_keys is running (it started a rotation just now): let it finish."
        ) from exc


def _settle(settle: float | None, say: Say) -> None:
    seconds = settle_seconds() if settle is None else settle
    if seconds > 0:
        say(f"Waiting {seconds:.1f} s until every PCM process uses the new keyring.")
        time.sleep(seconds)


# Re-encrypting ----------------------------------------------------------------------------------


def _reseal(stored: str | None, context: str, target: str, report: TableReport) -> str | None:
    """The token STORED should become under TARGET, or None to leave it as it is."""
    if stored is None or stored == "":
        return None
    if crypto.is_encrypted(stored):
        if crypto.key_id_of(stored) == target:
            return None
        try:
            plain = crypto.decrypt_text(stored, context)
        except crypto.Unreadable:
            report.unreadable += 1
            return None
        report.rewritten += 1
    else:
        plain = stored
        report.plaintext += 1
    return crypto.encrypt_text(plain, context, key_id=target)


def _raw_rows(
    queryset: models.QuerySet[Any], columns: list[EncryptedTextField]
) -> list[tuple[Any, ...]]:
    """(pk, stored token of each column...) without the fields decrypting anything."""
    aliases = {
        f"pcm_raw_{i}": Cast(F(column.name), TextField()) for i, column in enumerate(columns)
    }
    return list(queryset.annotate(**aliases).values_list("pk", *aliases))


def _write(
    model: type[models.Model], column: EncryptedTextField, changes: list[tuple[str, Any, str]]
) -> int:
    """Store each (new token, pk, old token) where the column still holds the old token."""
    if not changes:
        return 0
    quote = connection.ops.quote_name
    table, pk_column = model._meta.db_table, model._meta.pk.column
    # Quoted names from the model's metadata, never from input.
    sql = (
        f"UPDATE {quote(table)} SET {quote(column.column)} = %s "  # noqa: S608
        f"WHERE {quote(pk_column)} = %s AND {quote(column.column)} = %s"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, changes)
    return len(changes)


def _reseal_rows(
    model: type[models.Model],
    columns: list[EncryptedTextField],
    rows: list[tuple[Any, ...]],
    target: str,
    report: TableReport,
) -> None:
    contexts = [column.context() for column in columns]
    pk_field = model._meta.pk
    assert pk_field is not None  # noqa: S101 - every concrete model has one
    keys_in_db = [pk_field.get_db_prep_value(row[0], connection) for row in rows]
    for index, column in enumerate(columns):
        changes = []
        for row, pk_in_db in zip(rows, keys_in_db, strict=True):
            stored = row[index + 1]
            sealed = _reseal(stored, contexts[index], target, report)
            if sealed is not None:
                changes.append((sealed, pk_in_db, stored))
        _write(model, column, changes)


def _after(model: type[models.Model], last_pk: str) -> models.QuerySet[Any]:
    """The rows of MODEL after the primary key LAST_PK (all of them for ""), in key order."""
    rows = model._base_manager.order_by("pk")
    if last_pk:
        rows = rows.filter(pk__gt=model._meta.pk.to_python(last_pk))
    return rows


def _rotate_table(
    rotation: KeyRotation,
    label: str,
    model: type[models.Model],
    columns: list[EncryptedTextField],
    batch_size: int,
    say: Say,
) -> TableReport:
    progress, created = RotationProgress.objects.get_or_create(rotation=rotation, table=label)
    report = TableReport(
        table=label,
        rows=progress.rows,
        rewritten=progress.rewritten,
        plaintext=progress.plaintext,
        unreadable=progress.unreadable,
        seconds=progress.seconds,
        resumed=not created and (progress.last_pk != "" or progress.finished),
    )
    if progress.finished:
        return report
    if report.resumed:
        say(f"  {label}: resuming after row {progress.last_pk} ({progress.rows} rows done)")
    last_said = time.monotonic()
    while True:
        started = time.perf_counter()
        if keys.keyring().active != rotation.target:
            raise RotationError(
                f"The keyring's active key changed during the rotation (now "
                f"{keys.keyring().active}, expected {rotation.target}); run rotate_keys again."
            )
        rows = _raw_rows(_after(model, progress.last_pk)[:batch_size], columns)
        with transaction.atomic():
            batch = TableReport(table=label)
            if rows:
                _reseal_rows(model, columns, rows, rotation.target, batch)
                progress.last_pk = str(rows[-1][0])
            else:
                progress.finished = True
            batch.seconds = time.perf_counter() - started
            for name in ("rows", "rewritten", "plaintext", "unreadable", "seconds"):
                increment = len(rows) if name == "rows" else getattr(batch, name)
                setattr(progress, name, getattr(progress, name) + increment)
                setattr(report, name, getattr(report, name) + increment)
            progress.save()
        if progress.finished:
            return report
        batch_done(progress)
        if time.monotonic() - last_said > PROGRESS_EVERY_SECONDS:
            last_said = time.monotonic()
            say(f"  {label}: {report.rows} rows, {report.rate:,.0f} rows/s")


# Checking and retiring ------------------------------------------------------------------------


def _old_references(
    model: type[models.Model], column: EncryptedTextField, target: str
) -> models.QuerySet[Any]:
    """Rows of MODEL whose COLUMN is sealed with a key other than TARGET."""
    rows: models.QuerySet[Any] = (
        model._base_manager.annotate(pcm_raw=Cast(F(column.name), TextField()))
        .filter(pcm_raw__startswith=crypto.PREFIX)
        .exclude(pcm_raw__startswith=f"{crypto.PREFIX}{target}$")
    )
    return rows


def _sweep_old_references(rotation: KeyRotation, batch_size: int, say: Say) -> tuple[int, int]:
    """Re-seal what was written with an old key during the rotation; (resealed, unreadable)."""
    resealed = unreadable = 0
    for model, columns in encrypted_tables().values():
        for column in columns:
            report = TableReport(table=model._meta.label)
            last_pk: Any = None
            while True:
                found = _old_references(model, column, rotation.target).order_by("pk")
                if last_pk is not None:
                    found = found.filter(pk__gt=last_pk)
                rows = _raw_rows(found[:batch_size], [column])
                if not rows:
                    break
                with transaction.atomic():
                    _reseal_rows(model, [column], rows, rotation.target, report)
                last_pk = rows[-1][0]
            resealed += report.rewritten
            unreadable += report.unreadable
    if resealed:
        say(f"Re-encrypted {resealed} values written with an old key during the rotation.")
    return resealed, unreadable


def readable_old_references(target: str) -> int:
    """How many stored values an old key (not TARGET) still opens: retiring would lose them."""
    found = 0
    for model, columns in encrypted_tables().values():
        for column in columns:
            context = column.context()
            rows = _raw_rows(_old_references(model, column, target).order_by("pk"), [column])
            for _pk, stored in rows:
                try:
                    crypto.decrypt_text(stored, context)
                except crypto.Unreadable:
                    continue
                found += 1
    return found


def _retire(rotation: KeyRotation, report: RotationReport, say: Say) -> None:
    ring = _fresh_keyring()
    old = sorted(key_id for key_id in ring.data_keys if key_id != rotation.target)
    if not old:
        return
    blocking = readable_old_references(rotation.target)
    for module in _hooks():
        if hasattr(module, "references"):
            blocking += int(module.references(set(old)))
    if blocking:
        raise RotationError(
            f"{blocking} values are still sealed with an old key; the old keys stay. "
            "Run rotate_keys again to finish."
        )
    keys.write_keyring(replace(ring, data_keys={rotation.target: ring.data_keys[rotation.target]}))
    keys.forget_keyring()
    report.retired_keys = old
    say(f"Retired old data keys: {', '.join(old)}.")


def _finish(rotation: KeyRotation, event: str, detail: dict[str, Any]) -> None:
    from pcm.audit.actions import record_event

    with transaction.atomic():
        rotation.finished_at = timezone.now()
        rotation.save(update_fields=["finished_at", "retired_keys"])
        record_event(event, actor=None, target=rotation, detail=detail)


def rotate_data_keys(
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    keep_old_keys: bool = False,
    say: Say = _quiet,
    settle: float | None = None,
) -> RotationReport:
    """Run (or resume) a data-key rotation to its end."""
    if batch_size < 1:
        raise RotationError("The batch size must be at least 1.")
    started = time.perf_counter()
    rotation, resumed = start_data_rotation(say, settle)
    report = RotationReport(kind=RotationKind.DATA, target=rotation.target, resumed=resumed)
    for label, (model, columns) in encrypted_tables().items():
        table = _rotate_table(rotation, label, model, columns, batch_size, say)
        report.tables.append(table)
        if table.rows:
            say(
                f"  {label}: {table.rows} rows, {table.rewritten} re-encrypted, "
                f"{table.plaintext} sealed, {table.unreadable} unreadable "
                f"({table.rate:,.0f} rows/s)"
            )
    for module in _hooks():
        rewritten = _reencrypt(module, batch_size)
        if rewritten is not None:
            report.hooks[module.__name__] = rewritten
    _resealed, _unreadable = _sweep_old_references(rotation, batch_size, say)
    if keep_old_keys:
        ring = _fresh_keyring()
        report.kept_keys = sorted(k for k in ring.data_keys if k != rotation.target)
    else:
        _retire(rotation, report, say)
    rotation.retired_keys = report.retired_keys
    report.seconds = time.perf_counter() - started
    _finish(
        rotation,
        VaultEvent.DATA_KEYS_ROTATED,
        {
            "key": rotation.target,
            "rows": report.rows,
            "rewritten": report.rewritten,
            "unreadable": report.unreadable,
            "retired": report.retired_keys,
        },
    )
    return report


# The index key --------------------------------------------------------------------------------


def start_index_rotation(
    say: Say = _quiet, settle: float | None = None
) -> tuple[KeyRotation, bool]:
    ring = _fresh_keyring()
    rotation = _unfinished(RotationKind.INDEX)
    if rotation is not None:
        if rotation.target == index_fingerprint(ring.index_key):
            say("Resuming the rebuild of the search index with the new index key.")
            _settle(settle, say)
            return rotation, True
        _close_stale(rotation, say)
    new_key = secrets.token_bytes(keys.KEY_BYTES)
    rotation = _create(RotationKind.INDEX, index_fingerprint(new_key), ring.generation)
    keys.write_keyring(replace(ring, index_key=new_key))
    keys.forget_keyring()
    say(
        "Replaced the index key. Until the rebuild below finishes, search by name or phone "
        "misses the people not yet re-indexed."
    )
    _settle(settle, say)
    return rotation, False


def _reindex_people(rotation: KeyRotation, batch_size: int, say: Say) -> TableReport:
    from pcm.people.index import tokens_for
    from pcm.people.models import Person, PersonToken

    label = Person._meta.label
    progress, created = RotationProgress.objects.get_or_create(rotation=rotation, table=label)
    report = TableReport(
        table=label,
        rows=progress.rows,
        rewritten=progress.rewritten,
        unreadable=progress.unreadable,
        seconds=progress.seconds,
        resumed=not created and progress.last_pk != "",
    )
    last_said = time.monotonic()
    while not progress.finished:
        started = time.perf_counter()
        people = list(_after(Person, progress.last_pk)[:batch_size])
        with transaction.atomic():
            tokens: list[PersonToken] = []
            unreadable = 0
            for person in people:
                if any(
                    isinstance(value, UnreadableValue)
                    for value in (person.given_name, person.family_name, person.phone)
                ):
                    unreadable += 1
                    continue
                tokens.extend(tokens_for(person))
            if people:
                PersonToken.objects.filter(person_id__in=[p.pk for p in people]).delete()
                PersonToken.objects.bulk_create(tokens, ignore_conflicts=True)
                progress.last_pk = str(people[-1].pk)
            else:
                progress.finished = True
            seconds = time.perf_counter() - started
            progress.rows += len(people)
            progress.rewritten += len(tokens)
            progress.unreadable += unreadable
            progress.seconds += seconds
            progress.save()
        report.rows, report.rewritten = progress.rows, progress.rewritten
        report.unreadable, report.seconds = progress.unreadable, progress.seconds
        if not progress.finished:
            batch_done(progress)
            if time.monotonic() - last_said > PROGRESS_EVERY_SECONDS:
                last_said = time.monotonic()
                say(f"  {label}: {report.rows} people, {report.rate:,.0f} people/s")
    return report


def rotate_index_key(
    *, batch_size: int = DEFAULT_BATCH_SIZE, say: Say = _quiet, settle: float | None = None
) -> RotationReport:
    """Run (or resume) an index-key rotation: new key, every blind-index hash recomputed."""
    if batch_size < 1:
        raise RotationError("The batch size must be at least 1.")
    started = time.perf_counter()
    rotation, resumed = start_index_rotation(say, settle)
    report = RotationReport(kind=RotationKind.INDEX, target=rotation.target, resumed=resumed)
    table = _reindex_people(rotation, batch_size, say)
    report.tables.append(table)
    say(
        f"  {table.table}: {table.rows} people, {table.rewritten} index entries, "
        f"{table.unreadable} unreadable ({table.rate:,.0f} people/s)"
    )
    for module in _hooks():
        if hasattr(module, "reindex"):
            report.hooks[module.__name__] = int(module.reindex(batch_size))
    report.seconds = time.perf_counter() - started
    _finish(
        rotation,
        VaultEvent.INDEX_KEY_ROTATED,
        {"people": table.rows, "entries": table.rewritten, "unreadable": table.unreadable},
    )
    return report
