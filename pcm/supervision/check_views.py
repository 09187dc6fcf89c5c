"""Case file checks: the history of a case's checks, a new check, its action reported done."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pcm.access import policy
from pcm.audit.actions import record_event
from pcm.cases.models import Case
from pcm.core.errors import ActionRefused
from pcm.core.http import current_user
from pcm.supervision import access, actions
from pcm.supervision.facts import facts_by_item
from pcm.supervision.forms import CaseFileCheckForm
from pcm.supervision.models import CaseFileCheck, SupervisionEvent

SECTION_ANCHOR = "#case-file-checks"


def _case_page(case: Case) -> str:
    return reverse("cases:detail", kwargs={"public_id": case.public_id}) + SECTION_ANCHOR


@login_required
@require_GET
def file_checks(request: HttpRequest, public_id: str) -> HttpResponse:
    """Every check of the case file, newest first: the history is never overwritten."""
    user = current_user(request)
    case = policy.get_case_for(user, public_id)
    # The checks' comments may speak of the person: reading them is recorded like the case.
    record_event(SupervisionEvent.FILE_CHECKS_VIEWED, actor=user, target=case, agency=case.agency)
    checks = (
        CaseFileCheck.objects.filter(case=case)
        .select_related("checked_by", "action_done_by")
        .order_by("-version")
    )
    context = {
        "case": case,
        "checks": checks,
        "can_record": access.can_check_case_file(user, case),
    }
    return render(request, "supervision/file_checks.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def record_file_check(request: HttpRequest, public_id: str) -> HttpResponse:
    """The team's supervisor goes through the checklist, with the system's facts beside it."""
    user = current_user(request)
    case = policy.get_case_for(user, public_id)
    if not access.can_check_case_file(user, case):
        raise PermissionDenied
    form = CaseFileCheckForm(
        request.POST or None, initial={"based_on": actions.latest_check_version(case)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_record_case_file_check(
                case,
                form.details(),
                based_on_version=form.cleaned_data["based_on"],
                acting_user=user,
            )
        except ActionRefused as refusal:
            form.add_error(None, str(refusal.message))
        else:
            messages.success(request, _("The case file check is recorded."))
            return redirect(_case_page(case))
    facts = facts_by_item(case, timezone.now())
    items = [(field, facts.get(field.name, [])) for field in form.item_fields()]
    context = {"case": case, "form": form, "items": items}
    return render(request, "supervision/file_check_form.html", context)


@login_required
@require_POST
def check_action_done(request: HttpRequest, public_id: str, check_id: int) -> HttpResponse:
    """The caseworker reports done what a case file check asked of them."""
    user = current_user(request)
    case = policy.get_case_for(user, public_id)
    check = access.get_file_check_for(case, check_id)
    if not access.can_report_check_action_done(user, case):
        raise PermissionDenied
    check.case = case  # the case as the access policy fetched it, with its team
    try:
        actions.do_report_check_action_done(check, acting_user=user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal.message))
    else:
        messages.success(request, _("The action is reported done."))
    return redirect(_case_page(case))
