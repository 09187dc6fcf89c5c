"""The rules of a referral's life: who may do what, when an answer is due, which step follows.

Response time: the service's expected response (days, from the directory; a week when the
directory says nothing), shortened by the urgency, which follows the case's risk level: an
immediate referral (high risk) is answered within 24 hours, an urgent one (medium) within
3 days, whatever the service usually takes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import AnonymousUser

from pcm.access import policy
from pcm.accounts.models import User
from pcm.cases.models import Case, RiskLevel
from pcm.referrals.models import Referral, ReferralStatus, Urgency
from pcm.services.models import Service

DEFAULT_RESPONSE_DAYS = 7
URGENCY_LIMIT = {Urgency.IMMEDIATE: timedelta(days=1), Urgency.URGENT: timedelta(days=3)}
URGENCY_OF_RISK = {
    RiskLevel.HIGH: Urgency.IMMEDIATE,
    RiskLevel.MEDIUM: Urgency.URGENT,
    RiskLevel.LOW: Urgency.ROUTINE,
}

# Which step may follow which. The provider answers; the caseworker closes or withdraws.
PROVIDER_STEPS: dict[ReferralStatus, tuple[ReferralStatus, ...]] = {
    ReferralStatus.SENT: (
        ReferralStatus.ACKNOWLEDGED,
        ReferralStatus.ACCEPTED,
        ReferralStatus.DECLINED,
    ),
    ReferralStatus.ACKNOWLEDGED: (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED),
    ReferralStatus.ACCEPTED: (ReferralStatus.PROVIDED,),
}
REFERRER_STEPS: dict[ReferralStatus, tuple[ReferralStatus, ...]] = {
    ReferralStatus.SENT: (ReferralStatus.WITHDRAWN,),
    ReferralStatus.ACKNOWLEDGED: (ReferralStatus.WITHDRAWN,),
    ReferralStatus.ACCEPTED: (ReferralStatus.WITHDRAWN,),
    ReferralStatus.DECLINED: (ReferralStatus.CLOSED,),
    ReferralStatus.PROVIDED: (ReferralStatus.CLOSED,),
}


def default_urgency(case: Case) -> Urgency:
    return URGENCY_OF_RISK.get(RiskLevel(case.risk_level), Urgency.ROUTINE)


def response_time(service: Service, urgency: str) -> timedelta:
    usual = timedelta(days=service.response_days or DEFAULT_RESPONSE_DAYS)
    limit = URGENCY_LIMIT.get(Urgency(urgency))
    return min(usual, limit) if limit is not None else usual


def respond_by(sent_at: datetime, service: Service, urgency: str) -> datetime:
    return sent_at + response_time(service, urgency)


def may_refer(user: User | AnonymousUser, case: Case) -> bool:
    """The caseworker holding an open case, or its supervisor, send its referrals."""
    return policy.can_work_on_case(user, case)


def is_focal_point_of(user: User | AnonymousUser, referral: Referral) -> bool:
    return (
        policy.is_focal_point(user)
        and isinstance(user, User)
        and referral.service.focal_points.filter(user=user).exists()
    )


def provider_next_steps(referral: Referral) -> tuple[ReferralStatus, ...]:
    return PROVIDER_STEPS.get(ReferralStatus(referral.status), ())


def referrer_next_steps(referral: Referral) -> tuple[ReferralStatus, ...]:
    return REFERRER_STEPS.get(ReferralStatus(referral.status), ())


def may_answer(user: User | AnonymousUser, referral: Referral) -> bool:
    """Who records the provider's answers: their focal point in the portal, or, for a provider
    outside PCM, the referring caseworker (or supervisor) from what the provider said."""
    if referral.through_portal:
        return is_focal_point_of(user, referral)
    return may_refer(user, referral.case)


def may_follow_up(user: User | AnonymousUser, referral: Referral) -> bool:
    """Closing or withdrawing a referral belongs to the referring side, also once the case is
    closed (its open referrals must not stay open at the provider)."""
    case = referral.case
    return policy.is_case_caseworker(user, case) or policy.is_case_supervisor(user, case)
