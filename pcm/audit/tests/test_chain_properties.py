"""Properties of the chain (hypothesis): any trail verifies; any one tampering is found and the
entry named."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db import connection, transaction
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pcm.audit.actions import record_event
from pcm.audit.chain import verify_chain
from pcm.audit.models import AuditEvent, AuditEventType

properties = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
TABLE = AuditEvent._meta.db_table

# Codes and ids, as detail holds (text without NUL, which PostgreSQL's JSON refuses).
code = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12)
scalar = st.one_of(st.none(), st.booleans(), st.integers(-(2**53), 2**53), code)
detail = st.dictionaries(code, st.one_of(scalar, st.lists(scalar, max_size=3)), max_size=4)
field_names = st.lists(st.from_regex(r"[a-z_]{1,20}", fullmatch=True), max_size=4)
event = st.fixed_dictionaries(
    {
        "event_type": st.sampled_from(list(AuditEventType)),
        "actor": st.sampled_from(["caseworker", "supervisor", "auditor", None]),
        "target": st.sampled_from(["case", "person", "user", None]),
        "fields": field_names,
        "detail": detail,
    }
)
trail = st.lists(event, min_size=1, max_size=8)


def _record(personas, case, events: list[dict[str, Any]]) -> list[AuditEvent]:
    targets = {"case": case, "person": case.person, "user": personas.caseworker, None: None}
    return [
        record_event(
            spec["event_type"],
            actor=getattr(personas, spec["actor"]) if spec["actor"] else None,
            target=targets[spec["target"]],
            fields=spec["fields"],
            detail=spec["detail"],
        )
        for spec in events
    ]


class Rollback(Exception):
    """Ends an example, undoing what it wrote (each example starts from an empty trail)."""


@properties
@given(events=trail)
def test_any_trail_verifies(personas, case_for, events):
    case = case_for(personas.caseworker)
    try:
        with transaction.atomic():
            written = _record(personas, case, events)
            verdict = verify_chain(batch_size=3)
            assert verdict.ok, verdict.problem
            assert verdict.entries == len(written)
            assert verdict.head_hash == written[-1].hash
            raise Rollback
    except Rollback:
        pass


EDITABLE = {
    "event_type": st.sampled_from([t.value for t in AuditEventType]),
    "target_type": st.sampled_from(["", "cases.case", "people.person", "accounts.user"]),
    "target_id": st.from_regex(r"[0-9]{0,4}", fullmatch=True),
    "actor_role": st.sampled_from(["", "caseworker", "supervisor", "manager", "auditor"]),
    "fields": field_names,
    "detail": detail,
    "at": st.integers(min_value=1, max_value=10**9),  # microseconds added
    "case": st.one_of(st.none(), st.integers(1, 10**6)),
    "person": st.one_of(st.none(), st.integers(1, 10**6)),
    "agency": st.one_of(st.none(), st.integers(1, 10**6)),
}


def _raw_update(event: AuditEvent, name: str, value: Any) -> None:
    field = AuditEvent._meta.get_field(name)
    prepared = field.get_db_prep_save(value, connection)  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET {field.column} = %s WHERE id = %s",  # type: ignore[union-attr]  # noqa: S608
            [prepared, event.pk],
        )


@properties
@given(events=trail, data=st.data())
def test_any_single_edit_is_detected_and_named(personas, case_for, events, data):
    case = case_for(personas.caseworker)
    try:
        with transaction.atomic():
            written = _record(personas, case, events)
            victim = data.draw(st.sampled_from(written), label="victim")
            stored = AuditEvent.objects.get(pk=victim.pk)
            name = data.draw(st.sampled_from(sorted(EDITABLE)), label="column")
            new = data.draw(EDITABLE[name], label="value")
            if name == "at":
                new = stored.at + dt.timedelta(microseconds=new)
            else:
                old = getattr(
                    stored, f"{name}_id" if name in ("case", "person", "agency") else name
                )
                # The same JSON (keys in another order, as PostgreSQL keeps them) is no edit.
                assume(json.dumps(new, sort_keys=True) != json.dumps(old, sort_keys=True))
            _raw_update(stored, name, new)
            verdict = verify_chain(batch_size=3)
            assert verdict.problem is not None
            assert (verdict.problem.sequence, verdict.problem.event_id) == (
                victim.sequence,
                victim.pk,
            )
            assert verdict.problem.kind == "edited"
            raise Rollback
    except Rollback:
        pass


@properties
@given(events=st.lists(event, min_size=2, max_size=8), data=st.data())
def test_any_single_deletion_is_detected(personas, case_for, events, data):
    case = case_for(personas.caseworker)
    try:
        with transaction.atomic():
            written = _record(personas, case, events)
            victim = data.draw(st.sampled_from(written), label="victim")
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [victim.pk])  # noqa: S608
            verdict = verify_chain(batch_size=3)
            assert verdict.problem is not None
            assert verdict.problem.kind == "deleted"
            assert verdict.problem.sequence == victim.sequence + (victim is not written[-1])
            assert f"entry {victim.sequence} is missing" in verdict.problem.message
            raise Rollback
    except Rollback:
        pass
