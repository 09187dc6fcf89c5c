"""Typed content of a plan draft or a safety plan, as a form hands it to the actions."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from pcm.plans.models import ActionOwner, ActionStatus


@dataclass(frozen=True)
class GoalInput:
    description: str


@dataclass(frozen=True)
class ActionInput:
    description: str
    owner: ActionOwner
    due_on: date | None = None
    status: ActionStatus = ActionStatus.TO_DO
    # index into PlanDraft.goals, or None for an action not tied to one goal
    goal_index: int | None = None
    # the action this row continues from the version the form was loaded from
    key: uuid.UUID | None = None


@dataclass(frozen=True)
class PlanDraft:
    goals: list[GoalInput] = field(default_factory=list)
    actions: list[ActionInput] = field(default_factory=list)
    review_on: date | None = None


@dataclass(frozen=True)
class ContactInput:
    name: str
    phone: str
    relationship: str = ""


@dataclass(frozen=True)
class SafetyPlanInput:
    warning_signs: str = ""
    safe_places: str = ""
    safe_people: str = ""
    emergency_steps: str = ""
    reviewed_on: date | None = None
    contacts: list[ContactInput] = field(default_factory=list)
