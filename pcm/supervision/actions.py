"""Writes of supervision: case file checks, their follow-up, sessions and agreed actions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pcm.accounts.models import User
from pcm.audit.actions import record_event
from pcm.cases.models import Case
from pcm.core.errors import ActionRefused, EditConflict
from pcm.retention.guards import refuse_if_anonymised
from pcm.supervision import access
from pcm.supervision.models import (
    CHECK_ITEMS,
    AgreedAction,
    CaseFileCheck,
    CheckAnswer,
    SessionType,
    SupervisionEvent,
    SupervisionSession,
)


@dataclass(frozen=True)
class FileCheckDetails:
    """What the supervisor found, item by item, and what the caseworker must do."""

    consent_present: CheckAnswer
    assessment_done: CheckAnswer
    plan_agreed: CheckAnswer
    notes_up_to_date: CheckAnswer
    deadlines_met: CheckAnswer
    comment: str = ""
    action_needed: str = ""
    action_due_on: date | None = None


def latest_check_version(case: Case) -> int:
    """The version of CASE's latest file check, 0 if it was never checked."""
    version = CaseFileCheck.objects.filter(case=case).aggregate(latest=Max("version"))["latest"]
    return int(version or 0)


def _changed_meanwhile(case: Case) -> EditConflict:
    latest = (
        CaseFileCheck.objects.filter(case=case).select_related("checked_by").order_by("-version")
    ).first()
    if latest is None:  # the newer check was removed with its case: say it plainly anyway
        return EditConflict(_("The case file checks changed meanwhile. Nothing was saved."))
    return EditConflict(
        _(
            "%(who)s recorded another check of this case file on %(when)s while you were "
            "filling in yours. Nothing was saved: read their check, then record yours again "
            "if it is still needed."
        )
        % {
            "who": latest.checked_by,
            "when": date_format(timezone.localtime(latest.checked_at), "SHORT_DATETIME_FORMAT"),
        }
    )


def do_record_case_file_check(
    case: Case, details: FileCheckDetails, *, based_on_version: int, acting_user: User
) -> CaseFileCheck:
    """Record a new check of CASE's file; refused if another was recorded since BASED_ON."""
    if not access.can_check_case_file(acting_user, case):
        raise ActionRefused(_("Only the supervisor of this case's team can check its file."))
    refuse_if_anonymised(case)
    if details.action_due_on is not None and not details.action_needed.strip():
        raise ActionRefused(_("Say which action is needed, or leave its date empty."))
    with transaction.atomic(durable=True):
        if latest_check_version(case) != based_on_version:
            raise _changed_meanwhile(case)
        try:
            with transaction.atomic():
                check = CaseFileCheck.objects.create(
                    case=case,
                    version=based_on_version + 1,
                    consent_present=details.consent_present,
                    assessment_done=details.assessment_done,
                    plan_agreed=details.plan_agreed,
                    notes_up_to_date=details.notes_up_to_date,
                    deadlines_met=details.deadlines_met,
                    comment=details.comment.strip(),
                    action_needed=details.action_needed.strip(),
                    action_due_on=details.action_due_on if details.action_needed.strip() else None,
                    checked_by=acting_user,
                )
        except IntegrityError:  # the same version, saved by someone else a moment before
            raise _changed_meanwhile(case) from None
        record_event(
            SupervisionEvent.CASE_FILE_CHECKED,
            actor=acting_user,
            target=check,
            agency=case.agency,
            fields=[name for name, _label in CHECK_ITEMS],
            detail={
                "case": case.pk,
                "version": check.version,
                "answers": {name: getattr(check, name) for name, _label in CHECK_ITEMS},
                "action_needed": bool(check.action_needed),
            },
        )
    return check


