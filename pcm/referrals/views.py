"""The referring side: refer a case to a service, follow the referral, print its form."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pcm.access import policy
from pcm.access.fields import FieldGroup, visible_groups
from pcm.accounts.models import User
from pcm.audit.actions import record_event
from pcm.cases.models import Case
from pcm.core.errors import ActionRefused, EditConflict
from pcm.core.http import current_user
from pcm.plans.actions import action_in_force
from pcm.plans.models import PlanAction
from pcm.referrals import actions, pdf, rules
from pcm.referrals.events import ReferralEvent
from pcm.referrals.forms import ReferralForm, StepForm
from pcm.referrals.models import Referral, ReferralStatus
from pcm.referrals.payload import SharedValue, shared_values
from pcm.referrals.sharing import FIELDS_BY_KEY, referral_consent
from pcm.services.directory import Criteria, matching
from pcm.services.models import Service


def _status(refusal: ActionRefused) -> int:
    return 409 if isinstance(refusal, EditConflict) else 400


def _plan_action(case: Case, key: str) -> PlanAction | None:
    try:
        return action_in_force(case, uuid.UUID(key)) if key else None
    except ValueError:
        return None


def _services_for(case: Case) -> Any:
    """The active services of the case's agency's directory, those that fit the person first."""
    services = Service.objects.filter(provider__agency_id=case.agency_id, is_active=True)
    return services.select_related("provider").order_by("sector", "name")


def _fitting_ids(case: Case) -> set[int]:
    person = case.person
    criteria = Criteria(
        location=person.location, age=person.age_on(timezone.localdate()), sex=person.sex
    )
    services = Service.objects.filter(provider__agency_id=case.agency_id)
    return set(matching(services, criteria, inside=False).values_list("pk", flat=True))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def new_referral(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    case = policy.get_case_for(user, public_id)
    if not rules.may_refer(user, case):
        raise PermissionDenied
    consent = referral_consent(case).seen_by(visible_groups(user, case))
    action_key = request.POST.get("action") or request.GET.get("action", "")
    action = _plan_action(case, action_key)
    initial: dict[str, Any] = {"urgency": rules.default_urgency(case)}
    if request.GET.get("service", "").isdigit():
        initial["service"] = int(request.GET["service"])
    form = ReferralForm(
        request.POST or None, initial=initial, services=_services_for(case), consent=consent
    )
    status = 200
    if request.method == "POST" and consent.allowed and form.is_valid():
        data = form.cleaned_data
        details = actions.NewReferral(
            service=data["service"],
            urgency=data["urgency"],
            reason=data["reason"],
            note_for_provider=data["note_for_provider"],
            shared_fields=data["shared_fields"],
            plan_action_key=str(action.key) if action else None,
        )
        try:
            referral = actions.do_send_referral(case, details, acting_user=user)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal.message))
            status = _status(refusal)
        else:
            if referral.through_portal:
                messages.success(request, _("Referral sent. The provider sees it in PCM."))
            else:
                messages.success(
                    request,
                    _(
                        "Referral recorded. This provider does not use PCM: print the referral "
                        "form or send it as agreed, and record their answer here."
                    ),
                )
            return redirect("referrals:detail", public_id=referral.public_id)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "referrals/new.html",
        {
            "case": case,
            "form": form,
            "consent": consent,
            "action": action,
            "fitting": _fitting_ids(case),
        },
        status=status,
    )


def visible_shared_values(user: User, referral: Referral) -> list[SharedValue | None]:
    """What was shared, as USER may see it: a value of a group they do not see is withheld."""
    groups = visible_groups(user, referral.case)
    shown: list[SharedValue | None] = []
    for value in shared_values(referral):
        group = FIELDS_BY_KEY[value.key].group
        shown.append(value if group is None or group in groups else None)
    return shown


def _detail_context(user: User, referral: Referral) -> dict[str, Any]:
    groups = visible_groups(user, referral.case)
    may_answer = rules.may_answer(user, referral) and not referral.through_portal
    may_follow_up = rules.may_follow_up(user, referral)
    return {
        "referral": referral,
        "case": referral.case,
        "shared": visible_shared_values(user, referral),
        "see_narrative": FieldGroup.NARRATIVE in groups,
        "steps": referral.steps.select_related("by").order_by("at", "id"),
        "answer_steps": rules.provider_next_steps(referral) if may_answer else (),
        "follow_up_steps": rules.referrer_next_steps(referral) if may_follow_up else (),
        "may_print": rules.may_refer(user, referral.case),
        "now": timezone.now(),
        "statuses": ReferralStatus,
    }


@never_cache
@login_required
@require_GET
def referral_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    referral = policy.get_referral_for(user, public_id)
    detail: dict[str, object] = {"case": referral.case_id}
    # A read under emergency (break-glass) access is recorded as such, as for the case page.
    grant = policy.live_break_glass_grant(user, referral.case)
    if grant is not None:
        detail["break_glass"] = grant.pk
    record_event(
        ReferralEvent.VIEWED, actor=user, target=referral, agency=referral.agency, detail=detail
    )
    return render(request, "referrals/detail.html", _detail_context(user, referral))


def take_step(
    request: HttpRequest,
    user: User,
    referral: Referral,
    *,
    page: str,
    context: Callable[[User, Referral], dict[str, Any]],
    back: str,
    done: str,
) -> HttpResponse:
    """Take the step the form posts on REFERRAL, then go BACK with DONE; on a refusal, show
    PAGE again with the reason and the text that was typed, nothing lost."""
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; nothing was saved."))
        return redirect(back, public_id=referral.public_id)
    data = form.cleaned_data
    try:
        actions.do_move_referral(
            referral,
            ReferralStatus(data["status"]),
            text=data["text"],
            expected_version=data["version"],
            acting_user=user,
        )
    except ActionRefused as refusal:
        shown = context(user, referral)
        shown.update(step_error=refusal.message, step_text=data["text"], step=data["status"])
        return render(request, page, shown, status=_status(refusal))
    messages.success(request, done)
    return redirect(back, public_id=referral.public_id)


@login_required
@require_POST
def referral_step(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A step taken on the referring side: close, withdraw, or an answer received outside PCM."""
    user = current_user(request)
    referral = policy.get_referral_for(user, public_id)
    return take_step(
        request,
        user,
        referral,
        page="referrals/detail.html",
        context=_detail_context,
        back="referrals:detail",
        done=_("Referral updated."),
    )


