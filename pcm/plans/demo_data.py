"""Demo plans: drafts and approvals in planning, plans in force with late actions, safety plans.

Written in bulk for a batch of cases (a handful of queries whatever its size).
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Field, Model, OuterRef, Subquery

from pcm.accounts.models import Team
from pcm.cases.models import Case, CaseStatus, RiskLevel
from pcm.plans.models import (
    CURRENT_STATUSES,
    ActionOwner,
    ActionSource,
    ActionStatus,
    CasePlan,
    PlanAction,
    PlanGoal,
    PlanStatus,
    PlanVersion,
)
from pcm.plans.safety import EmergencyContact, SafetyPlan

S = CaseStatus
PLANNED_STEPS = (S.IMPLEMENTATION, S.FOLLOW_UP, S.CLOSURE_REQUESTED, S.CLOSED)
OPEN_STEPS = (S.ASSESSMENT, S.PLANNING, S.IMPLEMENTATION, S.FOLLOW_UP, S.CLOSURE_REQUESTED)
SHARE_REVISED = 0.2  # plans in force that replaced an earlier version
SHARE_SAFETY_PLAN = 0.6  # of high-risk cases past intake
SHARE_SENT_BACK = 0.15  # of high-risk plans waiting in planning
SHARE_LATE = 0.25  # open actions whose due date has passed
BATCH = 500

GOALS = (
    "Feel safe at home and know what to do if the threats start again.",
    "Obtain a civil ID card so I can register for assistance.",
    "Have enough income to pay the rent for the coming months.",
    "Get legal advice about the eviction notice.",
    "Receive treatment for my health condition.",
    "Sleep better and feel less worried during the day.",
    "Re-enrol my children in school.",
    "Reconnect with my sister and her family.",
    "Find out what happened to my husband's residence permit.",
    "Be able to leave the house without being followed.",
)
ACTIONS: tuple[tuple[str, ActionOwner], ...] = (
    ("Refer to legal aid partner for advice on documentation.", ActionOwner.REFERRAL),
    ("Accompany the service user to the civil registry office.", ActionOwner.CASEWORKER),
    ("Submit the cash assistance request to the programme team.", ActionOwner.CASEWORKER),
    ("Call the landlord with the service user to discuss a payment plan.", ActionOwner.CASEWORKER),
    ("Attend the first psychosocial support group session.", ActionOwner.SERVICE_USER),
    ("Collect the medical report from the health centre.", ActionOwner.SERVICE_USER),
    ("Bring the children's school records to the next visit.", ActionOwner.SERVICE_USER),
    ("Refer to the health partner for a medical consultation.", ActionOwner.REFERRAL),
    ("Check with the shelter whether a place is available.", ActionOwner.CASEWORKER),
    ("Keep the hotline number saved under a safe name in the phone.", ActionOwner.SERVICE_USER),
    ("Refer to the livelihoods programme for vocational training.", ActionOwner.REFERRAL),
    ("Follow up with the legal aid lawyer on the hearing date.", ActionOwner.CASEWORKER),
)
COMMENTS_SENT_BACK = (
    "The goals need to be in the service user's own words. Please also add a date for the "
    "shelter check.",
    "Please add an action on immediate safety: the assessment shows threats at home.",
)
COMMENTS_APPROVED = ("", "", "Good plan. Keep the safety plan up to date.", "Approved.")
WARNING_SIGNS = (
    "He starts drinking in the evening and shouts at the children.",
    "Men from the former employer wait near the market.",
    "Phone calls from unknown numbers late at night.",
)
SAFE_PLACES = (
    "The women's centre near the mosque (open 8:00 to 16:00).",
    "Her sister's house in the next district.",
    "The health centre waiting room, where staff know her.",
)
SAFE_PEOPLE = (
    "Her sister; the neighbour on the ground floor.",
    "Her friend from the support group; the community volunteer.",
)
STEPS = (
    "Leave the house with the children and the small bag kept ready by the door. Go to the "
    "sister's house. Call the caseworker or the hotline.",
    "Do not open the door. Call the police emergency number, then the caseworker. Keep the "
    "documents in the bag at the neighbour's.",
)
CONTACTS = (
    ("Protection hotline", "NGO hotline, free of charge"),
    ("Police emergency", "Emergency number"),
    ("Mariam", "Sister"),
    ("Huda", "Neighbour"),
)


def _phone(rng: random.Random) -> str:
    return f"+{rng.randint(100, 999)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"


@dataclass(slots=True)
class _ActionRow:
    """An action to insert: plain attributes, as model instances cost too much per row here."""

    version: PlanVersion
    goal: PlanGoal
    case_id: int
    position: int
    description: str
    owner: str
    created_at: datetime
    due_on: date | None = None
    status: str = ActionStatus.TO_DO
    status_changed_by_id: int | None = None
    status_changed_at: datetime | None = None

    def values(self) -> tuple[object, ...]:
        return (
            self.version.pk,
            self.case_id,
            uuid.uuid4(),
            self.goal.pk,
            self.position,
            self.description,
            self.owner,
            self.due_on,
            self.status,
            ActionSource.PLAN,
            self.created_at,
            self.status_changed_by_id,
            self.status_changed_at,
            1,
        )


ACTION_COLUMNS = (
    "plan_version",
    "case",
    "key",
    "goal",
    "position",
    "description",
    "owner",
    "due_on",
    "status",
    "source",
    "created_at",
    "status_changed_by",
    "status_changed_at",
    "version",
)


def _insert(model: type[Model], names: tuple[str, ...], rows: list[tuple[object, ...]]) -> None:
    """INSERT ROWS in batches with executemany: several times faster than bulk_create here."""
    fields = [model._meta.get_field(name) for name in names]
    concrete = [field for field in fields if isinstance(field, Field) and field.column]
    assert len(concrete) == len(names)  # noqa: S101 - only concrete columns can be inserted
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(field.column)) for field in concrete)
    marks = ", ".join(["%s"] * len(fields))
    # Table and column names come from the model's own metadata, never from input.
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    prepared = [
        tuple(
            field.get_db_prep_save(value, connection)
            for field, value in zip(concrete, row, strict=True)
        )
        for row in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(prepared), BATCH):
            cursor.executemany(sql, prepared[start : start + BATCH])


@dataclass
class _Batch:
    rng: random.Random
    now: datetime
    supervisors: dict[int, int]
    plans: list[CasePlan] = field(default_factory=list)
    versions: list[PlanVersion] = field(default_factory=list)
    goals: list[PlanGoal] = field(default_factory=list)
    actions: list[_ActionRow] = field(default_factory=list)
    current: list[tuple[CasePlan, PlanVersion]] = field(default_factory=list)
    safety_plans: list[SafetyPlan] = field(default_factory=list)
    contacts: list[EmergencyContact] = field(default_factory=list)
    sent_back_made: bool = False

    @property
    def today(self) -> date:
        return self.now.date()

    def _at(self, case: Case, days_after_opening: float) -> datetime:
        return min(self.now, case.opened_at + timedelta(days=days_after_opening))

    def _version(self, plan: CasePlan, case: Case, number: int, at: datetime) -> PlanVersion:
        assert case.assigned_to_id is not None  # noqa: S101 - only held cases get plans
        version = PlanVersion(
            plan=plan,
            case=case,
            number=number,
            status=PlanStatus.DRAFT,
            created_by_id=case.assigned_to_id,
            created_at=at,
            updated_by_id=case.assigned_to_id,
            updated_at=at,
        )
        self.versions.append(version)
        return version

    def _content(self, version: PlanVersion, case: Case, *, in_force: bool, finished: bool) -> None:
        rng = self.rng
        goals = [
            PlanGoal(plan_version=version, position=index + 1, description=text)
            for index, text in enumerate(rng.sample(GOALS, rng.randint(1, 3)))
        ]
        self.goals.extend(goals)
        for index, (text, owner) in enumerate(rng.sample(ACTIONS, rng.randint(2, 5))):
            action = _ActionRow(
                version=version,
                goal=rng.choice(goals),
                case_id=case.pk,
                position=index + 1,
                description=text,
                owner=owner,
                created_at=version.created_at,
            )
            self._progress(action, case, in_force=in_force, finished=finished)
            self.actions.append(action)

    def _progress(self, action: _ActionRow, case: Case, *, in_force: bool, finished: bool) -> None:
        rng = self.rng
        created = action.created_at.date()
        if finished:
            action.due_on = created + timedelta(days=rng.randint(7, 45))
            action.status = rng.choice((ActionStatus.DONE,) * 5 + (ActionStatus.CANCELLED,))
        elif not in_force:
            action.due_on = self.today + timedelta(days=rng.randint(5, 40))
        else:
            late = rng.random() < SHARE_LATE
            if late:
                action.due_on = self.today - timedelta(days=rng.randint(1, 20))
                action.status = rng.choice((ActionStatus.TO_DO, ActionStatus.IN_PROGRESS))
            else:
                action.due_on = self.today + timedelta(days=rng.randint(-30, 30))
                if action.due_on < self.today:
                    action.status = ActionStatus.DONE
                else:
                    action.status = rng.choice(
                        (ActionStatus.TO_DO, ActionStatus.IN_PROGRESS, ActionStatus.DONE)
                    )
            action.due_on = max(action.due_on, created + timedelta(days=1))
        if action.status != ActionStatus.TO_DO:
            action.status_changed_by_id = case.assigned_to_id
            action.status_changed_at = min(
                self.now, action.created_at + timedelta(days=rng.randint(1, 20))
            )

    def add_planning(self, case: Case) -> None:
        """A case in planning: a draft, a plan waiting for approval, or one sent back."""
        plan = CasePlan(case=case)
        self.plans.append(plan)
        started = self._at(case, self.rng.uniform(5, 20))
        version = self._version(plan, case, 1, started)
        version.review_on = self.today + timedelta(days=self.rng.randint(30, 90))
        self._content(version, case, in_force=False, finished=False)
        supervisor = self.supervisors.get(case.team_id)
        if case.risk_level != RiskLevel.HIGH or supervisor is None:
            return  # a draft being prepared with the service user
        submitted = max(started, self.now - timedelta(hours=self.rng.randint(2, 120)))
        version.status = PlanStatus.SUBMITTED
        version.agreed_with_service_user = True
        version.submitted_by_id = case.assigned_to_id
        version.submitted_at = version.updated_at = submitted
        if not self.sent_back_made or self.rng.random() < SHARE_SENT_BACK:
            self.sent_back_made = True
            version.status = PlanStatus.SENT_BACK
            version.decided_by_id = version.updated_by_id = supervisor
            version.decided_at = version.updated_at = min(self.now, submitted + timedelta(hours=20))
            version.decision_comment = self.rng.choice(COMMENTS_SENT_BACK)

    def add_planned(self, case: Case) -> None:
        """A case past planning: a plan in force (maybe after an earlier version), reviewed."""
        rng = self.rng
        finished = case.status == S.CLOSED
        plan = CasePlan(case=case)
        self.plans.append(plan)
        number = 1
        if rng.random() < SHARE_REVISED:
            old = self._version(plan, case, 1, self._at(case, rng.uniform(5, 15)))
            self._decide(old, case)
            old.status = PlanStatus.SUPERSEDED
            old.superseded_at = self._at(case, rng.uniform(30, 60))
            self._content(old, case, in_force=False, finished=True)
            number = 2
        days = rng.uniform(10, 20) if number == 1 else rng.uniform(30, 60)
        version = self._version(plan, case, number, self._at(case, days))
        self._decide(version, case)
        self._content(version, case, in_force=True, finished=finished)
        self.current.append((plan, version))
        if not finished:
            # about a third of the reviews are late
            plan.next_review_on = self.today + timedelta(days=rng.randint(-15, 30))

    def _decide(self, version: PlanVersion, case: Case) -> None:
        assert case.assigned_to_id is not None  # noqa: S101 - only held cases get plans
        at = min(self.now, version.created_at + timedelta(days=self.rng.uniform(1, 4)))
        supervisor = self.supervisors.get(case.team_id)
        version.agreed_with_service_user = True
        version.submitted_by_id = case.assigned_to_id
        version.submitted_at = at
        decider, decided = case.assigned_to_id, at
        version.status = PlanStatus.AGREED
        if case.risk_level == RiskLevel.HIGH and supervisor is not None:
            decider = supervisor
            decided = min(self.now, at + timedelta(hours=self.rng.randint(2, 40)))
            version.status = PlanStatus.APPROVED
            version.decision_comment = self.rng.choice(COMMENTS_APPROVED)
        version.decided_by_id = version.updated_by_id = decider
        version.decided_at = version.updated_at = decided
        version.review_on = decided.date() + timedelta(days=60)

    def add_safety_plan(self, case: Case) -> None:
        assert case.assigned_to_id is not None  # noqa: S101 - only held cases get plans
        rng = self.rng
        at = self._at(case, rng.uniform(2, 10))
        plan = SafetyPlan(
            case=case,
            warning_signs=rng.choice(WARNING_SIGNS),
            safe_places=rng.choice(SAFE_PLACES),
            safe_people=rng.choice(SAFE_PEOPLE),
            emergency_steps=rng.choice(STEPS),
            reviewed_on=at.date(),
            created_by_id=case.assigned_to_id,
            created_at=at,
            updated_by_id=case.assigned_to_id,
            updated_at=at,
        )
        self.safety_plans.append(plan)
        for index, (name, relationship) in enumerate(rng.sample(CONTACTS, rng.randint(2, 3))):
            self.contacts.append(
                EmergencyContact(
                    safety_plan=plan,
                    position=index + 1,
                    name=name,
                    relationship=relationship,
                    phone=_phone(rng),
                )
            )

    def write(self) -> None:
        CasePlan.objects.bulk_create(self.plans, batch_size=BATCH)
        PlanVersion.objects.bulk_create(self.versions, batch_size=BATCH)
        PlanGoal.objects.bulk_create(self.goals, batch_size=BATCH)
        _insert(PlanAction, ACTION_COLUMNS, [action.values() for action in self.actions])
        # One UPDATE per batch of plans (a subquery), not one per plan as bulk_update makes.
        in_force = PlanVersion.objects.filter(
            plan=OuterRef("pk"), status__in=CURRENT_STATUSES
        ).values("pk")[:1]
        plan_ids = [plan.pk for plan, _version in self.current]
        for start in range(0, len(plan_ids), BATCH):
            CasePlan.objects.filter(pk__in=plan_ids[start : start + BATCH]).update(
                current_version=Subquery(in_force)
            )
        SafetyPlan.objects.bulk_create(self.safety_plans, batch_size=BATCH)
        EmergencyContact.objects.bulk_create(self.contacts, batch_size=BATCH)


def enrich(cases: list[Case], *, rng: random.Random, now: datetime) -> None:
    """Plans for cases in planning and later, and safety plans for some high-risk cases."""
    held = [case for case in cases if case.assigned_to_id is not None]
    team_ids = {case.team_id for case in held}
    supervisors = dict(Team.objects.filter(pk__in=team_ids).values_list("pk", "supervisor_id"))
    batch = _Batch(rng=rng, now=now, supervisors=supervisors)
    for case in held:
        if case.status == S.PLANNING:
            batch.add_planning(case)
        elif case.status in PLANNED_STEPS:
            batch.add_planned(case)
        if (
            case.risk_level == RiskLevel.HIGH
            and case.status in OPEN_STEPS
            and rng.random() < SHARE_SAFETY_PLAN
        ):
            batch.add_safety_plan(case)
    batch.write()
