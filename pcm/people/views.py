"""People pages: reviewing possible duplicates (only those whose two records the user sees)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pcm.access import policy
from pcm.access.fields import FieldGroup, visible_groups
from pcm.accounts.models import User
from pcm.cases.models import Case
from pcm.core.errors import ActionRefused, EditConflict
from pcm.core.http import current_user
from pcm.people.actions import do_resolve_duplicate
from pcm.people.duplicates import flags_visible_to, open_flags_visible_to
from pcm.people.forms import DuplicateResolutionForm
from pcm.people.models import DuplicateFlag, DuplicateStatus, Person

MAX_FLAGS_SHOWN = 100


@dataclass(frozen=True)
class Registration:
    person: Person
    cases: list[Case]


@dataclass(frozen=True)
class FlagView:
    flag: DuplicateFlag
    later: Registration
    earlier: Registration
    form: DuplicateResolutionForm


def _uuid(value: str | uuid.UUID) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _require_case_role(user: User) -> None:
    if not policy.can_work_with_cases(user):
        raise PermissionDenied


def _flag_views(
    user: User,
    flags: list[DuplicateFlag],
    bound: tuple[DuplicateFlag, DuplicateResolutionForm] | None,
) -> list[FlagView]:
    people = [person for flag in flags for person in (flag.person, flag.candidate)]
    by_person: dict[int, list[Case]] = {}
    cases = Case.objects.visible_to(user).filter(person__in=people).order_by("-opened_at")
    for case in cases:
        by_person.setdefault(case.person_id, []).append(case)
    views = []
    for flag in flags:
        form = bound[1] if bound and bound[0].pk == flag.pk else DuplicateResolutionForm()
        views.append(
            FlagView(
                flag,
                Registration(flag.person, by_person.get(flag.person_id, [])),
                Registration(flag.candidate, by_person.get(flag.candidate_id, [])),
                form,
            )
        )
    return views


def _page(
    request: HttpRequest,
    user: User,
    bound: tuple[DuplicateFlag, DuplicateResolutionForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    flags = list(
        open_flags_visible_to(user)
        .select_related("person", "person__location", "candidate", "candidate__location")
        .order_by("-created_at", "-id")[: MAX_FLAGS_SHOWN + 1]
    )
    groups = visible_groups(user)
    context = {
        "flags": _flag_views(user, flags[:MAX_FLAGS_SHOWN], bound),
        "too_many": len(flags) > MAX_FLAGS_SHOWN,
        "sees_identity": FieldGroup.IDENTITY in groups,
        "sees_contact": FieldGroup.CONTACT in groups,
        "sees_documents": FieldGroup.DOCUMENTS in groups,
    }
    return render(request, "people/duplicates.html", context, status=status)


@login_required
@require_GET
def duplicates(request: HttpRequest) -> HttpResponse:
    """Open possible duplicates whose two registrations the user may both see."""
    user = current_user(request)
    _require_case_role(user)
    return _page(request, user)


@login_required
@require_POST
def resolve_duplicate(request: HttpRequest, public_id: str) -> HttpResponse:
    """Link the two registrations (the same person) or dismiss the flag."""
    user = current_user(request)
    _require_case_role(user)
    flag = (
        flags_visible_to(user)
        .select_related("person", "candidate")
        .filter(public_id=_uuid(public_id))
        .first()
    )
    if flag is None:
        raise Http404  # as for a flag that does not exist: nothing is revealed
    form = DuplicateResolutionForm(request.POST)
    if not form.is_valid():
        return _page(request, user, (flag, form), status=400)
    try:
        resolved = do_resolve_duplicate(
            flag, same_person=form.same_person, note=form.cleaned_data["note"], acting_user=user
        )
    except EditConflict as conflict:
        messages.error(request, str(conflict.message))
        return redirect("people:duplicates")
    except ActionRefused as refusal:
        form.add_error(None, str(refusal.message))
        return _page(request, user, (flag, form), status=400)
    if resolved.status == DuplicateStatus.LINKED:
        messages.success(request, _("Linked: each case page now shows the other registration."))
    else:
        messages.success(request, _("Dismissed: they are recorded as different people."))
    return redirect("people:duplicates")
