"""Writes to case action plans: every change to a plan goes through one function here."""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from pcm.audit.actions import record_event
from pcm.cases.models import Case, RiskLevel
from pcm.core.errors import ActionRefused, EditConflict
from pcm.notifications.actions import notify
from pcm.notifications.models import NotificationKind
from pcm.plans import permissions
from pcm.plans.drafts import PlanDraft
from pcm.plans.events import PlanEvent
from pcm.plans.models import (
    CURRENT_STATUSES,
    ActionOwner,
    ActionSource,
    ActionStatus,
    CasePlan,
    PlanAction,
    PlanGoal,
    PlanReview,
    PlanStatus,
    PlanVersion,
)
from pcm.plans.versioning import (
    copy_into,
    describe_change,
    latest_version,
    make_current,
    new_version,
    plan_for,
    when,
)

if TYPE_CHECKING:
    from pcm.accounts.models import User


def add_plan_action(
    case: Case,
    *,
    description: str,
    owner: str,
    due_date: date | None,
    acting_user: User,
    source: str = "conference",
) -> PlanAction:
    """Add an action to CASE's plan in force (or, without one, to a draft); e.g. a conference's.

    Runs inside the caller's transaction (a savepoint, never a durable one), so a case
    conference and the actions it decided are saved together or not at all.
    """
    if not (
        permissions.is_caseworker_of(acting_user, case)
        or permissions.is_supervisor_of(acting_user, case)
    ):
        raise ActionRefused(
            _("Only the case's caseworker or their supervisor can add actions to its plan.")
        )
    if not case.is_open:
        raise ActionRefused(_("This case is closed: its plan can no longer change."))
    if owner not in ActionOwner.values:
        raise ActionRefused(
            _("Say who does the action: the service user, the caseworker or a referral.")
        )
    if source not in ActionSource.values:
        raise ActionRefused(_("Unknown source of a plan action."))
    description = description.strip()
    if not description:
        raise ActionRefused(_("Describe the action."))
    with transaction.atomic():
        plan = plan_for(case)
        target = _version_taking_actions(plan, acting_user=acting_user)
        last = target.actions.aggregate(last=Max("position"))["last"] or 0
        action = PlanAction.objects.create(
            plan_version=target,
            case=case,
            position=last + 1,
            description=description,
            owner=owner,
            due_on=due_date,
            source=source,
        )
        # Anyone editing the draft from an older copy must not overwrite this action.
        PlanVersion.objects.filter(pk=target.pk).update(
            version=F("version") + 1, updated_by=acting_user, updated_at=timezone.now()
        )
        record_event(
            PlanEvent.ACTION_ADDED,
            actor=acting_user,
            target=action,
            agency=case.agency,
            fields=["description", "owner", "due_on"],
            detail={"case": case.pk, "plan_version": target.number, "source": source},
        )
    return action


def _version_taking_actions(plan: CasePlan, *, acting_user: User) -> PlanVersion:
    """The plan in force; else the draft being prepared; else a new draft copied from the last."""
    plan.refresh_from_db(fields=["current_version"])
    if plan.current_version_id is not None:
        return PlanVersion.objects.get(pk=plan.current_version_id)
    last = latest_version(plan)
    if last is not None and last.status == PlanStatus.DRAFT:
        return last
    draft = new_version(plan, acting_user=acting_user)
    if last is not None:
        copy_into(last, draft)
    return draft


def _check_version(version: PlanVersion, expected_version: int) -> None:
    version.refresh_from_db()
    if version.version != expected_version:
        raise EditConflict(
            _("%(change)s Nothing was saved; reload the plan to see it, then try again.")
            % {"change": describe_change(version)}
        )


