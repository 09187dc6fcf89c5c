"""Demo referrals: the plan actions "Refer to …" of the demo plans, sent to a fitting service,
at every stage of their life (some late), and the demo provider focal point receiving the
referrals to the legal aid service.

Called by the seed command for each batch of cases, after the plans and the directory; a few
bulk inserts per batch.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from pcm.accounts.models import Role, User
from pcm.cases.consent import Consent
from pcm.cases.models import Case
from pcm.plans.models import CURRENT_STATUSES, ActionOwner, ActionStatus, PlanAction
from pcm.referrals import payload, rules
from pcm.referrals.models import FocalPoint, Referral, ReferralStatus, ReferralStep
from pcm.services.models import Sector, Service

SHARE_SENT = 0.7
# Which sector each demo action's wording asks for.
SECTOR_WORDS = (
    ("legal", Sector.LEGAL),
    ("health", Sector.HEALTH),
    ("livelihood", Sector.LIVELIHOODS),
)
SHARED = ["age", "sex", "area", "languages", "risk_level"]
REASONS = {
    Sector.LEGAL: "Needs advice on replacing lost civil documents before the hearing.",
    Sector.HEALTH: "Medical consultation needed after the incident; no money for transport.",
    Sector.LIVELIHOODS: "Wants vocational training to earn an income of their own.",
}
OUTCOMES = {
    Sector.LEGAL: "Seen by a lawyer; documents requested from the registry.",
    Sector.HEALTH: "Consultation done, follow-up appointment given.",
    Sector.LIVELIHOODS: "Enrolled in the next training cycle.",
}


def _sector(description: str) -> str | None:
    lowered = description.lower()
    return next((sector for word, sector in SECTOR_WORDS if word in lowered), None)


def _focal_points(agency_ids: set[int]) -> None:
    """The demo provider focal point receives the referrals to their agency's legal aid."""
    focal = User.objects.filter(
        agency_id__in=agency_ids, role=Role.PROVIDER_FOCAL_POINT, is_active=True
    ).first()
    if focal is None or focal.agency_id is None:
        return
    service = Service.objects.filter(
        provider__agency_id=focal.agency_id, sector=Sector.LEGAL
    ).first()
    added_by = User.objects.filter(agency_id=focal.agency_id, role=Role.MANAGER).first()
    if service is None or added_by is None:
        return
    FocalPoint.objects.get_or_create(service=service, user=focal, defaults={"added_by": added_by})


def _status(rng: random.Random, sent_at: datetime, now: datetime) -> list[ReferralStatus]:
    """The steps a demo referral went through after it was sent."""
    age = now - sent_at
    if age < timedelta(days=2) or rng.random() < 0.15:
        return []  # still waiting (late when its deadline has passed)
    steps = [ReferralStatus.ACKNOWLEDGED] if rng.random() < 0.5 else []
    if rng.random() < 0.15:
        return [*steps, ReferralStatus.DECLINED]
    steps.append(ReferralStatus.ACCEPTED)
    if age > timedelta(days=10) and rng.random() < 0.7:
        steps.append(ReferralStatus.PROVIDED)
        if rng.random() < 0.5:
            steps.append(ReferralStatus.CLOSED)
    return steps


def enrich(cases: list[Case], *, rng: random.Random, now: datetime) -> None:
    by_id = {case.pk: case for case in cases if case.assigned_to_id is not None}
    if not by_id:
        return
    _focal_points({case.agency_id for case in by_id.values()})
    consenting = set(
        Consent.objects.filter(case_id__in=by_id, referrals=True, withdrawn=False).values_list(
            "case_id", flat=True
        )
    )
    actions = PlanAction.objects.filter(
        case_id__in=consenting,
        owner=ActionOwner.REFERRAL,
        plan_version__status__in=CURRENT_STATUSES,
    ).order_by("id")
    services: dict[tuple[int, str], Service] = {}
    for service in Service.objects.filter(
        provider__agency_id__in={case.agency_id for case in by_id.values()}, is_active=True
    ).select_related("provider", "provider__agency"):
        services.setdefault((service.provider.agency_id, service.sector), service)
    focal_of = dict(FocalPoint.objects.order_by("-id").values_list("service_id", "user_id"))
    referrals: list[Referral] = []
    plans: list[list[ReferralStatus]] = []
    for action in actions:
        case = by_id[action.case_id]
        sector = _sector(action.description)
        found = services.get((case.agency_id, sector)) if sector else None
        if found is None or rng.random() > SHARE_SENT:
            continue
        service = found
        sent_at = max(case.opened_at, now - timedelta(days=rng.randint(0, 60)))
        urgency = rules.default_urgency(case)
        referrals.append(
            Referral(
                case=case,
                agency=case.agency,
                service=service,
                plan_action_key=action.key,
                referred_by=case.assigned_to,
                urgency=urgency,
                reason=REASONS[Sector(service.sector)],
                shared_fields=SHARED,
                payload="",
                consent_version=1,
                through_portal=service.pk in focal_of,
                sent_at=sent_at,
                respond_by=rules.respond_by(sent_at, service, urgency),
            )
        )
        plans.append(_status(rng, sent_at, now))
    if not referrals:
        return
    Referral.objects.bulk_create(referrals, batch_size=500)
    steps: list[ReferralStep] = []
    for referral, later in zip(referrals, plans, strict=True):
        case = referral.case
        referral.payload = payload.dumps(payload.build(referral, case, SHARED))
        steps.append(
            ReferralStep(
                referral=referral,
                status=ReferralStatus.SENT,
                at=referral.sent_at,
                by_id=referral.referred_by_id,
            )
        )
        at = referral.sent_at
        # In the portal the focal point answers; otherwise the caseworker records the answers.
        answerer = focal_of.get(referral.service_id) or referral.referred_by_id
        for status in later:
            at = min(now, at + timedelta(hours=rng.randint(4, 72)))
            by_provider = status != ReferralStatus.CLOSED
            steps.append(
                ReferralStep(
                    referral=referral,
                    status=status,
                    at=at,
                    by_id=answerer if by_provider else referral.referred_by_id,
                    on_behalf_of_provider=by_provider and not referral.through_portal,
                )
            )
            referral.status = status
            if status == ReferralStatus.ACKNOWLEDGED:
                referral.acknowledged_at = at
            elif status in (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED):
                referral.responded_at = at
            elif status == ReferralStatus.PROVIDED:
                referral.provided_at = at
                referral.outcome = OUTCOMES[Sector(referral.service.sector)]
            else:
                referral.closed_at = at
            if status == ReferralStatus.DECLINED:
                referral.decline_reason = "No capacity this month; try the other legal partner."
    Referral.objects.bulk_update(
        referrals,
        [
            "payload",
            "status",
            "acknowledged_at",
            "responded_at",
            "provided_at",
            "closed_at",
            "outcome",
            "decline_reason",
        ],
        batch_size=500,
    )
    ReferralStep.objects.bulk_create(steps, batch_size=1000)
    done_keys = [
        referral.plan_action_key
        for referral in referrals
        if referral.status in (ReferralStatus.PROVIDED, ReferralStatus.CLOSED)
    ]
    started_keys = [referral.plan_action_key for referral in referrals]
    PlanAction.objects.filter(key__in=started_keys, status=ActionStatus.TO_DO).update(
        status=ActionStatus.IN_PROGRESS
    )
    PlanAction.objects.filter(key__in=done_keys).exclude(status=ActionStatus.CANCELLED).update(
        status=ActionStatus.DONE
    )
