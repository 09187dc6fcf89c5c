"""The hash chain: every entry is chained; an edited, deleted or reordered entry is named."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from pcm.audit.actions import record_event
from pcm.audit.chain import canonical, verify_chain
from pcm.audit.models import AppendOnlyError, AuditChainHead, AuditEvent, AuditEventType
from pcm.vault.keys import keyring

TABLE = AuditEvent._meta.db_table


def _events(personas, case_for, count: int = 6) -> list[AuditEvent]:
    case = case_for(personas.caseworker)
    made = []
    for index in range(count):
        with transaction.atomic():
            made.append(
                record_event(
                    AuditEventType.CASE_VIEWED if index % 2 else AuditEventType.RECORD_CHANGED,
                    actor=personas.caseworker,
                    target=case,
                    fields=["risk_level", "status"] if index % 2 == 0 else [],
                    detail={"step": index},
                )
            )
    return made


def _sql(statement: str, *params: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _verify_command() -> str:
    out = []

    class Out:
        def write(self, text: str) -> None:
            out.append(text)

        def flush(self) -> None:  # pragma: no cover - called by some Django versions
            pass

    call_command("verify_audit", stdout=Out())
    return "".join(out)


def test_each_entry_is_chained_to_the_one_before(personas, case_for):
    events = _events(personas, case_for)
    chain = list(AuditEvent.objects.order_by("sequence"))
    assert [e.sequence for e in chain] == list(range(1, len(chain) + 1))
    previous = ""
    key = keyring().audit_key
    for entry in chain:
        assert entry.previous_hash == previous
        stored = AuditEvent.objects.get(pk=entry.pk)
        values = {
            "sequence": stored.sequence,
            "at": stored.at,
            "actor": stored.actor_id,
            "actor_role": stored.actor_role,
            "event_type": stored.event_type,
            "agency": stored.agency_id,
            "target_type": stored.target_type,
            "target_id": stored.target_id,
            "case": stored.case_id,
            "person": stored.person_id,
            "fields": stored.fields,
            "detail": stored.detail,
        }
        message = previous.encode() + b"|" + canonical(values)
        assert entry.hash == hmac.new(key, message, hashlib.sha256).hexdigest()
        previous = entry.hash
    head = AuditChainHead.objects.get()
    assert (head.sequence, head.hash) == (chain[-1].sequence, chain[-1].hash)
    # The canonical form is sorted, compact JSON with the time in UTC.
    document = json.loads(canonical(values))
    assert document["at"].endswith("+00:00")
    assert document["case"] == events[0].case_id
    assert document["fields"] == sorted(document["fields"])


def test_record_event_links_the_case_service_user_agency_and_role(personas, case_for):
    case = case_for(personas.caseworker)
    with transaction.atomic():
        viewed = record_event(AuditEventType.CASE_VIEWED, actor=personas.supervisor, target=case)
        by_detail = record_event(
            AuditEventType.RECORD_CHANGED, actor=personas.caseworker, detail={"case": case.pk}
        )
        person = record_event(
            AuditEventType.PERSON_REGISTERED, actor=personas.caseworker, target=case.person
        )
        failed = record_event(AuditEventType.SIGN_IN_FAILED, actor=None)
    assert (viewed.case_id, viewed.person_id) == (case.pk, case.person_id)
    assert viewed.agency_id == case.agency_id
    assert viewed.actor_role == "supervisor"
    assert by_detail.case_id == case.pk
    assert (person.case_id, person.person_id) == (None, case.person_id)
    assert (failed.agency_id, failed.actor_role, failed.case_id) == (None, "", None)


def test_verify_audit_passes_on_a_fresh_database_with_events(personas, case_for):
    _events(personas, case_for)
    count = AuditEvent.objects.count()
    head = AuditChainHead.objects.get()
    output = _verify_command()
    assert f"Audit trail OK: {count} entries" in output
    assert head.hash in output


def test_verify_audit_passes_on_an_empty_trail(db):
    assert "OK: 0 entries" in _verify_command()


def _broken(batch_size: int = 2) -> str:
    with pytest.raises(CommandError) as caught:
        call_command("verify_audit", batch_size=batch_size)
    assert caught.value.returncode == 1
    return str(caught.value)


@pytest.mark.parametrize(
    "column, value",
    [
        ("event_type", "case_opened"),
        ("actor_id", None),
        ("target_id", "999"),
        ("fields", '["narrative"]'),
        ("detail", '{"step": 99}'),
        ("at", "2020-01-01 00:00:00"),
        ("actor_role", "manager"),
        ("hash", "0" * 64),
    ],
)
def test_an_edited_entry_is_named(personas, case_for, column, value):
    events = _events(personas, case_for)
    victim = events[3]
    _sql(f"UPDATE {TABLE} SET {column} = %s WHERE id = %s", value, victim.pk)  # noqa: S608
    message = _broken()
    assert f"entry {victim.sequence} (id {victim.pk})" in message
    assert "[edited]" in message


def test_a_deleted_entry_in_the_middle_is_named(personas, case_for):
    events = _events(personas, case_for)
    victim = events[2]
    _sql(f"DELETE FROM {TABLE} WHERE id = %s", victim.pk)  # noqa: S608
    message = _broken()
    after = events[3]
    assert f"entry {after.sequence} (id {after.pk})" in message
    assert f"entry {victim.sequence} is missing" in message
    assert "[deleted]" in message


def test_the_first_entry_deleted_is_named(personas, case_for):
    events = _events(personas, case_for)
    first = AuditEvent.objects.order_by("sequence").first()
    assert first is not None
    _sql(f"DELETE FROM {TABLE} WHERE id = %s", first.pk)  # noqa: S608
    message = _broken()
    assert "entry 1 is missing" in message and "[deleted]" in message
    assert events


def test_the_last_entry_deleted_is_named(personas, case_for):
    events = _events(personas, case_for)
    last = events[-1]
    _sql(f"DELETE FROM {TABLE} WHERE id = %s", last.pk)  # noqa: S608
    message = _broken()
    assert f"entry {last.sequence} is missing" in message
    assert "[deleted]" in message


def test_several_newest_entries_deleted_are_named(personas, case_for):
    events = _events(personas, case_for)
    _sql(f"DELETE FROM {TABLE} WHERE sequence >= %s", events[-2].sequence)  # noqa: S608
    message = _broken()
    assert f"entries {events[-2].sequence} to {events[-1].sequence} are missing" in message


def test_two_entries_swapped_by_sequence_number_are_named(personas, case_for):
    events = _events(personas, case_for)
    first, second = events[2], events[3]
    _sql(f"UPDATE {TABLE} SET sequence = -1 WHERE id = %s", first.pk)  # noqa: S608
    _sql(f"UPDATE {TABLE} SET sequence = %s WHERE id = %s", first.sequence, second.pk)  # noqa: S608
    _sql(f"UPDATE {TABLE} SET sequence = %s WHERE id = %s", second.sequence, first.pk)  # noqa: S608
    message = _broken()
    # Walking by sequence, the second entry now comes first: it is out of place.
    assert f"entry {first.sequence} (id {second.pk})" in message
    assert "[reordered]" in message


def test_two_entries_swapped_whole_are_named(personas, case_for):
    """Every column but the id exchanged: the rows' places in the table are swapped."""
    events = _events(personas, case_for)
    first, second = events[1], events[2]
    columns = [
        f.column for f in AuditEvent._meta.concrete_fields if f.column not in ("id", "sequence")
    ]
    rows = {}
    with connection.cursor() as cursor:
        for event in (first, second):
            cursor.execute(
                f"SELECT {', '.join(columns)} FROM {TABLE} WHERE id = %s",  # noqa: S608
                [event.pk],
            )
            rows[event.pk] = cursor.fetchone()
    assignments = ", ".join(f"{column} = %s" for column in columns)
    _sql(f"UPDATE {TABLE} SET {assignments} WHERE id = %s", *rows[second.pk], first.pk)  # noqa: S608
    _sql(f"UPDATE {TABLE} SET {assignments} WHERE id = %s", *rows[first.pk], second.pk)  # noqa: S608
    message = _broken()
    assert f"entry {first.sequence} (id {first.pk})" in message
    assert "[reordered]" in message


