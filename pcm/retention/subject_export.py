"""A service user's own data, for a data subject request: everything PCM holds about them.

The archive holds a human-readable JSON file and a plain-text summary of the same content: the
person's record, every case of theirs the requesting user may see with all its records (see
`pcm.retention.coverage`), and the history of who (by role) read or changed them. It is marked
with who produced it and when, and delivered as an AES-256 ZIP under a password that PCM never
stores. Staff who acted on the case appear by role, not by name, for their own safety.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pcm.access import policy
from pcm.accounts.models import Role, User
from pcm.audit.actions import record_event
from pcm.audit.models import AuditEvent
from pcm.cases.models import Case
from pcm.core.errors import ActionRefused
from pcm.retention.coverage import CASE_RECORDS, PERSON_RECORDS
from pcm.retention.models import RetentionEvent
from pcm.vault.archive import MIN_PASSWORD_LENGTH, encrypted_zip

if TYPE_CHECKING:
    from pcm.people.models import Person

JSON_NAME = "service-user-data.json"
TEXT_NAME = "service-user-data.txt"
# Internal counters and keys that mean nothing to the person, and links to other people's cases.
SKIPPED_FIELDS = frozenset({"version", "key", "storage_name", "plan_action_key", "own_case"})


def may_export(user: User, case: Case) -> bool:
    """The supervisor of the case's team, or a manager of its agency (both see the case)."""
    if policy.is_case_supervisor(user, case):
        return True
    return (
        user.is_active
        and user.role == Role.MANAGER
        and user.agency_id == case.agency_id
        and policy.cases_visible_to(user).filter(pk=case.pk).exists()
    )


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, User):
        return str(Role(value.role).label) if value.role else ""
    return str(value)


def _row(instance: models.Model) -> dict[str, Any]:
    """INSTANCE's fields by their label, choices by their meaning, links by their name."""
    found: dict[str, Any] = {}
    meta = instance._meta
    for model_field in [*meta.concrete_fields, *meta.many_to_many]:
        if model_field.name in SKIPPED_FIELDS or model_field.name == "id":
            continue
        label = str(model_field.verbose_name)
        if label in found:
            label = f"{label} ({model_field.name})"
        if model_field.many_to_many:
            value: Any = [_plain(item) for item in getattr(instance, model_field.name).all()]
        elif model_field.is_relation:
            value = _plain(getattr(instance, model_field.name))
        elif getattr(model_field, "choices", None):
            value = str(getattr(instance, f"get_{model_field.name}_display")())
        else:
            value = _plain(getattr(instance, model_field.name))
        found[label] = value
    return found


def _records(entries: tuple[Any, ...], owner_pk: int) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        rows = [_row(instance) for instance in entry.rows_of(owner_pk).order_by("pk")]
        if rows:
            found[str(entry.model._meta.verbose_name_plural)] = rows
    return found


def _event_labels() -> dict[str, str]:
    """The meaning of each audit event type: the apps' `...Event(Type)` choices."""
    labels: dict[str, str] = {}
    pending: list[type[models.TextChoices]] = list(models.TextChoices.__subclasses__())
    while pending:
        choices = pending.pop()
        pending.extend(choices.__subclasses__())
        if choices.__name__.endswith(("Event", "EventType")):
            for value, label in choices.choices:
                labels.setdefault(str(value), str(label))
    return labels


def _history(person: Person, cases: list[Case]) -> list[dict[str, Any]]:
    """Who (by role) did what with the person's or these cases' records, and when."""
    case_ids = [case.pk for case in cases]
    # About the person but no case, or about one of the cases the user may see (never about
    # a case of the person the user may not see).
    about_person = Q(person_id=person.pk) | Q(target_type="people.person", target_id=str(person.pk))
    condition = (
        Q(case_id__in=case_ids)
        | Q(target_type="cases.case", target_id__in=[str(pk) for pk in case_ids])
        | (about_person & Q(case_id__isnull=True))
    )
    events = AuditEvent.objects.filter(condition).select_related("actor").order_by("at", "id")
    labels = _event_labels()
    return [
        {
            _("when"): _plain(event.at),
            _("what"): labels.get(event.event_type, event.event_type),
            _("by (role)"): _plain(event.actor) if event.actor else _("PCM (scheduled task)"),
            _("fields"): list(event.fields),
        }
        for event in events
    ]


@dataclass(frozen=True)
class SubjectExport:
    content: bytes
    filename: str
    cases: int
    records: int


def subject_data(
    person: Person, cases: list[Case], produced_by: User
) -> tuple[dict[str, Any], int]:
    """The content of the export, and how many records of the cases it holds."""
    now = timezone.now()
    person_records = _records(PERSON_RECORDS, person.pk)
    case_records = [(case, _records(CASE_RECORDS, case.pk)) for case in cases]
    count = sum(len(rows) for _case, found in case_records for rows in found.values())
    data = {
        _("about"): _(
            "Everything PCM holds about one service user, produced for a data subject request. "
            "It contains personal data: keep it safe, and give it only to the person it is about."
        ),
        _("produced by"): f"{produced_by.get_full_name() or produced_by.get_username()} "
        f"({Role(produced_by.role).label}, {produced_by.agency})",
        _("produced at"): _plain(now),
        _("service user"): next(iter(person_records.values()), [{}])[0],
        _("cases"): [
            {_("case number"): case.number, _("records"): found} for case, found in case_records
        ],
        _("access history"): _history(person, cases),
    }
    return data, count


def _text_lines(value: Any, indent: int = 0) -> list[str]:
    pad = "  " * indent
    if isinstance(value, dict):
        lines = []
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                lines.append(f"{pad}{key}:")
                lines.extend(_text_lines(item, indent + 1))
            else:
                lines.append(f"{pad}{key}: {_scalar(item)}")
        return lines
    if isinstance(value, list):
        lines = []
        for number, item in enumerate(value, start=1):
            if isinstance(item, dict | list):
                lines.append(f"{pad}- {number}")
                lines.extend(_text_lines(item, indent + 1))
            else:
                lines.append(f"{pad}- {_scalar(item)}")
        return lines
    return [f"{pad}{_scalar(value)}"]


def _scalar(value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    return str(value)


def summary_text(data: dict[str, Any]) -> str:
    title = _("Data held by PCM about one service user")
    return "\n".join([title, "=" * len(title), "", *_text_lines(data), ""])


def do_export_subject_data(case: Case, *, password: str, acting_user: User) -> SubjectExport:
    """The archive of everything PCM holds about CASE's service user that ACTING_USER may see."""
    if not may_export(acting_user, case):
        raise ActionRefused(
            _("Only the supervisor of this case's team or a manager can export this data.")
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ActionRefused(
            _("Choose an archive password of at least %(count)d characters.")
            % {"count": MIN_PASSWORD_LENGTH}
        )
    person = case.person
    cases = list(
        policy.cases_visible_to(acting_user)
        .filter(person=person)
        .select_related("agency")
        .order_by("opened_at", "pk")
    )
    data, records = subject_data(person, cases, acting_user)
    files = {
        JSON_NAME: json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"),
        TEXT_NAME: summary_text(data).encode("utf-8"),
    }
    with transaction.atomic():
        record_event(
            RetentionEvent.SUBJECT_DATA_EXPORTED,
            actor=acting_user,
            target=person,
            agency=case.agency,
            detail={"case": case.pk, "cases": [item.pk for item in cases], "records": records},
        )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return SubjectExport(
        content=encrypted_zip(files, password),
        filename=f"pcm-service-user-data-{stamp}.zip",
        cases=len(cases),
        records=records,
    )
