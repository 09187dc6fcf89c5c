"""Demo records for step 6: approved closures with surveys, and closures awaiting approval."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import TypeVar

from pcm.accounts.models import Agency, Team
from pcm.cases.models import Case, CaseStatus
from pcm.closure.actions import month_of
from pcm.closure.models import (
    MIN_CONTACT_ATTEMPTS,
    ClosureCriterion,
    ClosureRequest,
    ClosureStatus,
    SatisfactionSurvey,
    WouldRecommend,
)

C = ClosureCriterion
T = TypeVar("T")
# Most cases close because goals are met or the risk is reduced (guide, module 4).
CRITERIA: tuple[tuple[ClosureCriterion, float], ...] = (
    (C.GOALS_MET, 0.44),
    (C.RISK_REDUCED, 0.26),
    (C.SERVICE_USER_REQUEST, 0.08),
    (C.RELOCATED, 0.08),
    (C.UNREACHABLE, 0.08),
    (C.TRANSFERRED, 0.04),
    (C.DECEASED, 0.02),
)
SUMMARIES: dict[ClosureCriterion, tuple[str, ...]] = {
    C.GOALS_MET: (
        "All goals of the case action plan are met. The service user obtained civil "
        "documentation and is receiving the monthly cash assistance. She feels safe at home "
        "and knows how to reach the office if anything changes.",
        "The service user now has stable housing through the shelter programme and her "
        "children are back in school. Last two follow-ups found no new protection concern.",
        "Legal aid resolved the documentation problem and the referral to livelihoods was "
        "completed. The service user agreed the case can close.",
    ),
    C.RISK_REDUCED: (
        "The risk of eviction has passed: the landlord agreement was mediated and rent is "
        "covered for six months. Risk reviewed as low at the last two visits.",
        "Threats from the former employer stopped after the legal referral. The safety plan "
        "is in place and the service user uses it. Risk now low.",
        "Distress screen improved markedly after psychosocial support sessions. Support "
        "network re-established with the family; risk level reduced to low.",
    ),
    C.SERVICE_USER_REQUEST: (
        "The service user asked to close the case: she feels she no longer needs support "
        "and will contact the office again if needed. Informed of the hotline number.",
        "The service user prefers to continue with community support only. Closure "
        "discussed and agreed; information on services given.",
    ),
    C.RELOCATED: (
        "The service user relocated to another governorate to join relatives. Information "
        "on services in the new location was provided before departure.",
        "Family moved out of the area of operation. Contact details of the protection "
        "partner in the new area given with consent.",
    ),
    C.TRANSFERRED: (
        "Referred to a specialised organisation outside PCM that will continue case "
        "management; handover meeting held with the service user's consent.",
    ),
    C.DECEASED: (
        "The caseworker was informed by the family that the service user passed away. "
        "Condolences offered; family referred for support.",
    ),
}
UNREACHABLE_SUMMARY = (
    "The service user could not be reached despite {attempts} attempts by phone and a home "
    "visit ({dates}). Neighbours report the family left. Case closed; it can be reopened if "
    "the service user comes back."
)
COMMENTS = (
    "The caseworker listened and never judged me.",
    "Help came quickly when I needed it most.",
    "I wish the cash assistance had lasted longer.",
    "It was hard to reach the office by phone.",
    "Thank you for treating my family with respect.",
    "The appointments were sometimes far from where I live.",
    "",
    "",
    "",
)
# Overall satisfaction, skewed positive as field surveys are.
OVERALL: tuple[tuple[int, float], ...] = ((5, 0.46), (4, 0.34), (3, 0.11), (2, 0.05), (1, 0.04))


def _pick(rng: random.Random, table: tuple[tuple[T, float], ...]) -> T:
    return rng.choices([value for value, _ in table], [weight for _, weight in table])[0]


def _summary(rng: random.Random, criterion: ClosureCriterion, attempts: int, end: datetime) -> str:
    if criterion == C.UNREACHABLE:
        days = sorted(rng.sample(range(3, 40), attempts), reverse=True)
        dates = ", ".join(f"{end - timedelta(days=day):%d %b}" for day in days)
        return UNREACHABLE_SUMMARY.format(attempts=attempts, dates=dates)
    return rng.choice(SUMMARIES[criterion])


def _request(rng: random.Random, case: Case, requested_at: datetime) -> ClosureRequest:
    """A closure request by the case's caseworker, pending until the caller decides it."""
    if case.assigned_to_id is None:
        raise ValueError("only a case held by a caseworker has a closure request")
    criterion = _pick(rng, CRITERIA)
    attempts = rng.randint(MIN_CONTACT_ATTEMPTS, 6) if criterion == C.UNREACHABLE else None
    return ClosureRequest(
        case_id=case.pk,
        criterion=criterion,
        summary=_summary(rng, criterion, attempts or 0, requested_at),
        contact_attempts=attempts,
        from_status=rng.choice((CaseStatus.IMPLEMENTATION, CaseStatus.FOLLOW_UP)),
        status=ClosureStatus.PENDING,
        requested_by_id=case.assigned_to_id,
        requested_at=requested_at,
    )


