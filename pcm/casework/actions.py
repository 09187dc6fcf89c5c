"""Writes of case work: every note, support record, conference and follow-up goes through here."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pcm.audit.actions import record_event
from pcm.cases import workflow
from pcm.cases.models import Case, CaseStatus
from pcm.casework import rules
from pcm.casework.details import (
    ConferenceDetails,
    FollowUpDetails,
    FollowUpOutcome,
    NoteDetails,
    SupportDetails,
)
from pcm.casework.models import (
    CaseConference,
    CaseNote,
    CaseworkEvent,
    ConferenceAction,
    DirectSupport,
    FollowUp,
    StepChange,
)
from pcm.casework.permissions import may_move_between_follow_up_steps, may_write_casework
from pcm.core.errors import ActionRefused, EditConflict
from pcm.plans.actions import add_plan_action

if TYPE_CHECKING:
    from pcm.accounts.models import User

# Follow-ups are planned once the plan is being carried out, and while it is followed up.
SCHEDULING_STEPS = (CaseStatus.IMPLEMENTATION, CaseStatus.FOLLOW_UP)


def _check_writer(case: Case, acting_user: User) -> None:
    if not may_write_casework(acting_user, case):
        raise ActionRefused(
            _("Only the case's caseworker or the supervisor of its team can record case work.")
        )
    if not case.is_open:
        raise ActionRefused(
            _("This case is closed or transferred: nothing more can be recorded on it.")
        )


def _refuse_if(problem: str | None) -> None:
    if problem is not None:
        raise ActionRefused(problem)


def _check_note(case: Case, details: NoteDetails) -> None:
    _refuse_if(rules.contact_time_problem(case, details.contact_at))
    _refuse_if(rules.duration_problem(details.duration_minutes))
    if not details.narrative.strip():
        raise ActionRefused(_("Write what happened during the contact."))


def _check_support(details: SupportDetails) -> None:
    _refuse_if(rules.past_date_problem(details.given_on))
    _refuse_if(rules.amount_problem(details.support_type, details.amount))
    _refuse_if(rules.currency_problem(details.amount, details.currency))
    if not details.purpose.strip():
        raise ActionRefused(_("Say what the support was for."))


def _reason(reason: str, message: str) -> str:
    cleaned = reason.strip()
    if not cleaned:
        raise ActionRefused(message)
    return cleaned


def _create_once(create: Callable[[], None], conflict: str) -> None:
    """Run CREATE; a unique clash (someone did the same meanwhile) becomes an EditConflict."""
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        raise EditConflict(conflict) from None


# Case notes -----------------------------------------------------------------------------------


def do_write_note(case: Case, details: NoteDetails, *, acting_user: User) -> CaseNote:
    """Record a contact. The case's first note answers its first-response deadline."""
    _check_writer(case, acting_user)
    _check_note(case, details)
    with transaction.atomic(durable=True):
        note = CaseNote.objects.create(
            case=case,
            contact_at=details.contact_at,
            mode=details.mode,
            place=details.place.strip(),
            duration_minutes=details.duration_minutes,
            narrative=details.narrative.strip(),
            written_by=acting_user,
        )
        first_response = case.first_response_at is None
        # A contact on the day of opening may precede the registration by minutes; the
        # response time then counts as zero rather than negative.
        workflow.record_first_response(case, max(details.contact_at, case.opened_at))
        record_event(
            CaseworkEvent.NOTE_WRITTEN,
            actor=acting_user,
            target=note,
            agency=case.agency,
            fields=["contact_at", "mode", "place", "duration_minutes", "narrative"],
            detail={"case": case.pk, "first_response": first_response},
        )
    return note


def do_correct_note(
    original: CaseNote, details: NoteDetails, *, reason: str, acting_user: User
) -> CaseNote:
    """Correct a note with a new one that replaces it; the original stays in the history."""
    case = original.case
    _check_writer(case, acting_user)
    _check_note(case, details)
    reason = _reason(reason, _("Say why the note is corrected."))
    conflict = _(
        "This note has already been corrected. Nothing was saved; open the case-work "
        "history and correct the latest version."
    )
    if CaseNote.objects.filter(corrects=original).exists():
        raise EditConflict(conflict)
    note = CaseNote(
        case=case,
        contact_at=details.contact_at,
        mode=details.mode,
        place=details.place.strip(),
        duration_minutes=details.duration_minutes,
        narrative=details.narrative.strip(),
        written_by=acting_user,
        corrects=original,
        correction_reason=reason,
    )
    with transaction.atomic(durable=True):
        _create_once(note.save, conflict)
        record_event(
            CaseworkEvent.NOTE_CORRECTED,
            actor=acting_user,
            target=note,
            agency=case.agency,
            fields=["contact_at", "mode", "place", "duration_minutes", "narrative"],
            detail={"case": case.pk, "corrects": original.pk},
        )
    return note


