"""The versions of a case's plan: drafts copied from the last version, and which one is in force.

Helpers for the actions in pcm.plans.actions; they run inside the caller's transaction and
check nothing about who acts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pcm.audit.actions import record_event
from pcm.cases.models import Case, CaseStatus, RiskLevel
from pcm.cases.workflow import move_case
from pcm.core.errors import ActionRefused, EditConflict
from pcm.plans.events import PlanEvent
from pcm.plans.models import CasePlan, PlanAction, PlanGoal, PlanStatus, PlanVersion

if TYPE_CHECKING:
    from datetime import datetime

    from pcm.accounts.models import User


def plan_for(case: Case) -> CasePlan:
    """The case's plan head, created on first use."""
    plan, _created = CasePlan.objects.get_or_create(case=case)
    return plan


def latest_version(plan: CasePlan) -> PlanVersion | None:
    return plan.versions.select_related("updated_by").order_by("-number").first()


def new_version(plan: CasePlan, *, acting_user: User) -> PlanVersion:
    """An empty draft numbered after the plan's last version."""
    last = plan.versions.aggregate(last=Max("number"))["last"] or 0
    now = timezone.now()
    try:
        with transaction.atomic():
            return PlanVersion.objects.create(
                plan=plan,
                case_id=plan.case_id,
                number=last + 1,
                status=PlanStatus.DRAFT,
                created_by=acting_user,
                created_at=now,
                updated_by=acting_user,
                updated_at=now,
            )
    except IntegrityError:  # someone else started the same version at the same moment
        raise EditConflict(
            _("Someone else started a new version of this plan at the same moment. Reload it.")
        ) from None


def copy_into(source: PlanVersion, draft: PlanVersion) -> None:
    """Copy SOURCE's goals and actions into DRAFT (actions keep their key and status)."""
    goals = list(source.goals.all())
    copies = PlanGoal.objects.bulk_create(
        [
            PlanGoal(plan_version=draft, position=goal.position, description=goal.description)
            for goal in goals
        ]
    )
    goal_map = {old.pk: new for old, new in zip(goals, copies, strict=True)}
    PlanAction.objects.bulk_create(
        [
            _copy_action(action, draft, goal_map.get(action.goal_id or 0))
            for action in source.actions.all()
        ]
    )
    draft.review_on = source.review_on
    draft.save(update_fields=["review_on"])


def _copy_action(action: PlanAction, draft: PlanVersion, goal: PlanGoal | None) -> PlanAction:
    return PlanAction(
        plan_version=draft,
        case_id=draft.case_id,
        key=action.key,
        goal=goal,
        position=action.position,
        description=action.description,
        owner=action.owner,
        due_on=action.due_on,
        status=action.status,
        source=action.source,
        created_at=action.created_at,
        status_changed_by_id=action.status_changed_by_id,
        status_changed_at=action.status_changed_at,
    )


def carry_over(previous: PlanVersion, draft: PlanVersion) -> None:
    """Keep what happened to the plan in force while DRAFT was prepared.

    Actions marked done (or otherwise updated) on the previous version after it was copied keep
    their newer status; actions added to it meanwhile (e.g. by a case conference) are added.
    Actions the draft removed on purpose stay removed.
    """
    drafted = {action.key: action for action in draft.actions.all()}
    added = []
    last_position = max((action.position for action in drafted.values()), default=0)
    for old in previous.actions.all():
        new = drafted.get(old.key)
        if new is None:
            if old.created_at > draft.created_at:
                last_position += 1
                copy = _copy_action(old, draft, None)
                copy.position = last_position
                added.append(copy)
            continue
        if old.status_changed_at and (
            new.status_changed_at is None or old.status_changed_at > new.status_changed_at
        ):
            new.status = old.status
            new.status_changed_by_id = old.status_changed_by_id
            new.status_changed_at = old.status_changed_at
            new.save(update_fields=["status", "status_changed_by", "status_changed_at"])
    PlanAction.objects.bulk_create(added)


def make_current(version: PlanVersion, *, acting_user: User) -> None:
    """Put VERSION in force: it supersedes the previous one; a case in planning moves on.

    A high-risk case's plan comes into force only once a supervisor approved it.
    """
    case = version.case
    if case.risk_level == RiskLevel.HIGH and version.status != PlanStatus.APPROVED:
        raise ActionRefused(
            _(
                "This case is high risk: its plan comes into force only after the team's "
                "supervisor approves it. Submit it for approval."
            )
        )
    plan = CasePlan.objects.select_related("current_version").get(pk=version.plan_id)
    previous = plan.current_version
    now = timezone.now()
    if previous is not None and previous.pk != version.pk:
        carry_over(previous, version)
        PlanVersion.objects.filter(pk=previous.pk).update(
            status=PlanStatus.SUPERSEDED, superseded_at=now, version=F("version") + 1
        )
        record_event(
            PlanEvent.SUPERSEDED,
            actor=acting_user,
            target=previous,
            agency=case.agency,
            fields=["status"],
            detail={"case": case.pk, "number": previous.number, "by_number": version.number},
        )
    changes: dict[str, object] = {"current_version": version, "version": F("version") + 1}
    if version.review_on is not None:
        changes["next_review_on"] = version.review_on
    CasePlan.objects.filter(pk=plan.pk).update(**changes)
    if case.status == CaseStatus.PLANNING:
        move_case(
            case,
            to=CaseStatus.IMPLEMENTATION,
            acting_user=acting_user,
            detail={"plan_version": version.number},
        )


def when(moment: datetime | None) -> str:
    """A moment as the agency's people read it (the active time zone)."""
    if moment is None:
        return "—"
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def describe_change(version: PlanVersion | None) -> str:
    """Say what someone else did to the plan while the user was editing it."""
    if version is None:
        return _("The plan's versions changed while you were editing.")
    goals = version.goals.count()
    actions = version.actions.count()
    return _(
        "%(who)s saved version %(number)s (%(status)s) at %(when)s while you were editing; "
        "it now has %(goals)s and %(actions)s."
    ) % {
        "who": version.updated_by,
        "number": version.number,
        "status": PlanStatus(version.status).label,
        "when": when(version.updated_at),
        "goals": ngettext("%(n)d goal", "%(n)d goals", goals) % {"n": goals},
        "actions": ngettext("%(n)d action", "%(n)d actions", actions) % {"n": actions},
    }
