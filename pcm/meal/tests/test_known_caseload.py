"""Every indicator on a small caseload built by hand, against values computed by hand.

The period is the first quarter of 2026 in the agency's time zone (Asia/Baghdad). Layla (team
"Mosul team A") and Karim ("Erbil team") hold the cases below; another agency's cases are
there too and must never count.

| cases  | who   | sex    | born       | displacement   | place   | risk   | opened     |
| A1–A6  | Layla | female | 1990-05-17 | IDP            | Mosul   | high   | 10 Jan     |
| B1–B2  | Layla | male   | 2005-06-01 | refugee        | Erbil   | low    | 5 Feb      |
| C1–C7  | Karim | female | 1960-01-01 | host community | Mosul   | medium | 3 Mar      |
| D1     | Layla | female | 1990-05-17 | IDP            | Mosul   | medium | 15 Dec 2025|

A6 and C1 answered late; A1–A5, C1, C2 closed on 20 March (7 closures).

Referrals: A1–A6 to legal aid on 15 January (A1–A4 accepted, A1–A3 provided; A5 declined;
A6 still unanswered after its deadline), C1 to health on 5 March (accepted late, provided).
Feedback register: 7 entries received in the period (5 complaints, one restricted).
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from pcm.assessments.scoring import Difficulty
from pcm.assessments.tests.factories import make_assessment
from pcm.cases.intake import Eligibility, ExceptionStatus, IntakeScreening, Safeguard
from pcm.cases.models import Case, CaseStatus, RiskLevel
from pcm.cases.taxonomy import RiskType
from pcm.closure.models import (
    ClosureCriterion,
    ClosureRequest,
    ClosureStatus,
    SatisfactionSurvey,
    WouldRecommend,
)
from pcm.feedback.models import Category, Channel, FeedbackEntry, Kind, Status
from pcm.meal.indicators import TOTAL, Figure, Unit, compute, get_indicator
from pcm.meal.models import MealSettings
from pcm.meal.query import Dim, Filters, Grain, Period, Scope
from pcm.meal.tables import by_group, by_month, headline
from pcm.people.models import DisplacementStatus, Sex
from pcm.plans.models import (
    ActionOwner,
    ActionStatus,
    CasePlan,
    PlanAction,
    PlanStatus,
    PlanVersion,
)
from pcm.referrals.models import Referral, ReferralStatus, ReferralStep, Urgency
from pcm.services.models import Provider, Sector, Service
from pcm.supervision.models import CaseFileCheck
from tests.factories import CaseFactory, LocationFactory, PersonFactory

ZONE = ZoneInfo("Asia/Baghdad")
PERIOD = Period(date(2026, 1, 1), date(2026, 3, 31), ZONE)
LATER = date(2099, 1, 1)  # "today", for the periods as the page offers them
FIRST_QUARTER = Period.calendar(Grain.QUARTER, date(2026, 1, 1), ZONE, LATER)
MARCH = Period.calendar(Grain.MONTH, date(2026, 3, 1), ZONE, LATER)
JANUARY = Period.calendar(Grain.MONTH, date(2026, 1, 1), ZONE, LATER)  # A1, two risks, open
CALM = (1, 1, 0, 1, 0, 0, 1, 0, 0)  # total 4
DISTRESSED = (2, 2, 1, 2, 1, 1, 1, 0, 0)  # total 10


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


class World:
    def __init__(self, personas) -> None:
        self.p = personas
        self.agency = personas.agency
        self.iraq = LocationFactory.create(pcode="IQ", name="Iraq", level=0)
        self.ninewa = LocationFactory.create(
            pcode="IQG01", name="Ninewa", level=1, parent=self.iraq
        )
        self.mosul = LocationFactory.create(
            pcode="IQD0101", name="Mosul", level=2, parent=self.ninewa
        )
        self.erbil = LocationFactory.create(pcode="IQG02", name="Erbil", level=1, parent=self.iraq)
        risks = RiskType.objects.filter(agency=self.agency)
        self.paf01 = risks.get(code="PAF-01")
        self.paf11 = risks.get(code="PAF-11")
        self.cases: dict[str, Case] = {}

    def case(self, name: str, worker, *, sex, born, displacement, place, risk, opened, late=False):
        person = PersonFactory.create(
            agency=worker.agency,
            registered_by=worker,
            sex=sex,
            date_of_birth=born,
            displacement_status=displacement,
            location=place,
        )
        due = opened + worker.agency.response_time(risk)
        answered = due + timedelta(hours=8) if late else opened + timedelta(hours=2)
        case = CaseFactory.create(
            assigned_to=worker,
            person=person,
            risk_level=risk,
            opened_at=opened,
            first_response_due_at=due,
            first_response_at=answered,
            status=CaseStatus.IMPLEMENTATION,
        )
        self.cases[name] = case
        return case

    def screen(self, name: str, risks, *, eligible=True, safeguard=Safeguard.NONE, exception=""):
        case = self.cases[name]
        screening = IntakeScreening.objects.create(
            case=case,
            eligibility=Eligibility.ELIGIBLE if eligible else Eligibility.NOT_ELIGIBLE,
            eligibility_reason="Reason.",
            safeguard=safeguard,
            exception_status=exception,
            screened_by=case.opened_by,
            screened_at=case.opened_at,
        )
        screening.risk_types.set(risks)

    def close(self, name: str, criterion: str, attempts: int | None = None) -> None:
        case = self.cases[name]
        moment = at(date(2026, 3, 20))
        ClosureRequest.objects.create(
            case=case,
            criterion=criterion,
            summary="Closed.",
            contact_attempts=attempts,
            from_status=CaseStatus.FOLLOW_UP,
            status=ClosureStatus.APPROVED,
            requested_by=case.opened_by,
            requested_at=moment - timedelta(days=1),
            decided_by=case.team.supervisor,
            decided_at=moment,
        )
        Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_at=moment)

    def plan(
        self,
        name: str,
        created: date,
        *,
        agreed: bool,
        due: date,
        done: date | None,
        status: str = ActionStatus.DONE,
    ) -> None:
        case = self.cases[name]
        head = CasePlan.objects.create(case=case)
        version = PlanVersion.objects.create(
            plan=head,
            case=case,
            number=1,
            status=PlanStatus.AGREED if agreed else PlanStatus.DRAFT,
            created_by=case.opened_by,
            updated_by=case.opened_by,
            created_at=at(created),
            agreed_with_service_user=agreed,
        )
        if agreed:
            head.current_version = version
            head.save()
            PlanAction.objects.create(
                plan_version=version,
                case=case,
                description="Legal aid appointment.",
                owner=ActionOwner.CASEWORKER,
                due_on=due,
                status=status,
                status_changed_at=at(done) if done else None,
            )

    def check(self, name: str, day: date) -> None:
        case = self.cases[name]
        CaseFileCheck.objects.create(
            case=case,
            version=CaseFileCheck.objects.filter(case=case).count() + 1,
            consent_present="yes",
            assessment_done="yes",
            plan_agreed="yes",
            notes_up_to_date="yes",
            deadlines_met="yes",
            checked_by=case.opened_by,
            checked_at=at(day),
        )

    def refer(
        self,
        name: str,
        service: Service,
        sent: date,
        steps: list[tuple[str, date]],
        provided: date | None = None,
    ) -> None:
        case = self.cases[name]
        answered = next((day for status, day in steps if status in ("accepted", "declined")), None)
        referral = Referral.objects.create(
            case=case,
            agency=case.agency,
            service=service,
            referred_by=case.opened_by,
            urgency=Urgency.URGENT,
            reason="Legal advice on documents.",
            payload="{}",
            status=steps[-1][0] if steps else ReferralStatus.SENT,
            sent_at=at(sent),
            respond_by=at(sent + timedelta(days=3)),
            responded_at=at(answered) if answered else None,
            provided_at=at(provided) if provided else None,
        )
        for status, day in [(ReferralStatus.SENT, sent), *steps]:
            ReferralStep.objects.create(
                referral=referral, status=status, at=at(day), by=case.opened_by
            )

    def feedback(
        self,
        kind,
        category,
        received: date,
        place,
        *,
        responded=None,
        closed=None,
        restricted=False,
        agency=None,
    ) -> None:
        FeedbackEntry.objects.create(
            agency=agency or self.agency,
            kind=kind,
            channel=Channel.HOTLINE,
            category=category,
            received_on=received,
            location=place,
            description="What was said.",
            sensitive=restricted,
            about_staff=restricted,
            status=Status.CLOSED
            if closed
            else (Status.RESPONDED if responded else Status.RECEIVED),
            recorded_by=self.p.manager,
            recorded_at=at(received),
            responded_on=responded,
            closed_on=closed,
        )

    def survey(self, team, month: date, overall: int, agency=None) -> None:
        SatisfactionSurvey.objects.create(
            agency=agency or self.agency,
            team=team,
            month=month,
            overall_satisfaction=overall,
            treated_with_respect=4,
            felt_safe=4,
            involved_in_decisions=4,
            situation_improved=4,
            would_recommend=WouldRecommend.YES,
        )


@pytest.fixture
def world(personas) -> World:
    w = World(personas)
    layla, karim = personas.caseworker, personas.other_caseworker
    for n in range(1, 7):
        w.case(
            f"A{n}",
            layla,
            sex=Sex.FEMALE,
            born=date(1990, 5, 17),
            displacement=DisplacementStatus.IDP,
            place=w.mosul,
            risk=RiskLevel.HIGH,
            opened=at(date(2026, 1, 10)),
            late=n == 6,
        )
    for n in range(1, 3):
        w.case(
            f"B{n}",
            layla,
            sex=Sex.MALE,
            born=date(2005, 6, 1),
            displacement=DisplacementStatus.REFUGEE,
            place=w.erbil,
            risk=RiskLevel.LOW,
            opened=at(date(2026, 2, 5)),
        )
    for n in range(1, 8):
        w.case(
            f"C{n}",
            karim,
            sex=Sex.FEMALE,
            born=date(1960, 1, 1),
            displacement=DisplacementStatus.HOST_COMMUNITY,
            place=w.mosul,
            risk=RiskLevel.MEDIUM,
            opened=at(date(2026, 3, 3)),
            late=n == 1,
        )
    w.case(
        "D1",
        layla,
        sex=Sex.FEMALE,
        born=date(1990, 5, 17),
        displacement=DisplacementStatus.IDP,
        place=w.mosul,
        risk=RiskLevel.MEDIUM,
        opened=at(date(2025, 12, 15)),
    )
    # Another agency's cases, in the period: never counted here.
    for _n in range(3):
        CaseFactory.create(assigned_to=personas.outsider, opened_at=at(date(2026, 1, 20)))

    # Intake screenings: A6 not eligible, C2 a GBV survivor whose exception is still pending.
    for name in [f"A{n}" for n in range(1, 7)] + [f"C{n}" for n in range(1, 8)]:
        risks = [w.paf01, w.paf11] if name == "A1" else [w.paf01]
        w.screen(
            name,
            risks,
            eligible=name != "A6",
            safeguard=Safeguard.GBV if name == "C2" else Safeguard.NONE,
            exception=ExceptionStatus.PENDING if name == "C2" else "",
        )
    for name in ("B1", "B2"):
        w.screen(name, [w.paf11])

    # Assessments: two each for the cases that close (A1–A3 with a disability), one for A6.
    for name in ("A1", "A2", "A3", "A4", "A5", "C1", "C2"):
        disabled = name in ("A1", "A2", "A3")
        wg = (Difficulty.A_LOT,) + (Difficulty.NONE,) * 5 if disabled else (Difficulty.NONE,) * 6
        first = CALM if name == "A5" else DISTRESSED
        make_assessment(w.cases[name], phq9=first, wg=wg, recorded_at=at(date(2026, 1, 11)))
        make_assessment(w.cases[name], phq9=CALM, wg=wg, recorded_at=at(date(2026, 3, 15)))
    make_assessment(w.cases["A6"], recorded_at=at(date(2026, 1, 11)))

    # Plans: A1–A5 and C1–C5 agreed with one action each; A6 a draft never agreed.
    for n in range(1, 6):
        w.plan(
            f"A{n}",
            date(2026, 1, 12),
            agreed=True,
            due=date(2026, 2, 15),
            done=date(2026, 2, 10) if n < 5 else date(2026, 2, 20),
        )
    w.plan("A6", date(2026, 1, 12), agreed=False, due=date(2026, 2, 15), done=None)
    for n in range(1, 6):
        status = {4: ActionStatus.TO_DO, 5: ActionStatus.CANCELLED}.get(n, ActionStatus.DONE)
        w.plan(
            f"C{n}",
            date(2026, 3, 5),
            agreed=True,
            due=date(2026, 3, 25),
            done=date(2026, 3, 20) if n < 4 else None,
            status=status,
        )

    # Case file checks in the period: A1, A2, A3, C1, C2, C3, D1; A4's was in December.
    for name in ("A1", "A2", "A3", "C1", "C2", "C3", "D1"):
        w.check(name, date(2026, 2, 1))
    w.check("A4", date(2025, 12, 20))

    # Closures on 20 March: goals met ×4, risk reduced ×2, unreachable after 1 attempt ×1.
    for name in ("A1", "A2", "A3", "C1"):
        w.close(name, ClosureCriterion.GOALS_MET)
    for name in ("A4", "C2"):
        w.close(name, ClosureCriterion.RISK_REDUCED)
    w.close("A5", ClosureCriterion.UNREACHABLE, attempts=1)

    # Satisfaction surveys of March: team A 4 of 5 satisfied, team B 1 of 2.
    for overall in (5, 5, 4, 4, 2):
        w.survey(personas.team, date(2026, 3, 1), overall)
    for overall in (5, 3):
        w.survey(personas.other_team, date(2026, 3, 1), overall)
    w.survey(personas.team, date(2025, 12, 1), 1)  # before the period
    w.survey(None, date(2026, 3, 1), 1, agency=personas.other_agency)

    provider = Provider.objects.create(agency=w.agency, name="Legal aid network")
    legal = Service.objects.create(provider=provider, name="Legal aid", sector=Sector.LEGAL)
    health = Service.objects.create(provider=provider, name="Clinic", sector=Sector.HEALTH)
    jan15, jan16 = date(2026, 1, 15), date(2026, 1, 16)
    for name in ("A1", "A2", "A3"):
        w.refer(
            name,
            legal,
            jan15,
            [("accepted", jan16), ("provided", date(2026, 2, 1))],
            provided=date(2026, 2, 1),
        )
    w.refer("A4", legal, jan15, [("accepted", jan16)])
    w.refer("A5", legal, jan15, [("declined", jan16)])
    w.refer("A6", legal, jan15, [])
    w.refer(
        "C1",
        health,
        date(2026, 3, 5),
        [("accepted", date(2026, 3, 10)), ("provided", date(2026, 3, 12))],
        provided=date(2026, 3, 12),
    )

    feb1 = date(2026, 2, 1)
    for _n in range(4):
        w.feedback(
            Kind.COMPLAINT,
            Category.QUALITY,
            feb1,
            w.mosul,
            responded=date(2026, 2, 5),
            closed=date(2026, 2, 10),
        )
    w.feedback(
        Kind.FEEDBACK,
        Category.ACCESS,
        feb1,
        w.erbil,
        responded=date(2026, 4, 1),
        closed=date(2026, 4, 10),
    )
    w.feedback(Kind.COMPLIMENT, Category.OTHER, date(2026, 3, 1), None)
    w.feedback(
        Kind.COMPLAINT,
        Category.STAFF_CONDUCT,
        date(2026, 3, 10),
        w.mosul,
        responded=date(2026, 3, 11),
        closed=date(2026, 3, 12),
        restricted=True,
    )
    w.feedback(Kind.COMPLAINT, Category.QUALITY, date(2025, 12, 1), w.mosul)
    w.feedback(Kind.COMPLAINT, Category.QUALITY, feb1, None, agency=personas.other_agency)
    return w


def scope(world: World, threshold: int = 5) -> Scope:
    return Scope(agency=world.agency, threshold=threshold)


NO_FILTER = Filters()


def total(world: World, code: str, filters: Filters = NO_FILTER) -> Figure:
    indicator = get_indicator(code)
    assert indicator is not None
    figures = compute(indicator, scope(world), PERIOD, filters)
    assert figures is not None
    return figures[TOTAL]


def groups(world: World, code: str, dim: Dim, level: int = 1) -> dict[object, Figure]:
    indicator = get_indicator(code)
    assert indicator is not None
    figures = compute(indicator, scope(world), PERIOD, Filters(), dim, level)
    assert figures is not None
    figures.pop(TOTAL)
    return figures


def test_every_indicator_total_is_as_computed_by_hand(world):
    expected = {
        "caseload": Figure(9, 2),  # A6 B1 B2 D1 (Layla) + C3–C7 (Karim), 2 caseworkers
        "supervision": Figure(2, 2),
        "new_cases": Figure(15),
        "registered_per_criteria": Figure(13, 15),  # not A6 (not eligible), not C2 (pending)
        "first_response": Figure(13, 15),  # A6 and C1 late
        "plans_with_service_user": Figure(10, 11),  # A6's draft never agreed
        "plan_actions_on_time": Figure(7, 9),  # A5 late, C4 not done; C5 cancelled
        "plan_actions_overdue": Figure(1),  # C4
        "file_checks": Figure(7, 16),  # 15 new + D1 open in the period
        "closures": Figure(7),
        "closed_per_criteria": Figure(6, 7),  # A5 "unreachable" after one attempt
        "satisfaction": Figure(5, 7),
        "wellbeing_improved": Figure(6, 7),  # A5 did not improve
        "referrals_made": Figure(7),
        "referrals_accepted": Figure(5, 6),  # answered: all but A6; declined: A5
        "referrals_completed": Figure(4, 5),  # A4 accepted, not provided yet
        "referrals_delayed": Figure(2, 7),  # A6 unanswered, C1 answered late
        "feedback_received": Figure(7),
        "feedback_responded": Figure(6, 7),  # the compliment has no response
        "feedback_closed_in_time": Figure(5, 7),  # the access feedback took 68 days
    }
    for code, figure in expected.items():
        assert total(world, code) == figure, code


def test_the_values_against_their_targets(world):
    caseload = get_indicator("caseload")
    satisfaction = get_indicator("satisfaction")
    wellbeing = get_indicator("wellbeing_improved")
    assert caseload and satisfaction and wellbeing
    line = headline(caseload, scope(world), PERIOD, Filters()).total
    assert line is not None and line.value == 4.5 and line.target_met is True
    line = headline(satisfaction, scope(world), PERIOD, Filters()).total
    assert line is not None and line.value == 71.4 and line.target_met is False
    line = headline(wellbeing, scope(world), PERIOD, Filters()).total
    assert line is not None and line.value == 85.7 and line.value_text == "85.7%"
    assert line.target_met is False


def test_the_disaggregations_are_as_computed_by_hand(world):
    p = world.p
    assert groups(world, "new_cases", Dim.SEX) == {"female": Figure(13), "male": Figure(2)}
    assert groups(world, "new_cases", Dim.AGE_GROUP) == {
        "25-59": Figure(6),
        "18-24": Figure(2),
        "60+": Figure(7),
    }
    assert groups(world, "new_cases", Dim.DISABILITY) == {
        "yes": Figure(3),
        "no": Figure(5),
        "not_assessed": Figure(7),
    }
    assert groups(world, "new_cases", Dim.DISPLACEMENT) == {
        "idp": Figure(6),
        "refugee": Figure(2),
        "host_community": Figure(7),
    }
    assert groups(world, "new_cases", Dim.LOCATION, level=1) == {
        world.ninewa.pk: Figure(13),
        world.erbil.pk: Figure(2),
    }
    # At district level Erbil's cases (recorded at governorate level) have no district.
    assert groups(world, "new_cases", Dim.LOCATION, level=2) == {
        world.mosul.pk: Figure(13),
        None: Figure(2),
    }
    assert groups(world, "new_cases", Dim.LOCATION, level=0) == {world.iraq.pk: Figure(15)}
    # A1 has two risk types: it counts in both rows.
    assert groups(world, "new_cases", Dim.RISK_TYPE) == {
        world.paf01.pk: Figure(13),
        world.paf11.pk: Figure(3),
    }
    assert groups(world, "first_response", Dim.RISK_LEVEL) == {
        "high": Figure(5, 6),
        "low": Figure(2, 2),
        "medium": Figure(6, 7),
    }
    assert groups(world, "first_response", Dim.TEAM) == {
        p.team.pk: Figure(7, 8),
        p.other_team.pk: Figure(6, 7),
    }
    assert groups(world, "first_response", Dim.AGENCY) == {p.agency.pk: Figure(13, 15)}
    assert groups(world, "caseload", Dim.TEAM) == {
        p.team.pk: Figure(4, 1),
        p.other_team.pk: Figure(5, 1),
    }
    assert groups(world, "supervision", Dim.TEAM) == {
        p.team.pk: Figure(1, 1),
        p.other_team.pk: Figure(1, 1),
    }
    assert groups(world, "closures", Dim.CLOSURE_REASON) == {
        "goals_met": Figure(4),
        "risk_reduced": Figure(2),
        "unreachable": Figure(1),
    }
    assert groups(world, "wellbeing_improved", Dim.DISABILITY) == {
        "yes": Figure(3, 3),
        "no": Figure(3, 4),
    }
    assert groups(world, "satisfaction", Dim.TEAM) == {
        p.team.pk: Figure(4, 5),
        p.other_team.pk: Figure(1, 2),
    }
    assert groups(world, "plan_actions_on_time", Dim.TEAM) == {
        p.team.pk: Figure(4, 5),
        p.other_team.pk: Figure(3, 4),
    }
    assert groups(world, "referrals_made", Dim.REFERRAL_STATUS) == {
        "provided": Figure(4),
        "accepted": Figure(1),
        "declined": Figure(1),
        "sent": Figure(1),
    }
    assert groups(world, "referrals_delayed", Dim.SECTOR) == {
        "legal": Figure(1, 6),
        "health": Figure(1, 1),
    }
    assert groups(world, "referrals_made", Dim.RISK_LEVEL) == {
        "high": Figure(6),
        "medium": Figure(1),
    }
    assert groups(world, "feedback_received", Dim.FEEDBACK_KIND) == {
        "complaint": Figure(5),
        "feedback": Figure(1),
        "compliment": Figure(1),
    }
    assert groups(world, "feedback_received", Dim.LOCATION, level=1) == {
        world.ninewa.pk: Figure(5),
        world.erbil.pk: Figure(1),
        None: Figure(1),
    }
    assert groups(world, "file_checks", Dim.TEAM) == {
        p.team.pk: Figure(4, 9),
        p.other_team.pk: Figure(3, 7),
    }


def test_the_filters_narrow_every_figure(world):
    p = world.p
    assert total(world, "new_cases", Filters(team=p.other_team)) == Figure(7)
    assert total(world, "new_cases", Filters(sex=Sex.MALE)) == Figure(2)
    assert total(world, "new_cases", Filters(age_group="60+")) == Figure(7)
    assert total(world, "new_cases", Filters(disability="yes")) == Figure(3)
    assert total(world, "new_cases", Filters(location=world.ninewa)) == Figure(13)
    assert total(world, "new_cases", Filters(location=world.iraq)) == Figure(15)
    assert total(world, "new_cases", Filters(risk_type=world.paf11)) == Figure(3)
    assert total(world, "first_response", Filters(risk_level=RiskLevel.HIGH)) == Figure(5, 6)
    assert total(world, "wellbeing_improved", Filters(displacement="idp")) == Figure(4, 5)
    assert total(world, "satisfaction", Filters(team=p.team)) == Figure(4, 5)
    # Surveys keep no sex: a filter they cannot follow makes the figure unavailable.
    satisfaction = get_indicator("satisfaction")
    assert satisfaction is not None
    assert compute(satisfaction, scope(world), PERIOD, Filters(sex=Sex.FEMALE)) is None
    assert total(world, "referrals_made", Filters(team=p.team)) == Figure(6)
    assert total(world, "feedback_received", Filters(location=world.ninewa)) == Figure(5)
    feedback = get_indicator("feedback_received")
    assert feedback is not None
    assert compute(feedback, scope(world), PERIOD, Filters(sex=Sex.FEMALE)) is None


def test_the_trend_counts_each_month(world):
    indicator = get_indicator("new_cases")
    assert indicator is not None
    table = by_month(indicator, scope(world), PERIOD, Filters())
    assert [row.code for row in table.rows] == ["2026-01", "2026-02", "2026-03"]
    # February's 2 is small; January's 6 would give it away from the total: hidden too.
    assert [row.numerator.text for row in table.rows] == ["<5", "<5", "7"]
    assert table.total is not None and table.total.numerator.text == "15"


def test_the_trend_of_dated_records_counts_each_month(world):
    indicator = get_indicator("feedback_received")
    assert indicator is not None
    table = by_month(indicator, scope(world), PERIOD, Filters())
    assert [row.numerator.value for row in table.rows] == [0, 5, 2]
    # 0 and 2 are hidden; under the shown total of 7 they would add up to 2, so 5 hides too.
    assert [row.numerator.text for row in table.rows] == ["<5", "<5", "<5"]
    actions = get_indicator("plan_actions_on_time")
    assert actions is not None
    table = by_month(actions, scope(world), PERIOD, Filters())
    assert [(r.numerator.value, r.denominator and r.denominator.value) for r in table.rows] == [
        (0, 0),
        (4, 5),
        (3, 4),
    ]


def test_small_cells_are_suppressed_with_what_gives_them_away(world):
    indicator = get_indicator("new_cases")
    assert indicator is not None
    table = by_group(indicator, scope(world), PERIOD, Filters(), Dim.SEX)
    # 2 men is small; 13 women would give it away from the total of 15.
    assert {row.label: row.numerator.text for row in table.rows} == {"Female": "<5", "Male": "<5"}
    assert table.total is not None and table.total.numerator.text == "15"
    first_response = get_indicator("first_response")
    assert first_response is not None
    table = by_group(first_response, scope(world), PERIOD, Filters(), Dim.RISK_LEVEL)
    shown = {
        row.label: (row.numerator.text, row.denominator and row.denominator.text, row.value_text)
        for row in table.rows
    }
    assert shown == {
        "High": ("<5", "<5", "—"),
        "Low": ("<5", "<5", "—"),
        "Medium": ("6", "7", "85.7%"),
    }
    assert table.total is not None
    assert (table.total.numerator.text, table.total.value_text) == ("13", "86.7%")
    by_team = by_group(first_response, scope(world), PERIOD, Filters(), Dim.TEAM)
    assert [row.value_text for row in by_team.rows] == ["85.7%", "87.5%"]  # Erbil, Mosul A


def test_the_agency_threshold_is_used(world):
    MealSettings.objects.create(agency=world.agency, small_cell_threshold=10)
    from pcm.meal.query import scope_for

    indicator = get_indicator("first_response")
    assert indicator is not None
    table = by_group(indicator, scope_for(world.p.meal_officer), PERIOD, Filters(), Dim.TEAM)
    assert [row.numerator.text for row in table.rows] == ["<10", "<10"]
    assert table.total is not None and table.total.numerator.text == "13"


def test_people_reached_by_location_sex_and_age(world):
    from pcm.meal.reach import reach

    table = reach(scope(world), PERIOD, Filters(), location_level=1)
    assert [row.label for row in table.rows] == ["Erbil (IQG02)", "Ninewa (IQG01)"]
    erbil, ninewa = table.rows
    values = [cell.value for cell in ninewa.cells]
    # Ninewa: A1–A6 and D1 (women 25–59), C1–C7 (women 60 and over); Erbil: two young men.
    assert values == [0, 0, 7, 7, 0, 0, 0, 0, 0, 0, 0, 0]
    assert [cell.value for cell in erbil.cells] == [0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0]
    # Erbil's 2 is small, so Ninewa's total (14 of 16) is hidden with it.
    assert erbil.total.text == "<5" and ninewa.total.text == "<5"
    # With both women's columns shown, 16 − 7 − 7 would give Erbil's 2 men: one women's
    # column hides its total too, and then Ninewa's cell in it (else the cell would be the
    # column's total, and the total 16 minus the rest).
    assert [cell.text for cell in table.totals.cells][2:4] == ["<5", "7"]
    assert [cell.text for cell in ninewa.cells][2:4] == ["<5", "7"]
    assert table.totals.total.text == "16"
    # One level down, Mosul is all of Ninewa: the same cells hide, so the province's table
    # and the district's never tell apart what either hides.
    mosul = reach(scope(world), PERIOD, Filters(), location_level=2).rows[0]
    assert mosul.label == "Mosul (IQD0101)"
    assert [cell.text for cell in mosul.cells] == [cell.text for cell in ninewa.cells]
    assert table.hashtags[2] == "#affected +f +adults"
    assert table.hashtags[5] == "#affected +m +youth"


SPLITS = {
    "person": lambda w: Filters(sex=Sex.FEMALE, age_group="25-59", location=w.ninewa),
    "case": lambda w: Filters(risk_type=w.paf01, disability="yes", team=w.p.team),
    "level": lambda w: Filters(
        risk_level=RiskLevel.MEDIUM, displacement="host_community", location=w.mosul
    ),
}


@pytest.mark.parametrize("split", SPLITS)
def test_one_count_gives_the_figures_of_every_selection_of_the_filters(
    world, split, django_assert_max_num_queries, settings
):
    """Every table is a slice of a cube counted in one grouped query over the filters' axes
    and the rows': each selection's figures (the filters chosen, and each with one filter
    fewer, read from the same cube) are those that applying exactly its filters gives."""
    from pcm.meal import linked, tables
    from pcm.meal.indicators import compute, indicators, trend

    settings.PCM_MEAL_SNAPSHOTS = False
    filters = SPLITS[split](world)
    every = [filters, *(filters.without(name) for name in filters.active())]
    # A run of days, and the first quarter, January and March as the page offers them
    # (slices of the year's cubes where an indicator adds up by month or is its last month's).
    periods = (PERIOD, FIRST_QUARTER, JANUARY, MARCH)
    for indicator, period in itertools.product(indicators(), periods):
        # Every kind of table: a total, months, groups that add up (at a lower location
        # level) and groups that overlap (a case may have several risk types), each from
        # cubes decided afresh (as an export decides them) and shared by the selections.
        for what, level in [
            ("total", 1),
            ("month", 1),
            ("location", 2),
            ("risk_type", 1),
            ("team", 1),
        ]:
            if what not in ("total", "month") and Dim(what) not in indicator.dims:
                continue
            memo = tables.Memo()
            for chosen in every:
                found = tables.masked(indicator, scope(world), period, chosen, what, level, memo)
                expected: dict[object, Figure] | None
                if what == "month":
                    months = trend(indicator, scope(world), period, chosen)
                    expected = None
                    if months is not None:
                        expected = {}
                        expected.update(months.items())
                    if months is not None and expected is not None and not indicator.stock:
                        percent = indicator.unit == Unit.PERCENT
                        expected[TOTAL] = Figure(
                            sum(f.numerator for f in months.values()),
                            sum(f.denominator or 0 for f in months.values()) if percent else None,
                        )
                else:
                    dim = None if what == "total" else Dim(what)
                    expected = compute(indicator, scope(world), period, chosen, dim, level)
                where = (indicator.code, period.code, what, chosen.active())
                if expected is None:
                    assert found is None, where
                    continue
                assert found is not None, where
                nonzero = {k: f for k, f in found.figures.items() if f.numerator or f.denominator}
                wanted = {k: f for k, f in expected.items() if f.numerator or f.denominator}
                assert nonzero == wanted, where
    # Indicators counting cases' records do it in one count for the table and its wider
    # selections (not one per selection): one query, and for a ratio one more for its staff.
    for code, queries in (
        ("new_cases", 1),
        ("first_response", 1),
        ("referrals_made", 1),
        ("closures", 1),
        ("caseload", 2),
    ):
        one_count = get_indicator(code)
        assert one_count is not None
        # Plus the places (the tree, and those inside a location filter) and the sub-types of
        # a risk filter, looked up once for the indicator's rows and once for its counts.
        lookups = 2 * ((filters.location is not None) + (filters.risk_type is not None))
        with django_assert_max_num_queries(queries + lookups + 1):
            context = linked.Context(one_count, scope(world), PERIOD, linked.Lattice())
            assert linked.table_slice(context, filters, Dim.TEAM.value) is not None
    # The people-reached table too: its rows (at level 1) and total are those of applying
    # exactly each selection's filters, from one cube.
    from pcm.meal.reach import PEOPLE_REACHED, grid

    for chosen in every:
        people = grid(scope(world), PERIOD, chosen, 1)
        counted = compute(PEOPLE_REACHED, scope(world), PERIOD, chosen, Dim.LOCATION, 1)
        assert counted is not None
        assert people.totals[1].value == counted[TOTAL].numerator
        rows = {place: total.value for place, (_cells, total) in people.rows.items()}
        places = {k: f.numerator for k, f in counted.items() if k != TOTAL and f.numerator}
        assert {k: v for k, v in rows.items() if v} == places, chosen.active()
    women = grid(scope(world), PERIOD, Filters(sex=Sex.FEMALE), 1)
    assert all(cell.value == 0 for cell in women.totals[0][4:])  # no man counted