def do_report_check_action_done(check: CaseFileCheck, *, acting_user: User) -> CaseFileCheck:
    """The caseworker reports done the action a case file check asked for."""
    case = check.case
    if not access.can_report_check_action_done(acting_user, case):
        raise ActionRefused(
            _("Only the caseworker of this case or its supervisor can report the action done.")
        )
    if not check.action_needed:
        raise ActionRefused(_("This check asked for no action."))
    now = timezone.now()
    with transaction.atomic(durable=True):
        updated = CaseFileCheck.objects.filter(pk=check.pk, action_done_at__isnull=True).update(
            action_done_at=now, action_done_by=acting_user
        )
        if not updated:
            done = CaseFileCheck.objects.select_related("action_done_by").get(pk=check.pk)
            raise EditConflict(
                _("%(who)s already reported this action done on %(when)s. Nothing changed.")
                % {
                    "who": done.action_done_by or "—",
                    "when": date_format(
                        timezone.localtime(done.action_done_at or now), "SHORT_DATETIME_FORMAT"
                    ),
                }
            )
        record_event(
            SupervisionEvent.FILE_CHECK_ACTION_DONE,
            actor=acting_user,
            target=check,
            agency=case.agency,
            fields=["action_done_at"],
            detail={"case": case.pk, "version": check.version},
        )
    check.refresh_from_db()
    return check


@dataclass(frozen=True)
class ActionDetails:
    description: str
    due_on: date | None = None


@dataclass(frozen=True)
class SessionDetails:
    held_on: date
    session_type: SessionType
    cases_discussed: Sequence[Case] = ()
    wellbeing_note: str = ""
    actions: Sequence[ActionDetails] = field(default_factory=tuple)


def discussable_cases(supervisor: User, caseworker: User) -> list[Case]:
    """The caseworker's open cases that the supervisor may see: those a session may discuss."""
    return list(
        Case.objects.visible_to(supervisor)
        .filter(assigned_to=caseworker)
        .open()
        .order_by("number")
        .only("pk", "number")
    )


def do_record_supervision_session(
    caseworker: User, details: SessionDetails, *, acting_user: User
) -> SupervisionSession:
    """The supervisor records a supervision session held with one of their caseworkers."""
    supervised = access.team_caseworkers(access.supervised_teams(acting_user))
    if caseworker.team_id is None or not supervised.filter(pk=caseworker.pk).exists():
        raise ActionRefused(_("You can record supervision only with caseworkers of your teams."))
    if details.held_on > timezone.localdate():
        raise ActionRefused(_("A session cannot be recorded before it is held: check the date."))
    allowed = {case.pk for case in discussable_cases(acting_user, caseworker)}
    if any(case.pk not in allowed for case in details.cases_discussed):
        raise ActionRefused(_("Choose only open cases that this caseworker holds."))
    actions = [action for action in details.actions if action.description.strip()]
    with transaction.atomic(durable=True):
        session = SupervisionSession.objects.create(
            team_id=caseworker.team_id,
            supervisor=acting_user,
            caseworker=caseworker,
            held_on=details.held_on,
            session_type=details.session_type,
            wellbeing_note=details.wellbeing_note.strip(),
        )
        session.cases_discussed.set([case.pk for case in details.cases_discussed])
        AgreedAction.objects.bulk_create(
            AgreedAction(
                session=session, description=action.description.strip(), due_on=action.due_on
            )
            for action in actions
        )
        record_event(
            SupervisionEvent.SESSION_RECORDED,
            actor=acting_user,
            target=session,
            agency=acting_user.agency,
            fields=["held_on", "session_type", "cases_discussed", "wellbeing_note", "actions"],
            detail={
                "caseworker": caseworker.pk,
                "cases": sorted(case.pk for case in details.cases_discussed),
                "actions": len(actions),
            },
        )
    return session


def _may_close_agreed_action(user: User, action: AgreedAction) -> bool:
    session = action.session
    if access.is_caseworker(user):
        return session.caseworker_id == user.pk
    return access.supervised_teams(user).filter(pk=session.team_id).exists()


def do_mark_agreed_action_done(action: AgreedAction, *, acting_user: User) -> AgreedAction:
    """The caseworker (or the supervisor) says an action agreed in supervision is done."""
    if not _may_close_agreed_action(acting_user, action):
        raise ActionRefused(
            _("Only the caseworker or the supervisor of this session can mark its actions done.")
        )
    with transaction.atomic(durable=True):
        updated = AgreedAction.objects.filter(pk=action.pk, done_at__isnull=True).update(
            done_at=timezone.now(), done_by=acting_user
        )
        if not updated:
            raise EditConflict(_("This action was already marked done. Nothing changed."))
        record_event(
            SupervisionEvent.AGREED_ACTION_DONE,
            actor=acting_user,
            target=action,
            agency=acting_user.agency,
            fields=["done_at"],
            detail={"session": action.session_id},
        )
    action.refresh_from_db()
    return action
