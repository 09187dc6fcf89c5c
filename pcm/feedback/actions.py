"""Writes of the feedback register: record, edit, the status steps, and the handlers' list.

Each action checks permission and state, runs in one transaction and writes its audit entry
there — ids, codes and field names only, never what was said.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from pcm.accounts.models import User
from pcm.audit.actions import record_event
from pcm.cases.models import Case
from pcm.core.errors import ActionRefused, EditConflict
from pcm.feedback import access
from pcm.feedback.models import (
    Category,
    Channel,
    ComplaintsHandler,
    FeedbackEntry,
    FeedbackEvent,
    Kind,
    Status,
)
from pcm.locations.models import Location


@dataclass(frozen=True)
class EntryDetails:
    """What is recorded about an entry (everything but its handling)."""

    kind: Kind
    channel: Channel
    category: Category
    received_on: date
    description: str
    location: Location | None = None
    wants_reply: bool = False
    reply_by: str = ""
    sensitive: bool = False
    about_staff: bool = False


DETAIL_FIELDS = [
    "kind",
    "channel",
    "category",
    "received_on",
    "description",
    "location",
    "wants_reply",
    "reply_by",
    "sensitive",
    "about_staff",
]


class Step:
    """The steps of an entry's handling, and the statuses each may start from."""

    ACKNOWLEDGE = "acknowledge"
    START = "start"
    RESPOND = "respond"
    CLOSE = "close"


STEP_FROM: dict[str, tuple[Status, ...]] = {
    Step.ACKNOWLEDGE: (Status.RECEIVED,),
    Step.START: (Status.RECEIVED, Status.ACKNOWLEDGED),
    Step.RESPOND: (Status.RECEIVED, Status.ACKNOWLEDGED, Status.IN_PROGRESS),
    # An anonymous note from a suggestion box may close without any response.
    Step.CLOSE: (Status.RECEIVED, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.RESPONDED),
}
STEP_TO: dict[str, Status] = {
    Step.ACKNOWLEDGE: Status.ACKNOWLEDGED,
    Step.START: Status.IN_PROGRESS,
    Step.RESPOND: Status.RESPONDED,
    Step.CLOSE: Status.CLOSED,
}
# The date and the user each step fills in.
STEP_FIELDS: dict[str, tuple[str, str]] = {
    Step.ACKNOWLEDGE: ("acknowledged_on", "acknowledged_by"),
    Step.START: ("in_progress_on", "in_progress_by"),
    Step.RESPOND: ("responded_on", "responded_by"),
    Step.CLOSE: ("closed_on", "closed_by"),
}


def _conflict() -> EditConflict:
    return EditConflict(
        _(
            "Someone else changed this entry while you were working on it. Nothing was saved: "
            "read the entry again, then repeat your change if it is still needed."
        )
    )


def _check_details(details: EntryDetails, today: date) -> None:
    if details.received_on > today:
        raise ActionRefused(_("The date received is in the future. Enter the day it came in."))
    if not details.description.strip():
        raise ActionRefused(_("Write down what was said."))
    if details.reply_by.strip() and not details.wants_reply:
        raise ActionRefused(
            _("A way to reply is given but no reply is wanted: tick 'wants a reply' or clear it.")
        )


def _audit(event: FeedbackEvent, entry: FeedbackEntry, user: User, **extra: Any) -> None:
    """Record EVENT about ENTRY. A restricted entry's case is left out of the event, so that
    the case's access history (read by its team) does not reveal a complaint about staff."""
    changed = extra.pop("changed", ())
    detail: dict[str, Any] = {"restricted": entry.is_restricted, **extra}
    if entry.linked_case_id is not None and not entry.is_restricted:
        detail["case"] = entry.linked_case_id
    record_event(
        event,
        actor=user,
        target=entry,
        agency=entry.agency,
        fields=changed,
        detail=detail,
    )


def do_record_entry(
    details: EntryDetails,
    *,
    case: Case | None = None,
    acting_user: User,
    now: datetime | None = None,
) -> FeedbackEntry:
    """Record a new entry in ACTING_USER's agency. CASE must be one they may see."""
    if not access.can_record(acting_user):
        raise ActionRefused(_("Only caseworkers, supervisors and managers record feedback."))
    moment = now or timezone.now()
    _check_details(details, timezone.localdate(moment))
    if case is not None and access.find_case(acting_user, case.number) is None:
        raise ActionRefused(_("No case you can see has this number."))
    with transaction.atomic(durable=True):
        entry = FeedbackEntry.objects.create(
            agency_id=acting_user.agency_id or 0,  # a recorder always has an agency
            kind=details.kind,
            channel=details.channel,
            category=details.category,
            received_on=details.received_on,
            location=details.location,
            linked_case=case,
            description=details.description.strip(),
            wants_reply=details.wants_reply,
            reply_by=details.reply_by.strip(),
            sensitive=details.sensitive,
            about_staff=details.about_staff,
            recorded_by=acting_user,
            recorded_at=moment,
        )
        _audit(
            FeedbackEvent.RECORDED,
            entry,
            acting_user,
            kind=entry.kind,
            changed=[*DETAIL_FIELDS, "linked_case"] if case else DETAIL_FIELDS,
        )
    return entry


