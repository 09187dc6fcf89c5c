"""Role matrix entries for the URLs of pcm.supervision."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from pcm.accounts.models import User
from pcm.cases.models import Case
from pcm.supervision.models import (
    AgreedAction,
    CaseFileCheck,
    CheckAnswer,
    SessionType,
    SupervisionSession,
)
from tests.matrix import CASE_ROLES, Route, World, hidden_cases, own_case

SUPERVISOR = {"supervisor"}
CASEWORKER = {"caseworker"}
CASEWORKER_OR_SUPERVISOR = {"caseworker", "supervisor"}


def file_check(case: Case) -> CaseFileCheck:
    """A check of CASE by its team's supervisor, with an action still to do."""
    latest = CaseFileCheck.objects.filter(case=case).order_by("-version").first()
    answers = dict.fromkeys(
        ("consent_present", "assessment_done", "plan_agreed", "notes_up_to_date", "deadlines_met"),
        CheckAnswer.NO,
    )
    return CaseFileCheck.objects.create(
        case=case,
        version=(latest.version if latest else 0) + 1,
        checked_by=case.team.supervisor or case.opened_by,
        comment=f"Checked {case.number}",
        action_needed=f"Update the notes of {case.person.given_name}",
        **answers,
    )


def session_with(caseworker: User, case: Case) -> SupervisionSession:
    """A session held with CASEWORKER about CASE, with one agreed action."""
    assert caseworker.team is not None
    session = SupervisionSession.objects.create(
        team=caseworker.team,
        supervisor=caseworker.team.supervisor or caseworker,
        caseworker=caseworker,
        held_on=date(2026, 1, 15),
        session_type=SessionType.INDIVIDUAL,
        wellbeing_note="Tired after the field week",
    )
    session.cases_discussed.add(case)
    AgreedAction.objects.create(session=session, description="Take a rest day")
    return session


def _foreign_checks(world: World, role: str) -> Iterator[dict[str, object]]:
    for case in world.cases_hidden_from(role):
        check = file_check(case)
        yield {"public_id": case.public_id, "check_id": check.pk}
        # A visible case with another case's check: refused just the same.
        yield {"public_id": world.mine.public_id, "check_id": check.pk}


def _own_check(world: World, role: str) -> dict[str, object]:
    return {"public_id": world.mine.public_id, "check_id": file_check(world.mine).pk}


def _foreign_caseworkers(world: World, role: str) -> Iterator[dict[str, object]]:
    session_with(world.personas.other_caseworker, world.colleague)
    session_with(world.personas.outsider, world.other_agency)
    yield {"caseworker_id": world.personas.other_caseworker.pk}
    yield {"caseworker_id": world.personas.outsider.pk}


def _own_caseworker(world: World, role: str) -> dict[str, object]:
    return {"caseworker_id": world.personas.caseworker.pk}


def _foreign_actions(world: World, role: str) -> Iterator[dict[str, object]]:
    for caseworker, case in (
        (world.personas.other_caseworker, world.colleague),
        (world.personas.outsider, world.other_agency),
    ):
        session = session_with(caseworker, case)
        yield {"action_id": session.actions.get().pk}


def _own_action(world: World, role: str) -> dict[str, object]:
    session = session_with(world.personas.caseworker, world.mine)
    return {"action_id": session.actions.get().pk}


ROUTES: dict[str, Route] = {
    "supervision:today": Route(allowed=CASEWORKER, methods=("GET",)),
    "supervision:team": Route(allowed=SUPERVISOR, methods=("GET",)),
    "supervision:file_checks": Route(
        allowed=CASE_ROLES, foreign=hidden_cases, own=own_case, methods=("GET",)
    ),
    "supervision:record_file_check": Route(
        allowed=SUPERVISOR, foreign=hidden_cases, own=own_case, methods=("GET", "POST")
    ),
    "supervision:check_action_done": Route(
        allowed=CASEWORKER_OR_SUPERVISOR,
        foreign=_foreign_checks,
        own=_own_check,
        methods=("POST",),
        ok_statuses={302},
    ),
    "supervision:my_sessions": Route(allowed=CASEWORKER, methods=("GET",)),
    "supervision:caseworker_sessions": Route(
        allowed=SUPERVISOR, foreign=_foreign_caseworkers, own=_own_caseworker, methods=("GET",)
    ),
    "supervision:record_session": Route(
        allowed=SUPERVISOR,
        foreign=_foreign_caseworkers,
        own=_own_caseworker,
        methods=("GET", "POST"),
    ),
    "supervision:agreed_action_done": Route(
        allowed=CASEWORKER_OR_SUPERVISOR,
        foreign=_foreign_actions,
        own=_own_action,
        methods=("POST",),
        ok_statuses={302},
    ),
}
