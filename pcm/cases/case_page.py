"""The intake section of the case page: screening, safeguard, consent, household, next step."""

from __future__ import annotations

from django.http import HttpRequest

from pcm.access import policy
from pcm.cases.consent import Consent
from pcm.cases.household import HouseholdMember
from pcm.cases.intake import IntakeScreening
from pcm.cases.intake_actions import intake_blockers
from pcm.cases.models import Case, CaseStatus
from pcm.cases.page import Section

ORDER = 10


def CASE_SECTION(request: HttpRequest, case: Case) -> Section:
    screening = (
        IntakeScreening.objects.filter(case=case)
        .select_related("exception_decided_by")
        .prefetch_related("risk_types")
        .first()
    )
    consent = Consent.objects.filter(case=case).order_by("-version").first()
    in_intake = case.status == CaseStatus.INTAKE
    return Section(
        "cases/_intake_section.html",
        {
            "screening": screening,
            "consent": consent,
            "household_count": HouseholdMember.objects.filter(case=case).count(),
            "can_work": policy.can_work_on_case(request.user, case),
            "can_decide": policy.can_reassign(request.user, case),
            "in_intake": in_intake,
            "blockers": intake_blockers(case) if in_intake else [],
        },
    )