def do_save_plan_draft(
    case: Case,
    draft: PlanDraft,
    *,
    based_on_number: int | None,
    based_on_version: int | None,
    acting_user: User,
) -> PlanVersion:
    """Save the goals and actions being prepared as the plan's draft.

    BASED_ON_NUMBER and BASED_ON_VERSION name the version the form was filled from (None for
    a case without a plan). A draft is saved in place; anything else (a plan in force, a plan
    sent back) is never changed: a new draft version is made after it.
    """
    if not permissions.is_caseworker_of(acting_user, case):
        raise ActionRefused(_("Only the case's caseworker can prepare its plan."))
    if case.status not in permissions.PLANNING_STEPS:
        raise ActionRefused(_("A plan is prepared once the case has reached case action planning."))
    if not draft.goals:
        raise ActionRefused(_("Write at least one goal agreed with the service user."))
    with transaction.atomic(durable=True):
        plan = plan_for(case)
        last = latest_version(plan)
        if last is None:
            changed = based_on_number is not None
        else:
            changed = (based_on_number, based_on_version) != (last.number, last.version)
        if changed:
            raise EditConflict(
                _("%(change)s Nothing was saved; reload the plan to see it, then try again.")
                % {"change": describe_change(last)}
            )
        if last is not None and last.status == PlanStatus.SUBMITTED:
            raise ActionRefused(
                _(
                    "This plan is waiting for the supervisor's approval. Wait for their "
                    "decision before changing it."
                )
            )
        if last is not None and last.status == PlanStatus.DRAFT:
            version = last
            previous_actions = {action.key: action for action in version.actions.all()}
            version.goals.all().delete()
            version.actions.all().delete()
        else:
            previous_actions = {action.key: action for action in last.actions.all()} if last else {}
            version = new_version(plan, acting_user=acting_user)
        _write_content(version, draft, previous_actions, acting_user=acting_user)
        PlanVersion.objects.filter(pk=version.pk).update(
            review_on=draft.review_on,
            updated_by=acting_user,
            updated_at=timezone.now(),
            version=F("version") + 1,
        )
        record_event(
            PlanEvent.DRAFT_SAVED,
            actor=acting_user,
            target=version,
            agency=case.agency,
            fields=["goals", "actions", "review_on"],
            detail={
                "case": case.pk,
                "number": version.number,
                "goals": len(draft.goals),
                "actions": len(draft.actions),
            },
        )
    version.refresh_from_db()
    return version


def _write_content(
    version: PlanVersion,
    draft: PlanDraft,
    previous_actions: dict[uuid.UUID, PlanAction],
    *,
    acting_user: User,
) -> None:
    goals = PlanGoal.objects.bulk_create(
        [
            PlanGoal(plan_version=version, position=index + 1, description=goal.description)
            for index, goal in enumerate(draft.goals)
        ]
    )
    now = timezone.now()
    rows = []
    for index, item in enumerate(draft.actions):
        before = previous_actions.get(item.key) if item.key else None
        row = PlanAction(
            plan_version=version,
            case_id=version.case_id,
            position=index + 1,
            description=item.description,
            owner=item.owner,
            due_on=item.due_on,
            status=item.status,
            goal=goals[item.goal_index] if item.goal_index is not None else None,
        )
        if before is not None:
            row.key = before.key
            row.source = before.source
            row.created_at = before.created_at
            row.status_changed_by_id = before.status_changed_by_id
            row.status_changed_at = before.status_changed_at
        if item.status != (before.status if before else ActionStatus.TO_DO):
            row.status_changed_by = acting_user
            row.status_changed_at = now
        rows.append(row)
    PlanAction.objects.bulk_create(rows)


def do_submit_plan(
    version: PlanVersion,
    *,
    expected_version: int,
    agreed_with_service_user: bool,
    acting_user: User,
) -> PlanVersion:
    """Submit the draft: to the supervisor when the case is high risk, else it comes into force."""
    case = version.case
    if not permissions.is_caseworker_of(acting_user, case):
        raise ActionRefused(_("Only the case's caseworker can submit its plan."))
    if case.status not in permissions.PLANNING_STEPS:
        raise ActionRefused(
            _("A plan is submitted once the case has reached case action planning.")
        )
    if not agreed_with_service_user:
        raise ActionRefused(
            _("Agree the goals and actions with the service user first, then confirm it here.")
        )
    with transaction.atomic(durable=True):
        _check_version(version, expected_version)
        if version.status != PlanStatus.DRAFT:
            raise ActionRefused(
                _("Only a draft can be submitted; this version is “%(status)s”.")
                % {"status": PlanStatus(version.status).label}
            )
        if not version.goals.exists() or not version.actions.exists():
            raise ActionRefused(
                _("A plan needs at least one goal and one action before it is submitted.")
            )
        now = timezone.now()
        version.agreed_with_service_user = True
        version.submitted_by = acting_user
        version.submitted_at = now
        version.updated_by = acting_user
        version.updated_at = now
        version.version += 1
        high_risk = case.risk_level == RiskLevel.HIGH
        if high_risk:
            version.status = PlanStatus.SUBMITTED
        else:
            version.status = PlanStatus.AGREED
            version.decided_by = acting_user
            version.decided_at = now
        version.save()
        record_event(
            PlanEvent.SUBMITTED if high_risk else PlanEvent.AGREED,
            actor=acting_user,
            target=version,
            agency=case.agency,
            fields=["status"],
            detail={"case": case.pk, "number": version.number},
        )
        if high_risk:
            notify(
                [case.team.supervisor],
                NotificationKind.APPROVAL_REQUESTED,
                case=case,
                actor=acting_user,
            )
        else:
            make_current(version, acting_user=acting_user)
    return version


