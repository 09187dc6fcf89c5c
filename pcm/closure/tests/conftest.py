"""Fixtures for step 6 tests: a case in implementation held by Layla, consent, requests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import timezone

from conftest import Personas
from pcm.access.fields import FieldGroup
from pcm.accounts.models import Agency
from pcm.cases.consent import Consent, ConsentMethod, GivenBy
from pcm.cases.models import Case, CaseStatus, RiskLevel
from pcm.closure.actions import do_approve_closure, do_request_closure
from pcm.closure.models import ClosureCriterion, ClosureRequest

SUMMARY = "Goals of the plan met; the service user feels safe and agreed to close."


@pytest.fixture
def case(personas: Personas, case_for: Callable[..., Case]) -> Case:
    return case_for(
        personas.caseworker, status=CaseStatus.IMPLEMENTATION, risk_level=RiskLevel.HIGH
    )


def give_consent(
    case: Case,
    *agencies: Agency,
    withdrawn: bool = False,
    shared_fields: list[str] | None = None,
) -> Consent:
    """A new version of CASE's consent, sharing with AGENCIES (none: no data sharing) the
    groups SHARED_FIELDS (default: every group)."""
    assert case.assigned_to is not None
    version = Consent.objects.filter(case=case).count() + 1
    consent = Consent.objects.create(
        case=case,
        version=version,
        withdrawn=withdrawn,
        given_by=GivenBy.SERVICE_USER,
        method=ConsentMethod.VERBAL,
        given_at=timezone.now(),
        case_management=True,
        referrals=True,
        data_sharing=bool(agencies),
        shared_fields=list(FieldGroup.values) if shared_fields is None else shared_fields,
        recorded_by=case.assigned_to,
    )
    consent.share_with.set(agencies)
    return consent


def request_closure(case: Case, **fields: object) -> ClosureRequest:
    assert case.assigned_to is not None
    options: dict[str, object] = {"criterion": ClosureCriterion.GOALS_MET, "summary": SUMMARY}
    options.update(fields)
    closure = do_request_closure(case, acting_user=case.assigned_to, **options)  # type: ignore[arg-type]
    case.refresh_from_db()
    return closure


def closed_case(case: Case) -> Case:
    """CASE closed the only legal way: requested by its caseworker, approved by the supervisor."""
    closure = request_closure(case)
    supervisor = case.team.supervisor
    assert supervisor is not None
    do_approve_closure(closure, acting_user=supervisor)
    case.refresh_from_db()
    return case
