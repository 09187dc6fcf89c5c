"""The typed data a form hands to an action: what the user entered, already validated."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from pcm.accounts.models import Agency
from pcm.casework.models import ContactMode, SupportType
from pcm.plans.models import ActionOwner


@dataclass(frozen=True)
class NoteDetails:
    contact_at: datetime
    mode: ContactMode
    duration_minutes: int
    narrative: str
    place: str = ""


@dataclass(frozen=True)
class SupportDetails:
    given_on: date
    support_type: SupportType
    purpose: str
    amount: Decimal | None = None
    currency: str = ""
    notes: str = ""


@dataclass(frozen=True)
class ActionDetails:
    description: str
    owner: ActionOwner
    due_on: date


@dataclass(frozen=True)
class ConferenceDetails:
    held_on: date
    participants: str
    decisions: str
    discussion: str = ""
    agencies: list[Agency] = field(default_factory=list)
    other_agencies: str = ""
    actions: list[ActionDetails] = field(default_factory=list)


@dataclass(frozen=True)
class FollowUpDetails:
    due_on: date
    purpose: str
    mode: ContactMode


@dataclass(frozen=True)
class FollowUpOutcome:
    done_at: datetime
    outcome: str
    # When given, recording this follow-up schedules the next one.
    next_follow_up: FollowUpDetails | None = None
