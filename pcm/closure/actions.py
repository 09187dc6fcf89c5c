"""Closing a case: request, approval or sending back, the satisfaction survey, and reopening.

Each action checks who may act and the step's conditions, then moves the case with
`pcm.cases.workflow.move_case` inside one durable transaction that also writes the audit event
and the notifications. Transfers to another agency are in `pcm.closure.transfer_actions`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from pcm.audit.actions import record_event
from pcm.cases.models import Case, CaseStatus
from pcm.cases.workflow import move_case
from pcm.closure import permissions
from pcm.closure.models import (
    MIN_CONTACT_ATTEMPTS,
    CaseReopening,
    ClosureCriterion,
    ClosureEvent,
    ClosureRequest,
    ClosureStatus,
    SatisfactionSurvey,
    SurveyOutcome,
    TransferRequest,
    TransferStatus,
    WouldRecommend,
)
from pcm.core.errors import ActionRefused, EditConflict
from pcm.notifications.actions import notify
from pcm.notifications.models import NotificationKind
from pcm.retention.guards import refuse_if_anonymised

if TYPE_CHECKING:
    from pcm.accounts.models import Agency, User

# The steps a closure may be requested from.
CLOSABLE_STEPS = (CaseStatus.IMPLEMENTATION, CaseStatus.FOLLOW_UP)


def do_request_closure(
    case: Case,
    *,
    criterion: ClosureCriterion,
    summary: str,
    contact_attempts: int | None = None,
    expected_version: int | None = None,
    acting_user: User,
) -> ClosureRequest:
    """The caseworker asks the team's supervisor to close CASE against CRITERION."""
    if not permissions.may_request_closure(acting_user, case):
        raise ActionRefused(_("Only the caseworker who holds this case can request its closure."))
    if case.status not in CLOSABLE_STEPS:
        raise ActionRefused(
            _(
                "A case can be closed only from implementation or follow-up; this case is in "
                "the step “%(step)s”."
            )
            % {"step": CaseStatus(case.status).label}
        )
    summary = summary.strip()
    if not summary:
        raise ActionRefused(
            _("Write a closing summary: what was done, and why the case can close now.")
        )
    if criterion == ClosureCriterion.UNREACHABLE and (contact_attempts or 0) < MIN_CONTACT_ATTEMPTS:
        raise ActionRefused(
            _(
                "A case closes as unreachable only after at least %(minimum)d attempts to "
                "contact the service user. Give the number of attempts, with their dates in "
                "the summary."
            )
            % {"minimum": MIN_CONTACT_ATTEMPTS}
        )
    pending_transfer = _pending_transfer(case)
    if pending_transfer is not None:
        raise ActionRefused(
            _(
                "This case has a transfer request waiting for %(agency)s. Wait for their "
                "decision before requesting closure."
            )
            % {"agency": pending_transfer.to_agency}
        )
    supervisor = case.team.supervisor
    if supervisor is None or not supervisor.is_active:
        raise ActionRefused(
            _(
                "This case's team has no supervisor to approve the closure. Ask an "
                "administrator to name the team's supervisor, then try again."
            )
        )
    attempts = contact_attempts if criterion == ClosureCriterion.UNREACHABLE else None
    with transaction.atomic(durable=True):
        from_status = CaseStatus(case.status)
        previous = ClosureRequest.objects.filter(case=case).order_by("-requested_at", "-id").first()
        # The step moves first: of two requests at once, the second finds the case changed.
        move_case(
            case,
            to=CaseStatus.CLOSURE_REQUESTED,
            acting_user=acting_user,
            expected_version=expected_version,
        )
        closure = ClosureRequest(
            case=case,
            criterion=criterion,
            summary=summary,
            contact_attempts=attempts,
            from_status=from_status,
            requested_by=acting_user,
        )
        if previous is not None and previous.status == ClosureStatus.SENT_BACK:
            # Same closure, asked again: the survey already offered is not offered twice.
            closure.survey_offered = previous.survey_offered
            closure.survey_accepted = previous.survey_accepted
            closure.survey_given = previous.survey_given
        closure.save()
        record_event(
            ClosureEvent.CLOSURE_REQUESTED,
            actor=acting_user,
            target=closure,
            agency=case.agency,
            fields=["criterion", "summary", "contact_attempts"],
            detail={"case": case.pk, "criterion": criterion.value},
        )
        notify([supervisor], NotificationKind.APPROVAL_REQUESTED, case=case, actor=acting_user)
    return closure


