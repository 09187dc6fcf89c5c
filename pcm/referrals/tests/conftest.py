"""A high-risk case of Layla's, consented for referrals, with a plan action to refer; a legal-aid
service of a partner agency (Kalyna Relief) whose focal point receives referrals in PCM."""

from __future__ import annotations

import pytest
from django.utils import timezone

from pcm.accounts.models import Role, User
from pcm.cases.consent import Consent, ConsentMethod, GivenBy
from pcm.cases.models import Case, CaseStatus, RiskLevel
from pcm.plans.models import ActionOwner, CasePlan, PlanAction, PlanStatus, PlanVersion
from pcm.referrals.models import FocalPoint
from pcm.services.models import Provider, Sector, Service
from tests.factories import UserFactory


def give_consent(
    case: Case, *, shared=("identity", "contact", "risk"), referrals=True, withdrawn=False
):
    assert case.assigned_to is not None
    version = Consent.objects.filter(case=case).count() + 1
    return Consent.objects.create(
        case=case,
        version=version,
        withdrawn=withdrawn,
        given_by=GivenBy.SERVICE_USER,
        method=ConsentMethod.VERBAL,
        given_at=timezone.now(),
        case_management=True,
        referrals=referrals,
        data_sharing=False,
        shared_fields=list(shared),
        recorded_by=case.assigned_to,
    )


def plan_with_referral_action(case: Case) -> PlanAction:
    assert case.assigned_to is not None
    plan, _created = CasePlan.objects.get_or_create(case=case)
    version = PlanVersion.objects.create(
        plan=plan,
        case=case,
        number=plan.versions.count() + 1,
        status=PlanStatus.APPROVED,
        created_by=case.assigned_to,
        updated_by=case.assigned_to,
    )
    CasePlan.objects.filter(pk=plan.pk).update(current_version=version)
    return PlanAction.objects.create(
        plan_version=version,
        case=case,
        position=1,
        description="Legal advice on the eviction",
        owner=ActionOwner.REFERRAL,
    )


@pytest.fixture
def partner_focal_point(personas) -> User:
    return UserFactory.create(
        username="petro",
        role=Role.PROVIDER_FOCAL_POINT,
        agency=personas.other_agency,
        first_name="Petro",
        last_name="Shevchuk",
    )


@pytest.fixture
def legal_aid(personas, partner_focal_point) -> Service:
    provider = Provider.objects.create(
        agency=personas.agency, name="Kalyna legal clinic", pcm_agency=personas.other_agency
    )
    service = Service.objects.create(
        provider=provider, name="Legal aid on housing", sector=Sector.LEGAL, response_days=5
    )
    FocalPoint.objects.create(service=service, user=partner_focal_point, added_by=personas.manager)
    return service


@pytest.fixture
def paper_service(personas) -> Service:
    """A provider outside PCM: answers come on paper or by phone."""
    provider = Provider.objects.create(agency=personas.agency, name="Town health centre")
    return Service.objects.create(provider=provider, name="General clinic", sector=Sector.HEALTH)


@pytest.fixture
def high_risk_case(personas, case_for):
    case = case_for(
        personas.caseworker, risk_level=RiskLevel.HIGH, status=CaseStatus.IMPLEMENTATION
    )
    person = case.person
    person.given_name, person.family_name = "Mariam", "Haddad"
    person.phone, person.address = "+964 750 123 4567", "12 Orchard Street, Mosul"
    person.id_document_number = "A1234567"
    person.save()
    give_consent(case)
    return case


@pytest.fixture
def referral_action(high_risk_case) -> PlanAction:
    return plan_with_referral_action(high_risk_case)