def _offer_survey(rng: random.Random, closure: ClosureRequest) -> None:
    """About 60% of closed cases answer the survey; the unreachable and deceased cannot."""
    if closure.criterion in (C.UNREACHABLE, C.DECEASED) or rng.random() < 0.08:
        closure.survey_offered, closure.survey_accepted = False, False
        return
    accepted = rng.random() < 0.73
    closure.survey_offered, closure.survey_accepted, closure.survey_given = True, accepted, accepted


def _survey(rng: random.Random, case: Case, agency: Agency, closed: datetime) -> SatisfactionSurvey:
    overall = _pick(rng, OVERALL)

    def near() -> int:
        return max(1, min(5, overall + rng.choice((-1, 0, 0, 0, 1))))

    if overall >= 4:
        recommend = WouldRecommend.YES if rng.random() < 0.92 else WouldRecommend.NOT_SURE
    else:
        recommend = rng.choice((WouldRecommend.NO, WouldRecommend.NOT_SURE, WouldRecommend.YES))
    return SatisfactionSurvey(
        agency_id=case.agency_id,
        team_id=case.team_id,
        month=month_of(closed, agency),
        overall_satisfaction=overall,
        treated_with_respect=near(),
        felt_safe=near(),
        involved_in_decisions=near(),
        situation_improved=near(),
        would_recommend=recommend,
        comment=rng.choice(COMMENTS),
    )


def enrich(cases: list[Case], *, rng: random.Random, now: datetime) -> None:
    """Closure records for closed cases (surveys for about 60%) and pending requests."""
    held = [case for case in cases if case.assigned_to_id is not None]
    closed_cases = [case for case in held if case.status == CaseStatus.CLOSED]
    waiting = [case for case in held if case.status == CaseStatus.CLOSURE_REQUESTED]
    if not closed_cases and not waiting:
        return
    team_ids = {case.team_id for case in closed_cases + waiting}
    supervisors = dict(Team.objects.filter(pk__in=team_ids).values_list("pk", "supervisor_id"))
    agencies = Agency.objects.in_bulk({case.agency_id for case in closed_cases})
    requests: list[ClosureRequest] = []
    surveys: list[SatisfactionSurvey] = []
    for case in closed_cases:
        supervisor_id = supervisors.get(case.team_id)
        if supervisor_id is None:
            continue  # a team without a supervisor cannot have approved a closure
        closed = case.closed_at or now
        closure = _request(
            rng, case, max(case.opened_at, closed - timedelta(hours=rng.randrange(2, 120)))
        )
        closure.status, closure.decided_by_id, closure.decided_at = (
            ClosureStatus.APPROVED,
            supervisor_id,
            closed,
        )
        _offer_survey(rng, closure)
        if closure.survey_given:
            surveys.append(_survey(rng, case, agencies[case.agency_id], closed))
        requests.append(closure)
    for case in waiting:
        # Some have waited longer than the three days a supervisor has: overdue in the queue.
        requested = max(case.opened_at, now - timedelta(hours=rng.randrange(1, 200)))
        requests.append(_request(rng, case, requested))
    ClosureRequest.objects.bulk_create(requests, batch_size=1000)
    SatisfactionSurvey.objects.bulk_create(surveys, batch_size=1000)