def do_change_entry(
    entry: FeedbackEntry,
    details: EntryDetails,
    *,
    case: Case | None,
    keep_case: bool,
    based_on_version: int,
    acting_user: User,
) -> FeedbackEntry:
    """Correct what was recorded. KEEP_CASE: leave the link to a case the user cannot see."""
    if not access.can_handle(acting_user, entry):
        raise ActionRefused(_("You cannot change this entry."))
    _check_details(details, timezone.localdate())
    if not keep_case and case is not None and access.find_case(acting_user, case.number) is None:
        raise ActionRefused(_("No case you can see has this number."))
    values: dict[str, Any] = {
        name: getattr(details, name) for name in DETAIL_FIELDS if name != "location"
    }
    values["description"] = details.description.strip()
    values["reply_by"] = details.reply_by.strip()
    values["location_id"] = details.location.pk if details.location else None
    changed = [
        name
        for name in DETAIL_FIELDS
        if name not in ("description", "reply_by", "location")
        and getattr(entry, name) != values[name]
    ]
    changed += [
        name for name in ("description", "reply_by") if getattr(entry, name) != values[name]
    ]
    if entry.location_id != values["location_id"]:
        changed.append("location")
    if not keep_case:
        values["linked_case_id"] = case.pk if case else None
        if entry.linked_case_id != values["linked_case_id"]:
            changed.append("linked_case")
    with transaction.atomic(durable=True):
        updated = FeedbackEntry.objects.filter(pk=entry.pk, version=based_on_version).update(
            version=F("version") + 1, **values
        )
        if not updated:
            raise _conflict()
        entry.refresh_from_db()
        _audit(FeedbackEvent.CHANGED, entry, acting_user, changed=changed)
    return entry


def do_take_step(
    entry: FeedbackEntry,
    step: str,
    *,
    on: date,
    based_on_version: int,
    acting_user: User,
    response: str = "",
) -> FeedbackEntry:
    """Move ENTRY on by STEP (acknowledge, start, respond, close) on the day ON."""
    if not access.can_handle(acting_user, entry):
        raise ActionRefused(_("You cannot handle this entry."))
    if step not in STEP_FROM:
        raise ActionRefused(_("Choose one of the steps offered on the page."))
    if entry.status not in STEP_FROM[step]:
        raise ActionRefused(
            _("This entry is %(status)s: that step is no longer possible.")
            % {"status": entry.get_status_display().lower()}
        )
    if on > timezone.localdate():
        raise ActionRefused(_("The date is in the future. Enter the day it was done."))
    if on < entry.received_on:
        raise ActionRefused(_("The date is before the day the entry was received."))
    values: dict[str, Any] = {"status": STEP_TO[step]}
    date_field, user_field = STEP_FIELDS[step]
    values[date_field] = on
    values[f"{user_field}_id"] = acting_user.pk
    if step == Step.RESPOND:
        if not response.strip():
            raise ActionRefused(_("Write the response that was given."))
        values["response"] = response.strip()
    with transaction.atomic(durable=True):
        updated = FeedbackEntry.objects.filter(
            pk=entry.pk, version=based_on_version, status=entry.status
        ).update(version=F("version") + 1, **values)
        if not updated:
            raise _conflict()
        previous = entry.status
        entry.refresh_from_db()
        _audit(
            FeedbackEvent.STATUS_CHANGED,
            entry,
            acting_user,
            changed=[name for name in values if name != "status"] + ["status"],
            status_from=previous,
            status_to=entry.status,
        )
    return entry


def do_record_read(entry: FeedbackEntry, *, acting_user: User) -> None:
    """Audit a full read of a restricted entry, or of an entry linked to a case."""
    if entry.is_restricted:
        event = FeedbackEvent.RESTRICTED_VIEWED
    elif entry.linked_case_id is not None:
        event = FeedbackEvent.VIEWED
    else:
        return
    with transaction.atomic():
        _audit(event, entry, acting_user)


def _check_keeper(user: User) -> None:
    if not access.can_keep_handlers(user):
        raise ActionRefused(_("Only a manager or an administrator keeps the complaints handlers."))


def do_add_handler(user: User, *, acting_user: User) -> ComplaintsHandler:
    """Make USER one of ACTING_USER's agency's complaints handlers."""
    _check_keeper(acting_user)
    if (
        user.agency_id != acting_user.agency_id
        or not user.is_active
        or user.role not in access.HANDLER_ROLES
    ):
        raise ActionRefused(_("Choose an active caseworker, supervisor or manager of your agency."))
    with transaction.atomic(durable=True):
        try:
            with transaction.atomic():
                handler = ComplaintsHandler.objects.create(
                    agency_id=acting_user.agency_id or 0,  # a keeper always has one
                    user=user,
                    added_by=acting_user,
                    added_at=timezone.now(),
                )
        except IntegrityError:
            raise ActionRefused(_("This staff member is already a complaints handler.")) from None
        record_event(
            FeedbackEvent.HANDLER_ADDED,
            actor=acting_user,
            target=handler,
            agency=acting_user.agency,
            detail={"user": user.pk},
        )
    return handler


def do_remove_handler(handler: ComplaintsHandler, *, acting_user: User) -> None:
    """Take HANDLER off the list: from now on they no longer read restricted entries."""
    _check_keeper(acting_user)
    if handler.agency_id != acting_user.agency_id:
        raise ActionRefused(_("This handler is not of your agency."))
    with transaction.atomic(durable=True):
        record_event(
            FeedbackEvent.HANDLER_REMOVED,
            actor=acting_user,
            target=handler,
            agency=acting_user.agency,
            detail={"user": handler.user_id},
        )
        handler.delete()


def forget_case(case_id: int) -> int:
    """When a case is anonymised (pcm.retention), the register entries linked to it lose what
    was said, how to reply and the response, and their link: the entry and its figures stay.
    Returns how many entries were emptied."""
    return FeedbackEntry.objects.filter(linked_case_id=case_id).update(
        description="", reply_by="", response="", linked_case=None, version=F("version") + 1
    )
