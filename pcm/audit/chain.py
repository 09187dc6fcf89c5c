"""The audit trail's hash chain: how an entry is hashed, and walking the chain to verify it.

See the module docstring of pcm.audit.models for the format. The functions here take plain
values (not only model instances) so that the migration that chains older entries uses the
very same hashing.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pcm.vault.keys import keyring

# The order does not matter (keys are sorted); this names what goes into the hash.
HASHED_FIELDS = (
    "sequence",
    "at",
    "actor",
    "actor_role",
    "event_type",
    "agency",
    "target_type",
    "target_id",
    "case",
    "person",
    "fields",
    "detail",
)
BATCH_SIZE = 2000


def iso(moment: datetime) -> str:
    """A timestamp as the chain hashes it: UTC, ISO 8601, microseconds."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def canonical(values: dict[str, Any]) -> bytes:
    """The canonical JSON of an entry (VALUES keyed by HASHED_FIELDS, `at` a datetime)."""
    document = {name: values[name] for name in HASHED_FIELDS}
    document["at"] = iso(values["at"])
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def entry_hash(previous_hash: str, values: dict[str, Any], key: bytes | None = None) -> str:
    """HMAC-SHA256 of the previous hash and the entry's canonical JSON, in hex."""
    message = previous_hash.encode("ascii") + b"|" + canonical(values)
    return hmac.new(key or keyring().audit_key, message, hashlib.sha256).hexdigest()


def head_seal(sequence: int, last_hash: str, key: bytes | None = None) -> str:
    """HMAC of the head: without the key, a head cannot be made to match a shortened chain."""
    message = f"head|{sequence}|{last_hash}".encode("ascii")
    return hmac.new(key or keyring().audit_key, message, hashlib.sha256).hexdigest()


def values_of(event: Any) -> dict[str, Any]:
    """The hashed values of an AuditEvent (or a historical model instance of it)."""
    return {
        "sequence": event.sequence,
        "at": event.at,
        "actor": event.actor_id,
        "actor_role": event.actor_role,
        "event_type": event.event_type,
        "agency": event.agency_id,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "case": event.case_id,
        "person": event.person_id,
        "fields": event.fields,
        "detail": event.detail,
    }


def json_safe(value: Any) -> Any:
    """VALUE as it will read back from a JSON column (tuples become lists, keys strings)."""
    return json.loads(json.dumps(value, allow_nan=False))


@dataclass(frozen=True)
class Problem:
    """The first place the chain breaks."""

    sequence: int
    event_id: int | None
    kind: str  # edited | deleted | reordered | head
    message: str


@dataclass(frozen=True)
class Verdict:
    entries: int
    head_hash: str
    problem: Problem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


_COLUMNS = (
    "id",
    "sequence",
    "at",
    "actor_id",
    "actor_role",
    "event_type",
    "agency_id",
    "target_type",
    "target_id",
    "case_id",
    "person_id",
    "fields",
    "detail",
    "previous_hash",
    "hash",
)


@dataclass(frozen=True)
class _Row:
    id: int
    sequence: int
    at: datetime
    actor_id: int | None
    actor_role: str
    event_type: str
    agency_id: int | None
    target_type: str
    target_id: str
    case_id: int | None
    person_id: int | None
    fields: Any
    detail: Any
    previous_hash: str
    hash: str


def _rows(batch_size: int) -> Iterator[_Row]:
    """Every entry in sequence order, read in batches (keyset pagination, bounded memory)."""
    from pcm.audit.models import AuditEvent

    after: int | None = None
    while True:
        page = AuditEvent.objects.order_by("sequence")
        if after is not None:
            page = page.filter(sequence__gt=after)
        batch = list(page.values_list(*_COLUMNS)[:batch_size])
        for values in batch:
            yield _Row(*values)
        if len(batch) < batch_size:
            return
        after = batch[-1][1]