# Direct support -------------------------------------------------------------------------------


def _support(case: Case, details: SupportDetails, acting_user: User) -> DirectSupport:
    return DirectSupport(
        case=case,
        given_on=details.given_on,
        support_type=details.support_type,
        amount=details.amount,
        currency=details.currency if details.amount is not None else "",
        purpose=details.purpose.strip(),
        notes=details.notes.strip(),
        recorded_by=acting_user,
    )


_SUPPORT_FIELDS = ["given_on", "support_type", "amount", "currency", "purpose", "notes"]


def do_record_support(case: Case, details: SupportDetails, *, acting_user: User) -> DirectSupport:
    """Record support given directly to the service user (cash, goods, fees, transport)."""
    _check_writer(case, acting_user)
    _check_support(details)
    with transaction.atomic(durable=True):
        support = _support(case, details, acting_user)
        support.save()
        record_event(
            CaseworkEvent.SUPPORT_RECORDED,
            actor=acting_user,
            target=support,
            agency=case.agency,
            fields=_SUPPORT_FIELDS,
            detail={"case": case.pk, "type": support.support_type},
        )
    return support


def do_correct_support(
    original: DirectSupport, details: SupportDetails, *, reason: str, acting_user: User
) -> DirectSupport:
    """Correct a support record with a new one; totals count only the latest version."""
    case = original.case
    _check_writer(case, acting_user)
    _check_support(details)
    reason = _reason(reason, _("Say why the support record is corrected."))
    conflict = _(
        "This support record has already been corrected. Nothing was saved; open the "
        "case-work history and correct the latest version."
    )
    if DirectSupport.objects.filter(corrects=original).exists():
        raise EditConflict(conflict)
    support = _support(case, details, acting_user)
    support.corrects = original
    support.correction_reason = reason
    with transaction.atomic(durable=True):
        _create_once(support.save, conflict)
        record_event(
            CaseworkEvent.SUPPORT_CORRECTED,
            actor=acting_user,
            target=support,
            agency=case.agency,
            fields=_SUPPORT_FIELDS,
            detail={"case": case.pk, "corrects": original.pk},
        )
    return support


# Case conferences -----------------------------------------------------------------------------


def do_record_conference(
    case: Case, details: ConferenceDetails, *, acting_user: User
) -> CaseConference:
    """Record a case conference; each follow-up action it agreed is added to the case plan."""
    _check_writer(case, acting_user)
    _refuse_if(rules.past_date_problem(details.held_on))
    if not details.participants.strip() or not details.decisions.strip():
        raise ActionRefused(_("Name the participants and write down the decisions."))
    with transaction.atomic(durable=True):
        conference = CaseConference.objects.create(
            case=case,
            held_on=details.held_on,
            participants=details.participants.strip(),
            other_agencies=details.other_agencies.strip(),
            discussion=details.discussion.strip(),
            decisions=details.decisions.strip(),
            recorded_by=acting_user,
        )
        conference.agencies.set(details.agencies)
        rows = []
        for action in details.actions:
            in_plan = add_plan_action(
                case,
                description=action.description.strip(),
                owner=action.owner.value,
                due_date=action.due_on,
                acting_user=acting_user,
                source="conference",
            )
            rows.append(
                ConferenceAction(
                    conference=conference,
                    description=action.description.strip(),
                    owner=action.owner,
                    due_on=action.due_on,
                    plan_action_key=in_plan.key,
                )
            )
        ConferenceAction.objects.bulk_create(rows)
        record_event(
            CaseworkEvent.CONFERENCE_RECORDED,
            actor=acting_user,
            target=conference,
            agency=case.agency,
            fields=["held_on", "participants", "agencies", "discussion", "decisions", "actions"],
            detail={"case": case.pk, "actions": len(details.actions)},
        )
    return conference


# Follow-ups -----------------------------------------------------------------------------------


def _check_scheduling(case: Case, details: FollowUpDetails) -> None:
    if case.status not in SCHEDULING_STEPS:
        raise ActionRefused(
            _(
                "Follow-ups are scheduled in the implementation and follow-up steps; this case "
                "is in the step “%(step)s”."
            )
            % {"step": CaseStatus(case.status).label}
        )
    _refuse_if(rules.follow_up_due_problem(details.due_on))
    if not details.purpose.strip():
        raise ActionRefused(_("Say what the follow-up is for."))


def _schedule(case: Case, details: FollowUpDetails, acting_user: User) -> FollowUp:
    follow_up = FollowUp.objects.create(
        case=case,
        due_on=details.due_on,
        purpose=details.purpose.strip(),
        mode=details.mode,
        scheduled_by=acting_user,
    )
    record_event(
        CaseworkEvent.FOLLOW_UP_SCHEDULED,
        actor=acting_user,
        target=follow_up,
        agency=case.agency,
        fields=["due_on", "purpose", "mode"],
        detail={"case": case.pk},
    )
    return follow_up


