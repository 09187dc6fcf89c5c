"""Test helpers: assessments written directly, and the data the action takes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.utils import timezone

from pcm.accounts.models import User
from pcm.assessments.actions import AssessmentData
from pcm.assessments.models import (
    PHQ9_FIELDS,
    WG_FIELDS,
    Assessment,
    ImmediateSafety,
    NeedSector,
    PerpetratorType,
)
from pcm.assessments.scoring import Difficulty
from pcm.cases.models import Case, RiskLevel
from pcm.cases.taxonomy import RiskType

CALM = (1, 1, 0, 1, 0, 0, 1, 0, 0)  # total 4: minimal, item 9 at 0


def make_assessment(
    case: Case,
    *,
    phq9: Sequence[int] = CALM,
    wg: Sequence[str] = (Difficulty.NONE,) * 6,
    risk_level: str = RiskLevel.MEDIUM,
    recorded_at: datetime | None = None,
    recorded_by: User | None = None,
) -> Assessment:
    """An assessment saved straight to the database (for pages, queue, matrix)."""
    return Assessment.objects.create(
        case=case,
        needs=[NeedSector.LEGAL],
        immediate_safety=ImmediateSafety.SAFE,
        risk_level=risk_level,
        summary="Threatened over property; wants legal aid.",
        recorded_by=recorded_by or case.assigned_to or case.opened_by,
        recorded_at=recorded_at or timezone.now(),
        **dict(zip(PHQ9_FIELDS, phq9, strict=True)),
        **dict(zip(WG_FIELDS, wg, strict=True)),
    )


def data(case: Case, **changes: Any) -> AssessmentData:
    """Valid action data for CASE: one risk of its agency, calm PHQ-9, no disability."""
    risk = RiskType.objects.filter(agency_id=case.agency_id, is_active=True).order_by("code")[0]
    values: dict[str, Any] = {
        "risks": [(risk, PerpetratorType.ARMED_ACTOR)],
        "needs": [NeedSector.LEGAL, NeedSector.MHPSS],
        "needs_note": "Needs a lawyer for the property dispute.",
        "strengths": "Keeps a routine for the children.",
        "support_network": "A sister nearby.",
        "immediate_safety": ImmediateSafety.SAFE,
        "safety_note": "",
        "phq9": CALM,
        "wg": [Difficulty.NONE] * 6,
        "risk_level": RiskLevel.MEDIUM,
        "summary": "Threatened at a checkpoint; documents confiscated.",
    }
    values.update(changes)
    return AssessmentData(**values)
