"""Turning audit entries into rows people read: who, as what, did what, to which record.

A row names a case by its number and other records by their kind, never a service user by
name. Every page of rows costs a fixed number of queries, whatever its length.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from pcm.accounts.models import Role, User
from pcm.audit.labels import event_label
from pcm.audit.models import AuditEvent, AuditEventQuerySet

# What a row needs of an entry, its actor and its case (a case's narratives are never loaded).
ROW_FIELDS = (
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
    "actor__first_name",
    "actor__last_name",
    "actor__username",
    "case__number",
)


def for_rows(events: AuditEventQuerySet) -> AuditEventQuerySet:
    return events.select_related("actor", "case").only(*ROW_FIELDS)


@dataclass(frozen=True)
class Row:
    sequence: int
    at: dt.datetime
    who: str
    role: str
    event: str
    case_number: str
    record: str
    fields: list[str]


@cache
def _model_of(label: str) -> type[Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _record_kind(label: str) -> str:
    model = _model_of(label)
    if model is None:
        return label
    return str(model._meta.verbose_name).capitalize()


def field_label(target_type: str, name: str) -> str:
    """A field's translated name on the target's model, or its code."""
    model = _model_of(target_type)
    if model is None:
        return name
    try:
        return str(getattr(model._meta.get_field(name), "verbose_name", name))
    except (FieldDoesNotExist, AttributeError):
        return name


def _role_label(code: str) -> str:
    try:
        return str(Role(code).label)
    except ValueError:
        return code


def rows(events: Iterable[AuditEvent]) -> Iterator[Row]:
    """Rows for EVENTS (loaded with `for_rows`): one more query for targeted users, if any."""
    events = list(events)
    user_ids = {
        int(e.target_id)
        for e in events
        if e.target_type == "accounts.user" and e.target_id.isdigit() and not e.case_id
    }
    users = User.objects.only("first_name", "last_name", "username").in_bulk(user_ids)
    for event in events:
        actor = event.actor
        case_number = event.case.number if event.case_id and event.case is not None else ""
        record = ""
        if event.target_type == "accounts.user" and event.target_id.isdigit():
            target = users.get(int(event.target_id))
            record = _("User %(name)s") % {"name": _name(target)} if target else _("User")
        elif event.target_type and event.target_type != "cases.case":
            record = _record_kind(event.target_type)
        yield Row(
            sequence=event.sequence,
            at=event.at,
            who=_name(actor) if actor is not None else _("Unknown (not signed in)"),
            role=_role_label(event.actor_role),
            event=event_label(event.event_type),
            case_number=case_number,
            record=record,
            fields=[field_label(event.target_type, name) for name in event.fields or []],
        )


def _name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def local_iso(moment: dt.datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")
