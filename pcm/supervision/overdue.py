"""Announce each overdue item once: to the caseworker, and for high risk also the supervisor.

Run by `manage.py notify_overdue` from a scheduler. It walks the open cases in batches of
primary keys, asks the queue what is due on each batch (one query per provider) and notifies
through pcm.notifications with a key made of the item's kind, ids and due time, so running it
again — every few minutes if you like — never repeats a notification.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from pcm.accounts.models import User
from pcm.cases.models import Case, RiskLevel
from pcm.cases.queue import DueItem, due_items
from pcm.notifications.actions import notify
from pcm.notifications.models import Notification, NotificationKind

BATCH_SIZE = 500
SUPERVISOR = "supervisor"


@dataclass
class OverdueRun:
    cases: int = 0
    overdue_items: int = 0
    notifications: int = 0


def dedupe_key(item: DueItem) -> str:
    """Kind, case id, which record (from its address) and the due time: one per deadline."""
    assert item.due_at is not None  # noqa: S101 - only overdue items have a key
    record = hashlib.sha256(item.url.encode()).hexdigest()[:10]
    return f"overdue:{item.kind[:40]}:{item.case.pk}:{record}:{item.due_at:%Y%m%dT%H%M}"


def recipients(item: DueItem, case: Case) -> list[User | None]:
    """Who must hear of it: whoever is to act, and the supervisor too when the risk is high."""
    supervisor = case.team.supervisor
    if item.actor == SUPERVISOR or case.assigned_to is None:
        return [supervisor]
    if case.risk_level == RiskLevel.HIGH:
        return [case.assigned_to, supervisor]
    return [case.assigned_to]


def notify_overdue(
    now: datetime,
    *,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[str], None] = lambda message: None,
) -> OverdueRun:
    """Notify everyone concerned by what is overdue at NOW on any open case."""
    run = OverdueRun()
    last_pk = 0
    while True:
        batch = list(
            Case.objects.open()
            .filter(pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not batch:
            return run
        last_pk = batch[-1]
        _notify_batch(batch[0], last_pk, now, run)
        progress(f"{run.cases} open cases read, {run.notifications} notifications sent")


def _notify_batch(first_pk: int, last_pk: int, now: datetime, run: OverdueRun) -> None:
    cases = Case.objects.open().filter(pk__gte=first_pk, pk__lte=last_pk)
    # The queue loads each case with its person only; who to tell comes in one more query.
    staffed = {case.pk: case for case in cases.select_related("assigned_to", "team__supervisor")}
    run.cases += len(staffed)
    overdue = [
        item for item in due_items(cases, now) if item.is_overdue(now) and item.case.pk in staffed
    ]
    run.overdue_items += len(overdue)
    to_tell = [
        (item, dedupe_key(item), [user for user in recipients(item, staffed[item.case.pk]) if user])
        for item in overdue
    ]
    # What was announced before, in one query, so that a rerun costs no query per item (by
    # recipient and key: the order of the notifications' unique index).
    announced = set(
        Notification.objects.filter(
            recipient_id__in={user.pk for _item, _key, users in to_tell for user in users},
            dedupe_key__in={key for _item, key, _users in to_tell},
        ).values_list("recipient_id", "dedupe_key")
    )
    pending = [
        (item, key, [user for user in users if (user.pk, key) not in announced])
        for item, key, users in to_tell
    ]
    pending = [(item, key, users) for item, key, users in pending if users]
    if not pending:
        return
    with transaction.atomic(durable=True):
        for item, key, users in pending:
            sent = notify(users, NotificationKind.DEADLINE_PASSED, case=item.case, dedupe_key=key)
            run.notifications += len(sent)
