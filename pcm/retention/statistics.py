"""What an anonymised case still says: the values statistics count, nothing identifying."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from pcm.assessments.models import IdentifiedRisk
from pcm.cases.intake import AgeGroup, IntakeScreening, age_group
from pcm.cases.models import Case, CaseStatus, RiskLevel
from pcm.cases.taxonomy import RiskType
from pcm.closure.models import ClosureCriterion, ClosureRequest, ClosureStatus
from pcm.people.models import DisplacementStatus, Person, Sex


@dataclass(frozen=True)
class KeptStatistics:
    sex: str
    age_group: str
    displacement_status: str
    location: str
    risk_level: str
    risk_types: list[str]
    status: str
    opened_at: datetime
    closed_at: datetime | None
    closure_criterion: str
    anonymised_at: datetime | None

    @property
    def age_group_label(self) -> str:
        return str(AgeGroup(self.age_group).label) if self.age_group in AgeGroup.values else ""


def age_group_at_registration(person: Person) -> str:
    """The age group the person was in when registered ("" when the age is unknown)."""
    age = person.age_on(timezone.localdate(person.registered_at))
    return age_group(age).value if age is not None else ""


def kept_statistics(case: Case) -> KeptStatistics:
    person = case.person
    screened = IntakeScreening.objects.filter(case=case).first()
    risk_ids = set(
        IdentifiedRisk.objects.filter(assessment__case=case).values_list("risk_type", flat=True)
    )
    if screened is not None:
        risk_ids |= set(screened.risk_types.values_list("pk", flat=True))
    closure = (
        ClosureRequest.objects.filter(case=case, status=ClosureStatus.APPROVED)
        .order_by("-decided_at", "-id")
        .first()
    )
    group = age_group_at_registration(person)
    return KeptStatistics(
        sex=str(Sex(person.sex).label) if person.sex in Sex.values else person.sex,
        age_group=group,
        displacement_status=(
            str(DisplacementStatus(person.displacement_status).label)
            if person.displacement_status in DisplacementStatus.values
            else person.displacement_status
        ),
        location=person.location.name if person.location else "",
        risk_level=str(RiskLevel(case.risk_level).label),
        risk_types=list(
            RiskType.objects.filter(pk__in=risk_ids).order_by("code").values_list("name", flat=True)
        ),
        status=str(CaseStatus(case.status).label),
        opened_at=case.opened_at,
        closed_at=case.closed_at,
        closure_criterion=str(ClosureCriterion(closure.criterion).label) if closure else "",
        anonymised_at=case.anonymised_at,
    )