def _pending_transfer(case: Case) -> TransferRequest | None:
    return (
        TransferRequest.objects.filter(case=case, status=TransferStatus.PENDING)
        .select_related("to_agency")
        .first()
    )


def _decide(
    closure: ClosureRequest,
    *,
    status: ClosureStatus,
    comment: str,
    expected_version: int,
    acting_user: User,
) -> None:
    """Record the supervisor's decision unless someone decided or changed it meanwhile."""
    updated = ClosureRequest.objects.filter(
        pk=closure.pk, status=ClosureStatus.PENDING, version=expected_version
    ).update(
        status=status,
        decided_by=acting_user,
        decided_at=timezone.now(),
        decision_comment=comment,
        version=F("version") + 1,
    )
    if not updated:
        current = ClosureRequest.objects.get(pk=closure.pk)
        raise EditConflict(
            _(
                "Someone else acted on this closure request while you were looking at it: it "
                "is now “%(status)s”. Nothing was saved; reload the case to see it."
            )
            % {"status": ClosureStatus(current.status).label}
        )
    closure.refresh_from_db()


def _check_decision(closure: ClosureRequest, acting_user: User) -> Case:
    case = closure.case
    if not permissions.may_decide_closure(acting_user, case):
        raise ActionRefused(
            _("Only the supervisor of this case's team can approve or send back its closure.")
        )
    if not closure.is_pending:
        raise ActionRefused(_("This closure request was already decided."))
    return case


def do_approve_closure(
    closure: ClosureRequest, *, expected_version: int | None = None, acting_user: User
) -> Case:
    """The team's supervisor approves the closure: the case is closed."""
    case = _check_decision(closure, acting_user)
    version = closure.version if expected_version is None else expected_version
    with transaction.atomic(durable=True):
        _decide(
            closure,
            status=ClosureStatus.APPROVED,
            comment="",
            expected_version=version,
            acting_user=acting_user,
        )
        move_case(
            case,
            to=CaseStatus.CLOSED,
            acting_user=acting_user,
            detail={"closure_request": closure.pk},
        )
        record_event(
            ClosureEvent.CLOSURE_APPROVED,
            actor=acting_user,
            target=closure,
            agency=case.agency,
            fields=["status"],
            detail={"case": case.pk},
        )
        notify(
            [case.assigned_to, closure.requested_by],
            NotificationKind.APPROVAL_GIVEN,
            case=case,
            actor=acting_user,
        )
    return case


def do_send_back_closure(
    closure: ClosureRequest,
    *,
    comment: str,
    expected_version: int | None = None,
    acting_user: User,
) -> Case:
    """The supervisor sends the request back with a comment; the case returns to its step."""
    case = _check_decision(closure, acting_user)
    comment = comment.strip()
    if not comment:
        raise ActionRefused(
            _("Write a comment: tell the caseworker what to do before the case can close.")
        )
    version = closure.version if expected_version is None else expected_version
    with transaction.atomic(durable=True):
        _decide(
            closure,
            status=ClosureStatus.SENT_BACK,
            comment=comment,
            expected_version=version,
            acting_user=acting_user,
        )
        move_case(
            case,
            to=CaseStatus(closure.from_status),
            acting_user=acting_user,
            detail={"closure_request": closure.pk},
        )
        record_event(
            ClosureEvent.CLOSURE_SENT_BACK,
            actor=acting_user,
            target=closure,
            agency=case.agency,
            fields=["status", "decision_comment"],
            detail={"case": case.pk},
        )
        notify(
            [case.assigned_to, closure.requested_by],
            NotificationKind.SENT_BACK,
            case=case,
            actor=acting_user,
        )
    return case


@dataclass(frozen=True)
class SurveyAnswers:
    """A service user's answers: five scores from 1 to 5, a recommendation and a comment."""

    overall_satisfaction: int
    treated_with_respect: int
    felt_safe: int
    involved_in_decisions: int
    situation_improved: int
    would_recommend: WouldRecommend
    comment: str = ""

    def scores(self) -> tuple[int, ...]:
        return (
            self.overall_satisfaction,
            self.treated_with_respect,
            self.felt_safe,
            self.involved_in_decisions,
            self.situation_improved,
        )


