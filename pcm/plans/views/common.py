"""What the plan pages share: the case through the policy, and the plan's versions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest

from pcm.access import policy
from pcm.accounts.models import User
from pcm.cases.models import Case
from pcm.core.http import current_user
from pcm.plans import permissions
from pcm.plans.models import CasePlan, PlanAction, PlanStatus, PlanVersion

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

_PEOPLE = ("created_by", "updated_by", "submitted_by", "decided_by")


def case_for_request(request: HttpRequest, public_id: object) -> tuple[User, Case]:
    """The signed-in user and the case, or 404 when the policy hides the case from them."""
    user = current_user(request)
    return user, policy.get_case_for(user, str(public_id))


def with_content(versions: QuerySet[PlanVersion]) -> QuerySet[PlanVersion]:
    """VERSIONS with their goals and actions loaded in two queries."""
    return versions.prefetch_related(
        "goals",
        Prefetch(
            "actions",
            queryset=PlanAction.objects.select_related("goal", "status_changed_by"),
        ),
    )


def version_for(case: Case, number: int) -> PlanVersion:
    """Version NUMBER of CASE's plan, with its goals and actions, or 404."""
    versions = PlanVersion.objects.filter(case=case, number=number).select_related(*_PEOPLE)
    found = with_content(versions).first()
    if found is None:
        raise Http404
    return found


@dataclass
class PlanState:
    """A case's plan as the pages show it: the head, every version, the one in force."""

    plan: CasePlan | None
    versions: list[PlanVersion] = field(default_factory=list)

    @property
    def current(self) -> PlanVersion | None:
        return next((v for v in self.versions if v.is_current), None)

    @property
    def latest(self) -> PlanVersion | None:
        return self.versions[0] if self.versions else None

    @property
    def pending(self) -> PlanVersion | None:
        """The newest version when it is not in force: a draft, a submission, a sent-back plan."""
        latest = self.latest
        if latest is None or latest.is_current or latest.status == PlanStatus.SUPERSEDED:
            return None
        return latest


def plan_state(case: Case) -> PlanState:
    """The case's plan head and all its versions (newest first), content included: 4 queries."""
    plan = CasePlan.objects.filter(case=case).first()
    if plan is None:
        return PlanState(plan=None)
    versions = list(with_content(plan.versions.select_related(*_PEOPLE)).order_by("-number"))
    return PlanState(plan=plan, versions=versions)


@dataclass(frozen=True)
class Abilities:
    """What the user may do with this case's plans (the template shows only those controls)."""

    edit: bool
    decide: bool
    update_actions: bool
    review: bool
    edit_safety_plan: bool


def abilities(user: User | AnonymousUser, case: Case) -> Abilities:
    caseworker = permissions.is_caseworker_of(user, case)
    return Abilities(
        edit=permissions.can_edit_plan(user, case),
        decide=permissions.can_decide_plan(user, case),
        update_actions=caseworker and case.is_open,
        review=permissions.can_edit_plan(user, case),
        edit_safety_plan=permissions.can_edit_safety_plan(user, case),
    )