def test_the_head_edited_is_named(personas, case_for):
    _events(personas, case_for)
    _sql("UPDATE audit_auditchainhead SET hash = %s", "f" * 64)
    assert "[head]" in _broken()


def test_the_trail_keeps_verifying_after_more_entries(personas, case_for):
    _events(personas, case_for, count=3)
    _events(personas, case_for, count=3)
    verdict = verify_chain(batch_size=1)
    assert verdict.ok and verdict.entries == 6


def test_the_orm_refuses_to_change_or_delete_an_entry(personas, case_for):
    event = _events(personas, case_for, count=1)[0]
    event.event_type = AuditEventType.CASE_OPENED
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(event_type="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["event_type"])
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.create(sequence=99, event_type="x", hash="0" * 64)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_create([AuditEvent(sequence=99, event_type="x")])
    assert AuditEvent.objects.get(pk=event.pk).event_type == event_type_of(event.pk)
    assert verify_chain().ok


def event_type_of(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT event_type FROM {TABLE} WHERE id = %s", [pk])  # noqa: S608
        return str(cursor.fetchone()[0])


def test_a_missing_head_is_rebuilt_from_the_newest_entry(personas, case_for):
    """A test database emptied between tests has no head: the chain starts again."""
    _events(personas, case_for, count=2)
    AuditChainHead.objects.all().delete()
    with transaction.atomic():
        record_event(AuditEventType.SIGN_OUT, actor=personas.caseworker)
    assert AuditChainHead.objects.get().sequence == 3
    assert verify_chain().ok


def test_an_entry_rolled_back_with_its_change_leaves_no_gap(personas, case_for):
    _events(personas, case_for, count=2)
    with pytest.raises(RuntimeError), transaction.atomic():
        record_event(AuditEventType.SIGN_OUT, actor=personas.caseworker)
        raise RuntimeError("the change failed")
    with transaction.atomic():
        record_event(AuditEventType.SIGN_OUT, actor=personas.caseworker)
    verdict = verify_chain()
    assert verdict.ok and verdict.entries == 3


def test_a_head_rewritten_to_hide_deleted_newest_entries_is_named(personas, case_for):
    """Without the key, the head cannot be resealed to match a shortened chain."""
    events = _events(personas, case_for)
    last, before = events[-1], events[-2]
    _sql(f"DELETE FROM {TABLE} WHERE id = %s", last.pk)  # noqa: S608
    _sql(
        "UPDATE audit_auditchainhead SET sequence = %s, hash = %s",
        before.sequence,
        before.hash,
    )
    message = _broken()
    assert "[head]" in message and "seal" in message


def test_recording_an_event_costs_three_queries_in_a_transaction(personas, case_for):
    case = case_for(personas.caseworker)
    _events(personas, case_for, count=1)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        record_event(AuditEventType.CASE_VIEWED, actor=personas.caseworker, target=case)
    assert len(queries) == 3, [q["sql"] for q in queries]
    assert queries[0]["sql"].startswith("UPDATE")  # the head first: writers queue here
