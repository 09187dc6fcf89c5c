"""Chain the audit trail, 2 of 3: entries written before the chain existed are chained here,
in the order of their ids, and linked to the case and service user they are about.

A migration of its own: on PostgreSQL the rows must be written in a transaction apart from the
schema changes around it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import migrations

BATCH = 1000


def _case_of_targets(apps: Any, events: list[Any]) -> dict[tuple[str, str], int]:
    """For targets that belong to a case (a note, a plan…), the case's id."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for event in events:
        own = event.target_type in ("", "cases.case", "people.person")
        if not own and event.target_id.isdigit():
            wanted[event.target_type].add(int(event.target_id))
    found: dict[tuple[str, str], int] = {}
    for label, ids in wanted.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        if not any(field.name == "case" for field in model._meta.get_fields()):
            continue
        for pk, case_id in model.objects.filter(pk__in=ids).values_list("pk", "case_id"):
            found[(label, str(pk))] = case_id
    return found


def chain_existing_entries(apps: Any, schema_editor: Any) -> None:
    from pcm.audit.chain import entry_hash, head_seal, values_of

    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    Case = apps.get_model("cases", "Case")
    User = apps.get_model("accounts", "User")
    sequence = 0
    previous = ""
    last_id = 0
    while True:
        batch = list(AuditEvent.objects.filter(pk__gt=last_id).order_by("pk")[:BATCH])
        if not batch:
            break
        by_target = _case_of_targets(apps, batch)
        case_ids = {int(e.target_id) for e in batch if e.target_type == "cases.case"}
        case_ids |= set(by_target.values())
        case_ids |= {
            e.detail["case"]
            for e in batch
            if isinstance(e.detail, dict) and type(e.detail.get("case")) is int
        }
        cases = {
            pk: (person_id, agency_id)
            for pk, person_id, agency_id in Case.objects.filter(pk__in=case_ids).values_list(
                "pk", "person_id", "agency_id"
            )
        }
        actors = {
            pk: (agency_id, role)
            for pk, agency_id, role in User.objects.filter(
                pk__in={e.actor_id for e in batch if e.actor_id}
            ).values_list("pk", "agency_id", "role")
        }
        for event in batch:
            if event.target_type == "cases.case" and event.target_id.isdigit():
                event.case_id = int(event.target_id)
                event.person_id = cases.get(event.case_id, (None, None))[0]
            elif event.target_type == "people.person" and event.target_id.isdigit():
                event.person_id = int(event.target_id)
            elif (event.target_type, event.target_id) in by_target:
                event.case_id = by_target[(event.target_type, event.target_id)]
            elif isinstance(event.detail, dict) and type(event.detail.get("case")) is int:
                event.case_id = event.detail["case"]
            if event.agency_id is None:
                event.agency_id = (
                    cases[event.case_id][1]
                    if event.case_id in cases
                    else actors.get(event.actor_id, (None, ""))[0]
                )
            event.actor_role = actors.get(event.actor_id, (None, ""))[1]
            sequence += 1
            event.sequence = sequence
            event.previous_hash = previous
            event.hash = entry_hash(previous, values_of(event))
            previous = event.hash
        AuditEvent.objects.bulk_update(
            batch, ["sequence", "previous_hash", "hash", "case", "person", "agency", "actor_role"]
        )
        last_id = batch[-1].pk
    AuditChainHead.objects.update_or_create(
        pk=1,
        defaults={"sequence": sequence, "hash": previous, "seal": head_seal(sequence, previous)},
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_hash_chain")]

    operations = [migrations.RunPython(chain_existing_entries, migrations.RunPython.noop)]