def verify_chain(batch_size: int = BATCH_SIZE) -> Verdict:
    """Walk the whole trail; return how many entries it holds and the first break, if any."""
    from pcm.audit.models import AuditChainHead

    key = keyring().audit_key
    expected_sequence = 1
    previous_hash = ""
    previous_id = 0
    count = 0
    for row in _rows(batch_size):
        problem = _check(row, expected_sequence, previous_hash, previous_id, key)
        if problem is not None:
            return Verdict(count, previous_hash, problem)
        count += 1
        expected_sequence = row.sequence + 1
        previous_hash = row.hash
        previous_id = row.id
    head = AuditChainHead.objects.order_by("pk").first()
    last = expected_sequence - 1
    if head is None:
        if count:
            return Verdict(count, previous_hash, _head_problem(last, "the chain head is missing"))
        return Verdict(0, "", None)
    if head.sequence > last:
        missing = (
            f"entry {last + 1} is missing"
            if head.sequence == last + 1
            else f"entries {last + 1} to {head.sequence} are missing"
        )
        return Verdict(
            count,
            previous_hash,
            Problem(
                last + 1,
                None,
                "deleted",
                f"{missing}: the chain head records {head.sequence} entries "
                f"but the last entry found is {last} (deleted newest entries).",
            ),
        )
    if head.sequence < last or head.hash != previous_hash:
        return Verdict(
            count,
            previous_hash,
            _head_problem(
                last, f"the chain head (entry {head.sequence}) does not match entry {last}"
            ),
        )
    if not hmac.compare_digest(head_seal(head.sequence, head.hash, key), head.seal):
        return Verdict(
            count,
            previous_hash,
            _head_problem(
                last,
                "the chain head's seal does not match: the head was rewritten, e.g. to hide "
                "deleted newest entries",
            ),
        )
    return Verdict(count, previous_hash, None)


def _head_problem(sequence: int, what: str) -> Problem:
    return Problem(sequence, None, "head", f"{what}.")


def _check(
    row: _Row, expected_sequence: int, previous_hash: str, previous_id: int, key: bytes
) -> Problem | None:
    where = f"entry {row.sequence} (id {row.id})"
    if row.sequence > expected_sequence:
        gap = (
            f"entry {expected_sequence} is missing"
            if row.sequence == expected_sequence + 1
            else f"entries {expected_sequence} to {row.sequence - 1} are missing"
        )
        return Problem(
            row.sequence,
            row.id,
            "deleted",
            f"{where}: {gap} before it (deleted; the sequence has a gap).",
        )
    if row.sequence < expected_sequence:  # pragma: no cover - the sequence column is unique
        return Problem(row.sequence, row.id, "reordered", f"{where}: sequence repeats.")
    if row.id <= previous_id:
        return Problem(
            row.sequence,
            row.id,
            "reordered",
            f"{where}: out of order — its id is not after the previous entry's id "
            f"{previous_id} (entries swapped or moved).",
        )
    values = {
        "sequence": row.sequence,
        "at": _as_datetime(row.at),
        "actor": row.actor_id,
        "actor_role": row.actor_role,
        "event_type": row.event_type,
        "agency": row.agency_id,
        "target_type": row.target_type,
        "target_id": row.target_id,
        "case": row.case_id,
        "person": row.person_id,
        "fields": row.fields,
        "detail": row.detail,
    }
    if row.previous_hash != previous_hash:
        return Problem(
            row.sequence,
            row.id,
            "reordered",
            f"{where}: its previous-hash does not match the entry before it "
            "(entries swapped, moved or replaced).",
        )
    if not hmac.compare_digest(entry_hash(row.previous_hash, values, key), row.hash):
        return Problem(
            row.sequence,
            row.id,
            "edited",
            f"{where}: edited — its contents do not match its hash.",
        )
    return None


def _as_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    # A raw edit may leave text Django cannot parse as a timestamp: it then fails the hash.
    return datetime.fromtimestamp(0, UTC)  # pragma: no cover
