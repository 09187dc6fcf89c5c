"""Fixtures for retention tests: a closed case with one record of every kind, every encrypted
field filled with a recognisable secret, closed long enough ago to be due."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from django.db import models
from django.test import Client
from django.utils import timezone

from conftest import Personas, sign_in
from pcm.access.models import BreakGlassGrant
from pcm.accounts.models import User
from pcm.accounts.reauth import mark_confirmed
from pcm.assessments.models import IdentifiedRisk, PerpetratorType
from pcm.assessments.tests.factories import make_assessment
from pcm.attachments.actions import store_attachment
from pcm.attachments.models import FileType
from pcm.cases.consent import Consent, ConsentMethod, GivenBy
from pcm.cases.household import HouseholdMember, Relationship
from pcm.cases.intake import Eligibility, IntakeScreening
from pcm.cases.models import Case, CaseStatus, RiskLevel
from pcm.cases.taxonomy import RiskType, ensure_default_taxonomy
from pcm.casework.models import (
    CaseConference,
    CaseNote,
    ConferenceAction,
    ContactMode,
    DirectSupport,
    FollowUp,
    StepChange,
    SupportType,
)
from pcm.closure.models import (
    CaseReopening,
    ClosureCriterion,
    ClosureRequest,
    ClosureStatus,
    TransferRequest,
    TransferStatus,
)
from pcm.people.models import DuplicateFlag, DuplicateReason, Person
from pcm.plans.models import (
    ActionOwner,
    CasePlan,
    EmergencyContact,
    PlanAction,
    PlanGoal,
    PlanReview,
    PlanStatus,
    PlanVersion,
    SafetyPlan,
)
from pcm.referrals.models import Referral, ReferralStatus, ReferralStep, Urgency
from pcm.retention.coverage import CASE_RECORDS, PERSON_RECORDS, encrypted_field_names
from pcm.services.models import Provider, Sector, Service
from pcm.supervision.models import CaseFileCheck, CheckAnswer
from tests.factories import CaseFactory, PersonFactory

SECRET = "SECRET-7Q"  # every encrypted value of the fixture contains it
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + SECRET.encode() + b"\x00" * 64


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path: Path) -> Path:
    """Attachments of each test go to its own directory."""
    settings.DATA_DIR = tmp_path
    return tmp_path


def long_ago(months: int = 30) -> datetime:
    return timezone.now() - timedelta(days=31 * months)


def fill_secrets(case: Case) -> None:
    """Put a secret in every encrypted field of every record of CASE and its person."""
    for entries, owner in ((CASE_RECORDS, case.pk), (PERSON_RECORDS, case.person_id)):
        for entry in entries:
            names = encrypted_field_names(entry.model)
            for row in entry.rows_of(owner):
                for name in names:
                    setattr(row, name, f"{SECRET} {entry.label}.{name} {row.pk}")
                if names:
                    _save(row, names)


def _save(row: models.Model, names: list[str]) -> None:
    type(row)._default_manager.filter(pk=row.pk).update(
        **{name: getattr(row, name) for name in names}
    )


def build_records(case: Case, personas: Personas) -> None:
    """One record (at least) of every kind a case has."""
    worker = case.assigned_to
    assert worker is not None
    ensure_default_taxonomy(case.agency_id)
    risk = RiskType.objects.filter(agency_id=case.agency_id).order_by("code")[0]
    Consent.objects.create(
        case=case,
        version=1,
        given_by=GivenBy.CAREGIVER,
        method=ConsentMethod.VERBAL,
        case_management=True,
        recorded_by=worker,
        share_with_others=f"{SECRET} local committee",
    )
    other = CaseFactory.create(assigned_to=worker)  # the household member's own case
    HouseholdMember.objects.create(
        case=case, name="x", relationship=Relationship.CHILD, sex="male", age=7, own_case=other
    )
    screening = IntakeScreening.objects.create(
        case=case, eligibility=Eligibility.ELIGIBLE, eligibility_reason="x", screened_by=worker
    )
    screening.risk_types.set([risk])
    assessment = make_assessment(case, risk_level=RiskLevel.HIGH)
    IdentifiedRisk.objects.create(
        assessment=assessment, risk_type=risk, perpetrator=PerpetratorType.ARMED_ACTOR
    )
    plan = CasePlan.objects.create(case=case)
    version = PlanVersion.objects.create(
        plan=plan,
        case=case,
        number=1,
        status=PlanStatus.APPROVED,
        created_by=worker,
        updated_by=worker,
    )
    goal = PlanGoal.objects.create(plan_version=version, position=1, description="x")
    PlanAction.objects.create(
        plan_version=version, case=case, goal=goal, description="x", owner=ActionOwner.CASEWORKER
    )
    PlanReview.objects.create(plan=plan, plan_version=version, outcome="x", reviewed_by=worker)
    safety = SafetyPlan.objects.create(case=case, created_by=worker, updated_by=worker)
    EmergencyContact.objects.create(safety_plan=safety, name="x", phone="x")
    CaseNote.objects.create(
        case=case,
        contact_at=long_ago(40),
        mode=ContactMode.PHONE,
        duration_minutes=20,
        narrative="x",
        written_by=worker,
    )
    DirectSupport.objects.create(
        case=case,
        given_on=date(2023, 1, 5),
        support_type=SupportType.CASH,
        amount=100,
        currency="IQD",
        purpose="x",
        recorded_by=worker,
    )
    conference = CaseConference.objects.create(
        case=case, held_on=date(2023, 2, 1), participants="x", decisions="x", recorded_by=worker
    )
    ConferenceAction.objects.create(
        conference=conference,
        description="x",
        owner=ActionOwner.CASEWORKER,
        due_on=date(2023, 2, 15),
    )
    FollowUp.objects.create(
        case=case,
        due_on=date(2023, 3, 1),
        purpose="x",
        mode=ContactMode.PHONE,
        scheduled_by=worker,
    )
    StepChange.objects.create(case=case, to_status=CaseStatus.FOLLOW_UP, changed_by=worker)
    ClosureRequest.objects.create(
        case=case,
        criterion=ClosureCriterion.GOALS_MET,
        summary="x",
        from_status=CaseStatus.FOLLOW_UP,
        status=ClosureStatus.APPROVED,
        requested_by=worker,
        decided_by=personas.supervisor,
        decided_at=case.closed_at,
    )
    CaseReopening.objects.create(case=case, reason="x", reopened_by=worker)
    TransferRequest.objects.create(
        case=case,
        case_number=case.number,
        from_agency=case.agency,
        to_agency=personas.other_agency,
        reason="x",
        status=TransferStatus.DECLINED,
        requested_by=worker,
    )
    CaseFileCheck.objects.create(
        case=case,
        version=1,
        consent_present=CheckAnswer.YES,
        assessment_done=CheckAnswer.YES,
        plan_agreed=CheckAnswer.YES,
        notes_up_to_date=CheckAnswer.NO,
        deadlines_met=CheckAnswer.YES,
        checked_by=personas.supervisor,
    )
    store_attachment(
        case,
        kind="photo",
        title="x",
        original_name="x.png",
        content=PNG,
        file_type=FileType.PNG,
        uploaded_by=worker,
    )
    BreakGlassGrant.objects.create(
        user=personas.manager, case=case, reason="x", expires_at=long_ago(29)
    )
    provider = Provider.objects.create(agency=case.agency, name="Retention clinic")
    service = Service.objects.create(provider=provider, name="Clinic", sector=Sector.HEALTH)
    referral = Referral.objects.create(
        case=case,
        agency=case.agency,
        service=service,
        referred_by=worker,
        urgency=Urgency.ROUTINE,
        reason="x",
        payload="x",
        respond_by=long_ago(29),
    )
    ReferralStep.objects.create(referral=referral, status=ReferralStatus.SENT, by=worker)
    twin = PersonFactory.create(agency=case.agency, registered_by=worker)
    DuplicateFlag.objects.create(
        agency=case.agency, person=case.person, candidate=twin, reason=DuplicateReason.PHONE
    )
    fill_secrets(case)


def close(case: Case, *, at: datetime | None = None) -> Case:
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_at=at or long_ago())
    case.refresh_from_db()
    return case


@dataclass
class Rich:
    case: Case
    person: Person


@pytest.fixture
def make_closed_case(personas: Personas, case_for: Callable[..., Case]) -> Callable[..., Case]:
    """make_closed_case(owner=Layla, closed_at=30 months ago, person=None, rich=False)."""

    def make(
        owner: User | None = None,
        *,
        closed_at: datetime | None = None,
        person: Person | None = None,
        rich: bool = False,
        **fields: object,
    ) -> Case:
        worker = owner or personas.caseworker
        if person is not None:
            fields["person"] = person
        case: Case = case_for(worker, **fields)
        close(case, at=closed_at)
        if rich:
            build_records(case, personas)
        return case

    return make


@pytest.fixture
def rich_case(make_closed_case: Callable[..., Case]) -> Case:
    """Layla's case, closed 30 months ago, with every kind of record full of secrets."""
    return make_closed_case(rich=True, risk_level=RiskLevel.HIGH)


def confirmed_client(user: User) -> Client:
    """A signed-in client that has just confirmed its identity (re-authentication)."""
    client = sign_in(Client(), user)
    session = client.session
    mark_confirmed(session)
    session.save()
    return client
