"""Synthetic supervision for the demo: case file checks (some actions overdue) and sessions.

Called by the seed command for batches of cases; builds every row in memory and writes each
table with one bulk insert, so a batch costs a handful of queries whatever its size.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from pcm.accounts.models import Team
from pcm.cases.models import Case, CaseStatus
from pcm.supervision.models import (
    CHECK_ITEMS,
    AgreedAction,
    CaseFileCheck,
    CheckAnswer,
    SessionType,
    SupervisionSession,
)

S = CaseStatus
# Steps with enough in the file for a supervisor to check it.
CHECKED_STEPS = {S.PLANNING, S.IMPLEMENTATION, S.FOLLOW_UP, S.CLOSURE_REQUESTED, S.CLOSED}
OPEN_STEPS = {S.INTAKE, S.ASSESSMENT, S.PLANNING, S.IMPLEMENTATION, S.FOLLOW_UP}
CHECK_SHARE = 0.4
ACTION_SHARE = 0.35
SESSIONS_PER_CASEWORKER = (2, 4)

COMMENTS = (
    "",
    "File in good order.",
    "Clear notes; the plan reflects what the service user asked for.",
    "Consent form scanned but the scope of sharing is not ticked.",
    "The last two contacts are not written up yet.",
    "Risk level still high after the last assessment: review the safety plan at the next visit.",
)
ACTIONS = (
    "Write up the last two contacts in the case notes.",
    "Add the signed consent form to the file.",
    "Agree the plan's goals with the service user and record her agreement.",
    "Review the safety plan with the service user.",
    "Record the outcome of the legal aid referral.",
    "Update the assessment: the household situation has changed.",
)
WELLBEING_NOTES = (
    "Feels on top of the caseload this month; takes her breaks and leaves on time.",
    "Tired after a week of field visits; agreed to take the day off owed to her.",
    "Finds the high-risk cases heavy; uses the peer support group and finds it helpful.",
    "Worried about the long travel to the outreach sites; sleeps less than usual.",
    "Good energy, asked for more training on case conferences.",
    "Upset after a difficult home visit; talked it through and knows where to get support.",
)
AGREED_ACTIONS = (
    "Take the two days of leave owed before the end of the month.",
    "Join the monthly peer support group.",
    "Attend the training on psychological first aid.",
    "Hand over two low-risk cases to rebalance the caseload.",
    "Plan field visits so that no more than three happen in one day.",
    "Prepare two cases for the next case conference.",
)


def enrich(cases: list[Case], *, rng: random.Random, now: datetime) -> None:
    """File checks for cases past planning; sessions for caseworkers who have none yet."""
    supervisors: dict[int, int | None] = dict(
        Team.objects.filter(pk__in={case.team_id for case in cases}).values_list(
            "pk", "supervisor_id"
        )
    )
    _file_checks(cases, supervisors, rng, now)
    _sessions(cases, supervisors, rng, now)


def _answer(rng: random.Random) -> str:
    return rng.choices(
        [CheckAnswer.YES, CheckAnswer.NO, CheckAnswer.NOT_APPLICABLE], [0.78, 0.15, 0.07]
    )[0].value


def _file_checks(
    cases: list[Case], supervisors: dict[int, int | None], rng: random.Random, now: datetime
) -> None:
    checks = []
    for case in cases:
        supervisor = supervisors.get(case.team_id)
        if supervisor is None or case.status not in CHECKED_STEPS or rng.random() > CHECK_SHARE:
            continue
        end = min(now, case.closed_at) if case.closed_at else now
        start = case.opened_at + timedelta(days=10)
        if start >= end:
            continue
        count = rng.choice((1, 1, 2))
        moments = sorted(start + (end - start) * rng.random() for _ in range(count))
        for version, checked_at in enumerate(moments, start=1):
            checks.append(_check(case, version, checked_at, supervisor, rng, now, count))
    CaseFileCheck.objects.bulk_create(checks, batch_size=1000)


def _check(
    case: Case,
    version: int,
    checked_at: datetime,
    supervisor: int,
    rng: random.Random,
    now: datetime,
    count: int,
) -> CaseFileCheck:
    check = CaseFileCheck(
        case=case,
        version=version,
        checked_by_id=supervisor,
        checked_at=checked_at,
        comment=rng.choice(COMMENTS),
        **{name: _answer(rng) for name, _label in CHECK_ITEMS},
    )
    if rng.random() < ACTION_SHARE:
        check.action_needed = rng.choice(ACTIONS)
        check.action_due_on = (checked_at + timedelta(days=rng.randrange(3, 15))).date()
        # Earlier checks' actions and most past ones were done; some are left overdue.
        latest_and_open = version == count and case.status in OPEN_STEPS
        if not latest_and_open or rng.random() < 0.4:
            check.action_done_at = min(now, checked_at + timedelta(days=rng.randrange(1, 10)))
            check.action_done_by_id = case.assigned_to_id
    return check


def _sessions(
    cases: list[Case], supervisors: dict[int, int | None], rng: random.Random, now: datetime
) -> None:
    by_caseworker: dict[int, list[Case]] = {}
    supervisor_of: dict[int, int] = {}
    for case in cases:
        supervisor = supervisors.get(case.team_id)
        if case.assigned_to_id is not None and supervisor is not None:
            by_caseworker.setdefault(case.assigned_to_id, []).append(case)
            supervisor_of[case.assigned_to_id] = supervisor
    # The seed calls this per batch: a caseworker gets sessions in the first batch only.
    seen = set(
        SupervisionSession.objects.filter(caseworker_id__in=by_caseworker)
        .values_list("caseworker_id", flat=True)
        .distinct()
    )
    sessions: list[SupervisionSession] = []
    discussed: list[list[Case]] = []
    for caseworker_id, held in sorted(by_caseworker.items()):
        if caseworker_id in seen:
            continue
        open_cases = [case for case in held if case.status in OPEN_STEPS]
        for _ in range(rng.randint(*SESSIONS_PER_CASEWORKER)):
            held_on = (now - timedelta(days=rng.randrange(1, 120))).date()
            sessions.append(
                SupervisionSession(
                    team_id=held[0].team_id,
                    supervisor_id=supervisor_of[caseworker_id],
                    caseworker_id=caseworker_id,
                    held_on=held_on,
                    session_type=SessionType.INDIVIDUAL
                    if rng.random() < 0.8
                    else SessionType.GROUP,
                    wellbeing_note=rng.choice(WELLBEING_NOTES),
                    recorded_at=now,
                )
            )
            discussed.append(rng.sample(open_cases, min(len(open_cases), rng.randint(0, 3))))
    SupervisionSession.objects.bulk_create(sessions, batch_size=1000)
    through = SupervisionSession.cases_discussed.through
    links = [
        through(supervisionsession_id=session.pk, case_id=case.pk)
        for session, chosen in zip(sessions, discussed, strict=True)
        for case in chosen
    ]
    through.objects.bulk_create(links, batch_size=1000)
    actions = []
    for session in sessions:
        for description in rng.sample(AGREED_ACTIONS, rng.randint(0, 2)):
            due_on = session.held_on + timedelta(days=rng.randrange(7, 30))
            done = due_on < now.date() and rng.random() < 0.7
            actions.append(
                AgreedAction(
                    session=session,
                    description=description,
                    due_on=due_on,
                    done_at=now if done else None,
                    done_by_id=session.caseworker_id if done else None,
                )
            )
    AgreedAction.objects.bulk_create(actions, batch_size=1000)
