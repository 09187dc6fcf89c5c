"""The intake work on an open case: consent, the safeguard exception, the household, and
completing the intake."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pcm.access import policy
from pcm.accounts.models import User
from pcm.audit.actions import record_event
from pcm.audit.models import AuditEventType
from pcm.cases import intake_actions
from pcm.cases.consent import DEFAULT_SHARED_FIELDS, Consent, current_consent
from pcm.cases.household import HouseholdMember
from pcm.cases.intake_forms import ConsentForm, ExceptionDecisionForm, HouseholdMemberForm
from pcm.cases.models import Case
from pcm.core.errors import ActionRefused
from pcm.core.http import current_user


def _posted_int(request: HttpRequest, name: str) -> int | None:
    """A hidden version number from the form, or None when it is missing or not a number."""
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        return None


def _record_view(request: HttpRequest, user: User, case: Case, page: str) -> None:
    """Reading a page of the case's personal data is audited, like the case page itself."""
    if request.method == "GET":
        record_event(
            AuditEventType.RECORD_VIEWED,
            actor=user,
            target=case,
            agency=case.agency,
            detail={"page": page},
        )


def _to_case(case: Case) -> HttpResponse:
    return redirect("cases:detail", public_id=case.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest, public_id: str) -> HttpResponse:
    """The consent's versions, and a form to record or revise it."""
    user = current_user(request)
    case = policy.get_case_for(user, public_id)
    _record_view(request, user, case, "consent")
    latest = current_consent(case)
    can_edit = policy.can_work_on_case(user, case)
    initial: dict[str, object] = {
        "consent_version": latest.version if latest else 0,
        "shared_fields": list(DEFAULT_SHARED_FIELDS),
    }
    if latest is not None and not latest.withdrawn:
        initial.update(
            given_by=latest.given_by,
            given_by_name=latest.given_by_name,
            assent_reason=latest.assent_reason,
            method=latest.method,
            case_management=latest.case_management,
            referrals=latest.referrals,
            data_sharing=latest.data_sharing,
            share_with=list(latest.share_with.all()),
            share_with_others=latest.share_with_others,
            shared_fields=list(latest.shared_fields)
            if latest.data_sharing
            else initial["shared_fields"],
            safe_contact_methods=latest.safe_contact_methods,
            contact_restrictions=latest.contact_restrictions,
        )
    form = ConsentForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                intake_actions.do_record_consent(
                    case,
                    form.details(),
                    expected_version=form.cleaned_data["consent_version"],
                    acting_user=user,
                )
            except ActionRefused as refusal:
                form.add_error(None, str(refusal.message))
            else:
                messages.success(request, _("Consent recorded."))
                return _to_case(case)
    versions = (
        Consent.objects.filter(case=case)
        .select_related("recorded_by")
        .prefetch_related("share_with")
    )
    context = {"case": case, "form": form, "versions": versions, "can_edit": can_edit}
    return render(request, "cases/consent.html", context)


@login_required
@require_POST
def withdraw_consent(request: HttpRequest, public_id: str) -> HttpResponse:
    user = current_user(request)
    case = policy.get_case_to_work_on(user, public_id)
    version = _posted_int(request, "consent_version")
    try:
        intake_actions.do_withdraw_consent(case, expected_version=version, acting_user=user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal.message))
    else:
        messages.warning(
            request,
            _("Consent is withdrawn: nothing more is shared and the case cannot move on."),
        )
    return _to_case(case)


@login_required
@require_POST
def decide_exception(request: HttpRequest, public_id: str) -> HttpResponse:
    user = current_user(request)
    case = policy.get_case_for(user, public_id)
    if not policy.can_reassign(user, case):
        raise PermissionDenied
    form = ExceptionDecisionForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    approve = request.POST.get("decision") == "approve"
    try:
        intake_actions.do_decide_exception(case, approve=approve, comment=comment, acting_user=user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal.message))
    else:
        messages.success(request, _("Exception approved.") if approve else _("Exception declined."))
    return _to_case(case)


@login_required
@require_POST
def complete_intake(request: HttpRequest, public_id: str) -> HttpResponse:
    user = current_user(request)
    case = policy.get_case_to_work_on(user, public_id)
    version = _posted_int(request, "version")
    try:
        intake_actions.do_complete_intake(
            case,
            expected_version=case.version if version is None else version,
            acting_user=user,
        )
    except ActionRefused as refusal:
        messages.error(request, str(refusal.message))
    else:
        messages.success(request, _("Intake complete: the case moves to the assessment."))
    return _to_case(case)


@login_required
@require_http_methods(["GET", "POST"])
def household(request: HttpRequest, public_id: str) -> HttpResponse:
    user = current_user(request)
    case = policy.get_case_for(user, public_id)
    _record_view(request, user, case, "household")
    can_edit = policy.can_work_on_case(user, case)
    form = HouseholdMemberForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            own_case = None
            number = form.cleaned_data["own_case_number"].strip().upper()
            if number:
                own_case = Case.objects.visible_to(user).filter(number=number).first()
                if own_case is None:
                    form.add_error(
                        "own_case_number", _("No case with this number among those you can see.")
                    )
            if not form.errors:
                try:
                    intake_actions.do_add_household_member(
                        case, form.details(own_case), acting_user=user
                    )
                except ActionRefused as refusal:
                    form.add_error(None, str(refusal.message))
                else:
                    messages.success(request, _("Household member added."))
                    return redirect("cases:household", public_id=case.public_id)
    visible = set(Case.objects.visible_to(user).values_list("pk", flat=True))
    members = [
        (member, member.own_case if member.own_case_id in visible else None)
        for member in HouseholdMember.objects.filter(case=case).select_related("own_case")
    ]
    context = {"case": case, "form": form, "members": members, "can_edit": can_edit}
    return render(request, "cases/household.html", context)


@login_required
@require_POST
def remove_household_member(request: HttpRequest, public_id: str, member_id: int) -> HttpResponse:
    user = current_user(request)
    case = policy.get_case_for(user, public_id)
    member = HouseholdMember.objects.filter(case=case, pk=member_id).first()
    if member is None:
        raise Http404
    if not policy.can_work_on_case(user, case):
        raise PermissionDenied
    intake_actions.do_remove_household_member(member, acting_user=user)
    messages.success(request, _("Household member removed."))
    return redirect("cases:household", public_id=case.public_id)