def _check_decision(version: PlanVersion, expected_version: int, acting_user: User) -> None:
    case = version.case
    if not permissions.is_supervisor_of(acting_user, case):
        raise ActionRefused(_("Only the supervisor of this case's team can decide on its plan."))
    if case.status not in permissions.PLANNING_STEPS:
        raise ActionRefused(_("This case is no longer in a step where its plan can change."))
    _check_version(version, expected_version)
    if version.status != PlanStatus.SUBMITTED:
        raise ActionRefused(
            _("This plan is not waiting for approval; it is “%(status)s”.")
            % {"status": PlanStatus(version.status).label}
        )


def do_approve_plan(
    version: PlanVersion, *, expected_version: int, comment: str = "", acting_user: User
) -> PlanVersion:
    """The team's supervisor approves a submitted plan, which comes into force."""
    with transaction.atomic(durable=True):
        _check_decision(version, expected_version, acting_user)
        _decide(version, PlanStatus.APPROVED, comment, acting_user)
        record_event(
            PlanEvent.APPROVED,
            actor=acting_user,
            target=version,
            agency=version.case.agency,
            fields=["status", "decision_comment"],
            detail={"case": version.case_id, "number": version.number},
        )
        make_current(version, acting_user=acting_user)
        notify(
            [version.case.assigned_to],
            NotificationKind.APPROVAL_GIVEN,
            case=version.case,
            actor=acting_user,
        )
    return version


def do_send_back_plan(
    version: PlanVersion, *, expected_version: int, comment: str, acting_user: User
) -> PlanVersion:
    """The team's supervisor sends a submitted plan back to the caseworker with a comment."""
    comment = comment.strip()
    if not comment:
        raise ActionRefused(_("Say in a comment what the caseworker should change."))
    with transaction.atomic(durable=True):
        _check_decision(version, expected_version, acting_user)
        _decide(version, PlanStatus.SENT_BACK, comment, acting_user)
        record_event(
            PlanEvent.SENT_BACK,
            actor=acting_user,
            target=version,
            agency=version.case.agency,
            fields=["status", "decision_comment"],
            detail={"case": version.case_id, "number": version.number},
        )
        notify(
            [version.case.assigned_to],
            NotificationKind.SENT_BACK,
            case=version.case,
            actor=acting_user,
        )
    return version


def _decide(version: PlanVersion, status: PlanStatus, comment: str, acting_user: User) -> None:
    now = timezone.now()
    version.status = status
    version.decided_by = acting_user
    version.decided_at = now
    version.decision_comment = comment.strip()
    version.updated_by = acting_user
    version.updated_at = now
    version.version += 1
    version.save()


