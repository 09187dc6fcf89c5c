"""Case-work records for tests, written straight to the database (no rules, no audit)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from pcm.cases.models import Case
from pcm.casework.models import (
    CaseConference,
    CaseNote,
    ContactMode,
    DirectSupport,
    FollowUp,
    StepChange,
    SupportType,
)


def _writer(case: Case) -> Any:
    return case.assigned_to or case.opened_by


def make_note(case: Case, **fields: Any) -> CaseNote:
    values: dict[str, Any] = {
        "contact_at": timezone.now() - timedelta(hours=1),
        "mode": ContactMode.PHONE,
        "place": "Agency office",
        "duration_minutes": 20,
        "narrative": "Spoke about the next steps.",
        "written_by": _writer(case),
    }
    values.update(fields)
    return CaseNote.objects.create(case=case, **values)


def make_support(case: Case, **fields: Any) -> DirectSupport:
    values: dict[str, Any] = {
        "given_on": timezone.localdate(),
        "support_type": SupportType.CASH,
        "amount": Decimal("150000"),
        "currency": "IQD",
        "purpose": "Rent for one month",
        "recorded_by": _writer(case),
    }
    values.update(fields)
    return DirectSupport.objects.create(case=case, **values)


def make_conference(case: Case, **fields: Any) -> CaseConference:
    values: dict[str, Any] = {
        "held_on": timezone.localdate(),
        "participants": "Caseworker; clinic social worker",
        "decisions": "Refer to the legal aid partner.",
        "recorded_by": _writer(case),
    }
    values.update(fields)
    return CaseConference.objects.create(case=case, **values)


def make_follow_up(case: Case, **fields: Any) -> FollowUp:
    values: dict[str, Any] = {
        "due_on": timezone.localdate() + timedelta(days=3),
        "purpose": "Check the appointment took place",
        "mode": ContactMode.PHONE,
        "scheduled_by": _writer(case),
    }
    values.update(fields)
    return FollowUp.objects.create(case=case, **values)


def make_step_change(case: Case, **fields: Any) -> StepChange:
    values: dict[str, Any] = {"to_status": "implementation", "changed_by": _writer(case)}
    values.update(fields)
    return StepChange.objects.create(case=case, **values)