def do_schedule_follow_up(case: Case, details: FollowUpDetails, *, acting_user: User) -> FollowUp:
    """Plan a follow-up with the service user for a day, with its purpose and mode."""
    _check_writer(case, acting_user)
    _check_scheduling(case, details)
    with transaction.atomic(durable=True):
        return _schedule(case, details, acting_user)


def do_record_follow_up(
    follow_up: FollowUp, outcome: FollowUpOutcome, *, expected_version: int, acting_user: User
) -> FollowUp:
    """Record that a follow-up took place and its outcome; optionally schedule the next one."""
    case = follow_up.case
    _check_writer(case, acting_user)
    _refuse_if(rules.done_time_problem(outcome.done_at))
    if not outcome.outcome.strip():
        raise ActionRefused(_("Write the outcome of the follow-up."))
    following = outcome.next_follow_up
    if following is not None:
        _check_scheduling(case, following)
        _refuse_if(
            rules.follow_up_due_problem(
                following.due_on, not_before=timezone.localdate(outcome.done_at)
            )
        )
    with transaction.atomic(durable=True):
        updated = FollowUp.objects.filter(
            pk=follow_up.pk, version=expected_version, done_at__isnull=True
        ).update(
            done_at=outcome.done_at,
            outcome=outcome.outcome.strip(),
            recorded_by=acting_user,
            version=expected_version + 1,
        )
        if not updated:
            raise EditConflict(_conflict_message(follow_up))
        record_event(
            CaseworkEvent.FOLLOW_UP_RECORDED,
            actor=acting_user,
            target=follow_up,
            agency=case.agency,
            fields=["done_at", "outcome"],
            detail={"case": case.pk},
        )
        if following is not None:
            scheduled = _schedule(case, following, acting_user)
            FollowUp.objects.filter(pk=follow_up.pk).update(next_follow_up=scheduled)
    follow_up.refresh_from_db()
    return follow_up


def _conflict_message(follow_up: FollowUp) -> str:
    current = FollowUp.objects.select_related("recorded_by").get(pk=follow_up.pk)
    if current.done_at is not None:
        return _(
            "%(who)s recorded this follow-up as done on %(when)s while you were working on "
            "it. Nothing was saved; read their outcome and add a case note if you have more."
        ) % {
            "who": current.recorded_by or "—",
            "when": date_format(timezone.localtime(current.done_at), "SHORT_DATETIME_FORMAT"),
        }
    return _(
        "Someone else changed this follow-up while you were working on it. Nothing was saved; "
        "reload the page and try again."
    )


# Moves between implementation and follow-up --------------------------------------------------


def _check_mover(case: Case, acting_user: User, expected: CaseStatus) -> None:
    if not may_move_between_follow_up_steps(acting_user, case):
        raise ActionRefused(_("Only the case's caseworker can move it to another step."))
    if case.status != expected:
        raise ActionRefused(
            _("This case is in the step “%(step)s”; this move starts from “%(expected)s”.")
            % {"step": CaseStatus(case.status).label, "expected": expected.label}
        )


def do_start_follow_up(
    case: Case,
    *,
    expected_version: int,
    first_follow_up: FollowUpDetails | None = None,
    acting_user: User,
) -> Case:
    """Implementation → follow-up: needs a scheduled follow-up, or the first one given here."""
    _check_mover(case, acting_user, CaseStatus.IMPLEMENTATION)
    if first_follow_up is not None:
        _check_scheduling(case, first_follow_up)
    elif not FollowUp.objects.scheduled().filter(case=case).exists():
        raise ActionRefused(
            _("Schedule the first follow-up (due date, purpose and mode) to start follow-up.")
        )
    with transaction.atomic(durable=True):
        if first_follow_up is not None:
            _schedule(case, first_follow_up, acting_user)
        change = StepChange.objects.create(
            case=case, to_status=CaseStatus.FOLLOW_UP, changed_by=acting_user
        )
        return workflow.move_case(
            case,
            to=CaseStatus.FOLLOW_UP,
            acting_user=acting_user,
            expected_version=expected_version,
            detail={"step_change": change.pk},
        )


def do_resume_implementation(
    case: Case, *, reason: str, expected_version: int, acting_user: User
) -> Case:
    """Follow-up → implementation, with the reason (e.g. a new need came up)."""
    _check_mover(case, acting_user, CaseStatus.FOLLOW_UP)
    reason = _reason(reason, _("Say why the case goes back to implementation."))
    with transaction.atomic(durable=True):
        change = StepChange.objects.create(
            case=case, to_status=CaseStatus.IMPLEMENTATION, reason=reason, changed_by=acting_user
        )
        return workflow.move_case(
            case,
            to=CaseStatus.IMPLEMENTATION,
            acting_user=acting_user,
            expected_version=expected_version,
            detail={"step_change": change.pk},
        )
