"""Synthetic assessments for the demo caseload: plausible answers, improvement, a few alerts."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

from pcm.assessments.models import (
    PHQ9_FIELDS,
    WG_FIELDS,
    Assessment,
    IdentifiedRisk,
    ImmediateSafety,
    NeedSector,
    PerpetratorType,
)
from pcm.assessments.scoring import Difficulty
from pcm.cases.models import Case, CaseStatus, RiskLevel
from pcm.cases.taxonomy import RiskType, SpecialisedRoute

BATCH = 1000
ASSESSED = frozenset(
    {
        CaseStatus.PLANNING,
        CaseStatus.IMPLEMENTATION,
        CaseStatus.FOLLOW_UP,
        CaseStatus.CLOSURE_REQUESTED,
        CaseStatus.CLOSED,
        CaseStatus.TRANSFERRED,
    }
)
REASSESSED = frozenset({CaseStatus.FOLLOW_UP, CaseStatus.CLOSURE_REQUESTED, CaseStatus.CLOSED})
# Cases sent back from planning to assessment already hold one; the rest are waiting (queue).
SHARE_IN_ASSESSMENT_WITH_ONE = 0.2
SHARE_REASSESSED = 0.6
SHARE_SELF_HARM = 0.03
# Children's and GBV risks go to specialised case management, not to PCM cases.
_SPECIALISED = (
    SpecialisedRoute.CHILD_PROTECTION,
    SpecialisedRoute.GBV,
    SpecialisedRoute.CHILD_PROTECTION_OR_GBV,
)

PERPETRATORS = (
    (PerpetratorType.FAMILY_MEMBER, 0.2),
    (PerpetratorType.COMMUNITY_MEMBER, 0.2),
    (PerpetratorType.ARMED_ACTOR, 0.2),
    (PerpetratorType.AUTHORITIES, 0.12),
    (PerpetratorType.EMPLOYER, 0.08),
    (PerpetratorType.INTIMATE_PARTNER, 0.05),
    (PerpetratorType.UNKNOWN, 0.12),
    (PerpetratorType.OTHER, 0.03),
)
NEEDS = (
    (NeedSector.MHPSS, 0.45),
    (NeedSector.CASH_LIVELIHOODS, 0.45),
    (NeedSector.DOCUMENTATION, 0.3),
    (NeedSector.LEGAL, 0.3),
    (NeedSector.HEALTH, 0.3),
    (NeedSector.SHELTER, 0.2),
    (NeedSector.FOOD, 0.15),
    (NeedSector.EDUCATION, 0.08),
    (NeedSector.WASH, 0.05),
    (NeedSector.OTHER, 0.03),
)
# Per domain: most people have no difficulty; about one in six assessed has a disability.
DIFFICULTY = (
    (Difficulty.NONE, 0.8),
    (Difficulty.SOME, 0.17),
    (Difficulty.A_LOT, 0.025),
    (Difficulty.CANNOT, 0.005),
)
SUMMARIES = (
    "Displaced twice since 2023 and living in an unfinished building. Reports threats from a "
    "relative over the family's property; sleeps poorly and avoids leaving the shelter alone.",
    "Detained for several weeks at a checkpoint and without civil documents since. Fears arrest "
    "when moving between districts; needs legal aid to replace the identity card.",
    "Lost income after an injury; the landlord threatens eviction over unpaid rent. Relies on a "
    "neighbour for food. Asks for help with rent and a referral for physiotherapy.",
    "Repeated extortion by an armed group at the market where the person sells vegetables. Has "
    "stopped working and feels hopeless; agreed to a referral for psychosocial support.",
    "Refused at distributions for lack of a residency card. Cares for an older parent with a "
    "disability. Wants to regain independence through work.",
    "Lives next to land contaminated with explosive remnants; a family member was injured last "
    "year. Anxious, with trouble sleeping. Asks for risk education for the household.",
    "Made to work long hours without pay by an employer who keeps the person's passport. Wants "
    "to leave safely and recover the document.",
    "Insulted and threatened by neighbours because of the family's origin; the children stay "
    "home from school as a result. Asks for mediation and help with school enrolment.",
)
STRENGTHS = (
    "Calm under pressure; has kept the household together through two displacements.",
    "Motivated to work; practical skills in tailoring and small repairs.",
    "Faith and daily prayer help; keeps a routine for the children.",
    "Good at solving problems; already contacted the local council about documents.",
    "Speaks two languages and helps neighbours with paperwork.",
    "Patient with the children; determined to rebuild a normal life.",
)
SUPPORT = (
    "A sister in the same camp visits daily; a neighbour helps with childcare.",
    "Few contacts since displacement; trusts the imam of the local mosque.",
    "A cousin abroad sends money now and then.",
    "Meets a women's group at the community centre every week.",
    "Limited: family lives in another governorate and rarely calls.",
    "Former colleagues check in by phone.",
)
NEEDS_NOTES = (
    "",
    "Needs a doctor's appointment for chronic pain; cannot pay for transport.",
    "Has no identity card; legal aid needed to apply for a replacement.",
    "Rent is due at the end of the month; risk of eviction.",
    "Would like to join a psychosocial support group.",
)
UNSAFE_NOTES = (
    "The person who made the threats lives on the same street and passes the shelter daily.",
    "Received threatening messages this week; does not feel safe at home after dark.",
    "A checkpoint where the person was detained before is next to the home.",
)
_HIGHER = {RiskLevel.LOW: RiskLevel.MEDIUM, RiskLevel.MEDIUM: RiskLevel.HIGH}


def _weighted(rng: random.Random, table: Sequence[tuple[str, float]]) -> str:
    return rng.choices([value for value, _w in table], [weight for _v, weight in table])[0]


def _phq9(rng: random.Random, distress: float, *, self_harm: bool) -> list[int]:
    """Eight items around DISTRESS (0 to 1 of the maximum), item 9 only when SELF_HARM."""
    answers = [min(3, max(0, round(rng.gauss(distress * 3, 0.7)))) for _item in range(8)]
    return [*answers, rng.choice((1, 1, 2, 3)) if self_harm else 0]


class _Builder:
    def __init__(self, rng: random.Random, now: datetime, risks: dict[int, list[RiskType]]):
        self.rng, self.now, self.risk_pool = rng, now, risks
        self.assessments: list[Assessment] = []
        self.risks: list[list[tuple[RiskType, str]]] = []

    def latest_possible(self, case: Case) -> datetime:
        return min(self.now, case.closed_at) if case.closed_at else self.now

    def case(self, case: Case) -> None:
        rng = self.rng
        end = self.latest_possible(case)
        first_at = case.opened_at + timedelta(hours=rng.uniform(4, 24 * 10))
        if first_at >= end:
            first_at = case.opened_at + (end - case.opened_at) / 2
        later_at = first_at + timedelta(days=rng.uniform(30, 100))
        again = case.status in REASSESSED and rng.random() < SHARE_REASSESSED and later_at < end
        alert = rng.random() < SHARE_SELF_HARM
        wg = [_weighted(rng, DIFFICULTY) for _domain in WG_FIELDS]
        risks = self.draw_risks(case)
        level = RiskLevel(case.risk_level)
        first = _phq9(rng, rng.uniform(0.3, 0.85), self_harm=alert)
        first_level = _HIGHER.get(level, level) if again else level
        self.add(case, first_at, first, first_level, wg, risks)
        if again:
            # Followed up after support: every item as low or lower (an alert has been dealt
            # with, so item 9 is back at 0), at the case's current risk level.
            later = [max(0, item - rng.choice((0, 1, 1, 2))) for item in first[:-1]] + [0]
            self.add(case, later_at, later, level, wg, risks)

    def draw_risks(self, case: Case) -> list[tuple[RiskType, str]]:
        pool = self.risk_pool.get(case.agency_id, [])
        count = min(len(pool), self.rng.choice((1, 1, 2)))
        return [(risk, _weighted(self.rng, PERPETRATORS)) for risk in self.rng.sample(pool, count)]

    def add(
        self,
        case: Case,
        at: datetime,
        phq9: list[int],
        level: RiskLevel,
        wg: list[str],
        risks: list[tuple[RiskType, str]],
    ) -> None:
        rng = self.rng
        unsafe = rng.random() < (0.2 if level == RiskLevel.HIGH else 0.05)
        needs = {_weighted(rng, NEEDS) for _draw in range(rng.randint(1, 3))}
        self.assessments.append(
            Assessment(
                case_id=case.pk,
                needs=sorted(needs),
                needs_note=rng.choice(NEEDS_NOTES),
                strengths=rng.choice(STRENGTHS),
                support_network=rng.choice(SUPPORT),
                immediate_safety=ImmediateSafety.NOT_SAFE if unsafe else ImmediateSafety.SAFE,
                safety_note=rng.choice(UNSAFE_NOTES) if unsafe else "",
                risk_level=level,
                summary=rng.choice(SUMMARIES),
                recorded_by_id=case.assigned_to_id or case.opened_by_id,
                recorded_at=at,
                **dict(zip(PHQ9_FIELDS, phq9, strict=True)),
                **dict(zip(WG_FIELDS, wg, strict=True)),
            )
        )
        self.risks.append(risks)


def enrich(cases: list[Case], *, rng: random.Random, now: datetime) -> None:
    """Assessments for CASES past intake: one each, a later and lower one for some, in bulk."""
    pool: dict[int, list[RiskType]] = defaultdict(list)
    in_use = RiskType.objects.filter(
        agency_id__in={case.agency_id for case in cases}, is_active=True
    ).exclude(specialised_route__in=_SPECIALISED)
    for risk_type in in_use.order_by("code"):
        pool[risk_type.agency_id].append(risk_type)
    builder = _Builder(rng, now, pool)
    for case in cases:
        in_assessment = case.status == CaseStatus.ASSESSMENT
        if case.status in ASSESSED or (
            in_assessment and rng.random() < SHARE_IN_ASSESSMENT_WITH_ONE
        ):
            builder.case(case)
    created = Assessment.objects.bulk_create(builder.assessments, batch_size=BATCH)
    IdentifiedRisk.objects.bulk_create(
        (
            IdentifiedRisk(assessment_id=assessment.pk, risk_type=risk_type, perpetrator=who)
            for assessment, risks in zip(created, builder.risks, strict=True)
            for risk_type, who in risks
        ),
        batch_size=BATCH,
    )
