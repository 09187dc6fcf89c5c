"""Writing audit events. Called inside the same transaction as the change it records."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from pcm.audit.chain import entry_hash, head_seal, json_safe, values_of
from pcm.audit.models import AuditChainHead, AuditEvent, AuditEventType

if TYPE_CHECKING:
    from django.db.models import Model

    from pcm.accounts.models import Agency, User

HEAD_ID = 1


def record_event(
    event_type: AuditEventType | str,
    *,
    actor: User | None,
    target: Model | None = None,
    agency: Agency | None = None,
    fields: Iterable[str] = (),
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event to the chain. DETAIL holds ids and codes only, never personal data.

    The agency defaults to the target's (or the actor's); the case and the service user the
    event is about are taken from TARGET (a case, a service user, or a record with a `case_id`)
    or from DETAIL["case"].
    """
    detail = json_safe(detail or {})
    case_id, person_id = _subject_of(target, detail)
    agency_id = agency.pk if agency is not None else _agency_of(actor, target)
    event = AuditEvent(
        at=timezone.now(),
        actor=actor,
        actor_role=actor.role if actor is not None else "",
        event_type=str(event_type),
        agency_id=agency_id,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        case_id=case_id,
        person_id=person_id,
        fields=sorted(set(fields)),
        detail=detail,
    )
    # No savepoint: if the entry cannot be written, the caller's whole transaction fails, so
    # no change is ever committed without its entry.
    with transaction.atomic(savepoint=False):
        sequence, previous_hash = _advance_head()
        event.sequence = sequence
        event.previous_hash = previous_hash
        event.hash = entry_hash(previous_hash, values_of(event))
        event._chained = True  # type: ignore[attr-defined]
        event.save(force_insert=True)
        AuditChainHead.objects.filter(pk=HEAD_ID).update(
            hash=event.hash, seal=head_seal(sequence, event.hash)
        )
    return event


def _advance_head() -> tuple[int, str]:
    """Take the next sequence number and the previous hash, holding the head's lock.

    The UPDATE comes first: it takes SQLite's write lock (if the transaction did not already
    hold it) and PostgreSQL's row lock, so concurrent writers queue here until this
    transaction ends, and the head read afterwards is the latest.
    """
    for _attempt in range(3):
        taken = _take_next()
        if taken is not None:
            return taken
        # No head yet (a new database, or a test database just emptied): start it from the
        # newest entry, if any. Two writers racing here: one creates it, the other retries.
        newest = AuditEvent.objects.order_by("-sequence").values_list("sequence", "hash").first()
        sequence, last_hash = newest if newest else (0, "")
        try:
            with transaction.atomic():
                AuditChainHead.objects.create(
                    pk=HEAD_ID,
                    sequence=sequence,
                    hash=last_hash,
                    seal=head_seal(sequence, last_hash),
                )
        except IntegrityError:
            continue
    raise RuntimeError("The audit chain head could not be taken.")  # pragma: no cover


def _take_next() -> tuple[int, str] | None:
    """UPDATE the head to the next sequence and read it back, in one statement where the
    database can (UPDATE … RETURNING: PostgreSQL, SQLite 3.35+). None: there is no head."""
    if not connection.features.can_return_columns_from_insert:  # pragma: no cover - old SQLite
        if not AuditChainHead.objects.filter(pk=HEAD_ID).update(sequence=F("sequence") + 1):
            return None
        head = AuditChainHead.objects.get(pk=HEAD_ID)
        return head.sequence, head.hash
    table = connection.ops.quote_name(AuditChainHead._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET sequence = sequence + 1 WHERE id = %s "  # noqa: S608
            "RETURNING sequence, hash",
            [HEAD_ID],
        )
        row = cursor.fetchone()
    return (int(row[0]), str(row[1])) if row else None


def _subject_of(target: Model | None, detail: dict[str, Any]) -> tuple[int | None, int | None]:
    """The ids of the case and of the service user an event is about."""
    if target is not None:
        label = target._meta.label_lower
        if label == "cases.case":
            return target.pk, getattr(target, "person_id", None)
        if label == "people.person":
            return None, target.pk
        case_id = getattr(target, "case_id", None)
        if isinstance(case_id, int):
            return case_id, None
    case_id = detail.get("case")
    if isinstance(case_id, int) and not isinstance(case_id, bool):
        return case_id, None
    return None, None


def _agency_of(actor: User | None, target: Model | None) -> int | None:
    """The agency whose trail holds the event: the target's, else the actor's."""
    agency_id = getattr(target, "agency_id", None)
    if isinstance(agency_id, int):
        return agency_id
    return actor.agency_id if actor is not None else None
