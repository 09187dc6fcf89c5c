"""Fixtures for case-work tests: Layla's case in implementation, opened ten days ago."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import Personas
from pcm.cases.models import Case, CaseStatus, RiskLevel

OUTSIDERS = ["other_caseworker", "other_supervisor", "outsider", "outsider_manager"]


@pytest.fixture
def case(personas: Personas, case_for: Callable[..., Case]) -> Case:
    return case_for(
        personas.caseworker,
        status=CaseStatus.IMPLEMENTATION,
        risk_level=RiskLevel.HIGH,
        opened_at=timezone.now() - timedelta(days=10),
        first_response_due_at=timezone.now() - timedelta(days=9),
    )


def url(name: str, case: Case, **kwargs: object) -> str:
    return reverse(f"casework:{name}", kwargs={"public_id": case.public_id, **kwargs})


def local_input(case: Case, moment: datetime) -> str:
    """MOMENT as a datetime-local control sends it: in the agency's time zone, to the minute."""
    return moment.astimezone(ZoneInfo(case.agency.time_zone)).strftime("%Y-%m-%dT%H:%M")