def _form_context(user: User, referral: Referral) -> dict[str, Any]:
    return {
        "referral": referral,
        # What the user may see of it (a role without a group does not print that group).
        "shared": [value for value in visible_shared_values(user, referral) if value],
        "printed_at": timezone.now(),
        "printed_by": user,
    }


@never_cache
@login_required
@require_GET
def printable_form(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The referral form as a page to print: only what was shared."""
    user = current_user(request)
    referral = policy.get_referral_for(user, public_id)
    if not rules.may_refer(user, referral.case):
        raise PermissionDenied
    actions.record_form_printed(referral, user, "page")
    return render(request, "referrals/form_page.html", _form_context(user, referral))


@never_cache
@login_required
@require_GET
def pdf_form(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The referral form as PDF, for providers reached on paper or by e-mail."""
    user = current_user(request)
    referral = policy.get_referral_for(user, public_id)
    if not rules.may_refer(user, referral.case):
        raise PermissionDenied
    document = pdf.render_form(_form_context(user, referral))
    actions.record_form_printed(referral, user, "pdf")
    response = HttpResponse(document, content_type="application/pdf")
    # The file name carries the referral's reference only, never the person's name.
    response["Content-Disposition"] = f'attachment; filename="referral-{referral.reference}.pdf"'
    return response