def do_update_action_status(
    action: PlanAction, *, status: ActionStatus, expected_version: int, acting_user: User
) -> PlanAction:
    """Record progress on an action of the plan in force (implementation, not re-planning)."""
    case = action.case
    if not permissions.is_caseworker_of(acting_user, case):
        raise ActionRefused(_("Only the case's caseworker can update its plan's actions."))
    if not case.is_open:
        raise ActionRefused(_("This case is closed: its plan can no longer change."))
    with transaction.atomic(durable=True):
        in_force = PlanVersion.objects.filter(
            pk=action.plan_version_id, status__in=CURRENT_STATUSES
        ).exists()
        if not in_force:
            raise ActionRefused(
                _("Only the actions of the plan in force can be updated; edit the draft instead.")
            )
        now = timezone.now()
        updated = PlanAction.objects.filter(pk=action.pk, version=expected_version).update(
            status=status,
            status_changed_by=acting_user,
            status_changed_at=now,
            version=F("version") + 1,
        )
        if not updated:
            current = PlanAction.objects.select_related("status_changed_by").get(pk=action.pk)
            raise EditConflict(
                _(
                    "%(who)s changed this action to “%(status)s” at %(when)s while you were "
                    "looking at it. Nothing was saved; check the action and try again."
                )
                % {
                    "who": current.status_changed_by or _("Someone"),
                    "status": ActionStatus(current.status).label,
                    "when": when(current.status_changed_at),
                }
            )
        record_event(
            PlanEvent.ACTION_STATUS_CHANGED,
            actor=acting_user,
            target=action,
            agency=case.agency,
            fields=["status"],
            detail={"case": case.pk, "from": action.status, "to": status.value},
        )
    action.refresh_from_db()
    return action


def action_in_force(case: Case, key: uuid.UUID) -> PlanAction | None:
    """The action with KEY in CASE's plan in force, if it has one."""
    return PlanAction.objects.filter(
        case=case, key=key, plan_version__status__in=CURRENT_STATUSES
    ).first()


def move_action_by_referral(
    case: Case, key: uuid.UUID, status: ActionStatus, *, acting_user: User
) -> PlanAction | None:
    """Carry a referral's progress to the plan action it carries out (pcm.referrals only).

    Sending the referral starts the action; the service provided completes it. The referral's
    own rules decided that ACTING_USER may take that step (a provider's focal point among
    them), so the caseworker-only rule of do_update_action_status does not apply. An action
    already done or cancelled, or no longer in the plan in force, is left as it is.
    """
    action = action_in_force(case, key)
    if not case.is_open or action is None or not action.is_open or action.status == status:
        return None
    PlanAction.objects.filter(pk=action.pk).update(
        status=status,
        status_changed_by=acting_user,
        status_changed_at=timezone.now(),
        version=F("version") + 1,
    )
    record_event(
        PlanEvent.ACTION_STATUS_CHANGED,
        actor=acting_user,
        target=action,
        agency=case.agency,
        fields=["status"],
        detail={"case": case.pk, "from": action.status, "to": status.value, "by": "referral"},
    )
    action.refresh_from_db()
    return action


def do_record_plan_review(
    case: Case,
    *,
    outcome: str,
    next_review_on: date | None,
    expected_version: int,
    acting_user: User,
) -> PlanReview:
    """Record a review of the plan in force and when the next one is due."""
    if not permissions.is_caseworker_of(acting_user, case):
        raise ActionRefused(_("Only the case's caseworker can record a review of its plan."))
    if case.status not in permissions.PLANNING_STEPS:
        raise ActionRefused(_("This case is no longer in a step where its plan is reviewed."))
    outcome = outcome.strip()
    if not outcome:
        raise ActionRefused(_("Write the outcome of the review."))
    if next_review_on is not None and next_review_on <= timezone.localdate():
        raise ActionRefused(_("The next review must be after today."))
    with transaction.atomic(durable=True):
        plan = CasePlan.objects.filter(case=case).first()
        if plan is None or plan.current_version_id is None:
            raise ActionRefused(_("There is no plan in force to review yet."))
        updated = CasePlan.objects.filter(pk=plan.pk, version=expected_version).update(
            next_review_on=next_review_on, version=F("version") + 1
        )
        if not updated:
            raise EditConflict(
                _(
                    "Someone else reviewed or changed this plan while you were working on it; its "
                    "next review is now %(date)s. Nothing was saved; reload the plan and try again."
                )
                % {"date": _review_date(plan)}
            )
        review = PlanReview.objects.create(
            plan=plan,
            plan_version_id=plan.current_version_id,
            outcome=outcome,
            next_review_on=next_review_on,
            reviewed_by=acting_user,
        )
        record_event(
            PlanEvent.REVIEWED,
            actor=acting_user,
            target=review,
            agency=case.agency,
            fields=["outcome", "next_review_on"],
            detail={"case": case.pk},
        )
    return review


def _review_date(plan: CasePlan) -> str:
    plan.refresh_from_db()
    return plan.next_review_on.isoformat() if plan.next_review_on else "—"