def month_of(moment: datetime, agency: Agency) -> date:
    """The first day of MOMENT's month in AGENCY's time zone."""
    try:
        zone = ZoneInfo(agency.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return moment.astimezone(zone).date().replace(day=1)


def _check_survey(
    closure: ClosureRequest, outcome: SurveyOutcome, answers: SurveyAnswers | None
) -> None:
    if closure.status == ClosureStatus.SENT_BACK:
        raise ActionRefused(
            _("This closure request was sent back; record the survey when closure is requested.")
        )
    if closure.survey_recorded:
        raise ActionRefused(_("The satisfaction survey of this closure is already recorded."))
    if closure.criterion == ClosureCriterion.DECEASED and outcome != SurveyOutcome.NOT_OFFERED:
        raise ActionRefused(_("The service user died: record the survey as not offered."))
    if outcome == SurveyOutcome.ANSWERED:
        if answers is None:
            raise ActionRefused(_("Record the service user's answers to every question."))
        if any(score not in range(1, 6) for score in answers.scores()):
            raise ActionRefused(_("Each answer is a score from 1 to 5."))
    elif answers is not None:
        raise ActionRefused(_("Answers can be recorded only when the service user answered."))


def do_record_survey(
    closure: ClosureRequest,
    *,
    outcome: SurveyOutcome,
    answers: SurveyAnswers | None = None,
    acting_user: User,
) -> None:
    """Record whether the survey was offered and accepted; answers go apart from the case."""
    case = closure.case
    if not permissions.may_record_survey(acting_user, case):
        raise ActionRefused(
            _("Only the caseworker who holds this case can record its satisfaction survey.")
        )
    _check_survey(closure, outcome, answers)
    with transaction.atomic(durable=True):
        updated = ClosureRequest.objects.filter(pk=closure.pk, survey_offered__isnull=True).update(
            survey_offered=outcome != SurveyOutcome.NOT_OFFERED,
            survey_accepted=outcome == SurveyOutcome.ANSWERED,
            survey_given=outcome == SurveyOutcome.ANSWERED,
        )
        if not updated:
            raise EditConflict(
                _("Someone else recorded the satisfaction survey of this closure meanwhile.")
            )
        if answers is not None:
            SatisfactionSurvey.objects.create(
                agency_id=case.agency_id,
                team_id=case.team_id,
                month=month_of(case.closed_at or timezone.now(), case.agency),
                overall_satisfaction=answers.overall_satisfaction,
                treated_with_respect=answers.treated_with_respect,
                felt_safe=answers.felt_safe,
                involved_in_decisions=answers.involved_in_decisions,
                situation_improved=answers.situation_improved,
                would_recommend=answers.would_recommend,
                comment=answers.comment.strip(),
            )
        # Names the closure request only, never the survey: the two must not be joinable.
        record_event(
            ClosureEvent.SURVEY_RECORDED,
            actor=acting_user,
            target=closure,
            agency=case.agency,
            fields=["survey_offered", "survey_accepted", "survey_given"],
            detail={"case": case.pk},
        )
    closure.refresh_from_db()


def do_reopen_case(
    case: Case, *, reason: str, expected_version: int | None = None, acting_user: User
) -> CaseReopening:
    """Reopen a closed case with a reason; it starts again at assessment, history kept."""
    if not permissions.may_reopen(acting_user, case):
        raise ActionRefused(
            _("Only the caseworker who held this case or its team's supervisor can reopen it.")
        )
    refuse_if_anonymised(case)
    if case.status != CaseStatus.CLOSED:
        raise ActionRefused(_("Only a closed case can be reopened."))
    reason = reason.strip()
    if not reason:
        raise ActionRefused(_("Write the reason for reopening the case."))
    with transaction.atomic(durable=True):
        move_case(
            case,
            to=CaseStatus.ASSESSMENT,
            acting_user=acting_user,
            expected_version=expected_version,
        )
        reopening = CaseReopening.objects.create(case=case, reason=reason, reopened_by=acting_user)
        record_event(
            ClosureEvent.CASE_REOPENED,
            actor=acting_user,
            target=reopening,
            agency=case.agency,
            fields=["reason"],
            detail={"case": case.pk},
        )
        notify([case.assigned_to], NotificationKind.CASE_ASSIGNED, case=case, actor=acting_user)
    return reopening
