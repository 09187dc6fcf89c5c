"""Case pages: the list and search, registration with a new case, the case, reassignment."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pcm.access import policy
from pcm.access.fields import FieldGroup, may_search_by_name, may_see
from pcm.audit.actions import record_event
from pcm.audit.models import AuditEventType
from pcm.cases import actions
from pcm.cases.forms import CaseFilterForm, CaseSearchForm, ReassignForm
from pcm.cases.models import Case, CaseQuerySet, CaseStatus
from pcm.cases.page import case_sections
from pcm.cases.search import search_cases
from pcm.core.errors import ActionRefused, EditConflict
from pcm.core.http import current_user

SEARCH_RESULT_LIMIT = 50
_LIST_RELATED = ("person", "assigned_to")


def _require_case_role(request: HttpRequest) -> None:
    if not policy.can_work_with_cases(request.user):
        raise PermissionDenied


def _filtered(cases: CaseQuerySet, form: CaseFilterForm, *, by_risk: bool) -> CaseQuerySet:
    status = form.cleaned_data.get("status") if form.is_valid() else ""
    # A role that does not see risk levels cannot filter by them either.
    risk = form.cleaned_data.get("risk") if form.is_valid() and by_risk else ""
    if status == "all":
        pass
    elif status:
        cases = cases.filter(status=status)
    else:
        cases = cases.exclude(status=CaseStatus.CLOSED)
    if risk:
        cases = cases.filter(risk_level=risk)
    return cases


@login_required
@require_http_methods(["GET", "POST"])
def case_list(request: HttpRequest) -> HttpResponse:
    """The cases the user may see; GET filters and pages, POST searches."""
    _require_case_role(request)
    user = current_user(request)
    filters = CaseFilterForm(request.GET)
    search = CaseSearchForm(request.POST if request.method == "POST" else None)
    if not may_search_by_name(user):
        search.fields["q"].label = _("Case number")
    context: dict[str, object] = {"filters": filters, "search": search}
    if request.method == "POST" and search.is_valid() and search.cleaned_data["q"]:
        query = search.cleaned_data["q"]
        results = search_cases(user, query, limit=SEARCH_RESULT_LIMIT + 1)
        results = results.select_related(*_LIST_RELATED)
        found = list(results.order_by("-opened_at")[: SEARCH_RESULT_LIMIT + 1])
        context.update(
            cases=found[:SEARCH_RESULT_LIMIT],
            searching=True,
            too_many=len(found) > SEARCH_RESULT_LIMIT,
        )
    else:
        by_risk = may_see(user, FieldGroup.RISK)
        cases = _filtered(Case.objects.visible_to(user), filters, by_risk=by_risk)
        cases = cases.select_related(*_LIST_RELATED)
        paginator = Paginator(cases.order_by("-opened_at", "-id"), settings.CASES_PER_PAGE)
        page = paginator.get_page(request.GET.get("page"))
        context.update(cases=page.object_list, page=page, searching=False)
    template = "cases/_case_table.html" if request.htmx else "cases/case_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def _reassign_form(request: HttpRequest, case: Case) -> ReassignForm | None:
    if not policy.can_reassign(request.user, case):
        return None
    return ReassignForm(
        initial={"caseworker": case.assigned_to_id, "version": case.version},
        caseworkers=policy.assignable_caseworkers(case.team),
    )


@login_required
@require_http_methods(["GET"])
def case_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    user = current_user(request)
    case = policy.get_case_for(user, public_id)
    # A view under emergency (break-glass) access is recorded as such.
    grant = policy.live_break_glass_grant(user, case)
    detail = {"break_glass": grant.pk} if grant is not None else None
    record_event(
        AuditEventType.CASE_VIEWED, actor=user, target=case, agency=case.agency, detail=detail
    )
    context = {
        "case": case,
        "person": case.person,
        "reassign_form": _reassign_form(request, case),
        "sections": case_sections(request, case),
        "break_glass": grant,
    }
    return render(request, "cases/case_detail.html", context)


@login_required
@require_POST
def reassign(request: HttpRequest, public_id: str) -> HttpResponse:
    """The supervisor gives the case to another caseworker of the team."""
    user = current_user(request)
    case = policy.get_case_for(user, public_id)
    if not policy.can_reassign(user, case):
        raise PermissionDenied
    form = ReassignForm(request.POST, caseworkers=policy.assignable_caseworkers(case.team))
    if form.is_valid():
        try:
            case = actions.do_reassign_case(
                case,
                to_caseworker=form.cleaned_data["caseworker"],
                expected_version=form.cleaned_data["version"],
                acting_user=user,
            )
        except EditConflict as conflict:
            return _after_conflict(request, case, conflict)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal.message))
        else:
            messages.success(
                request,
                _("Case %(number)s is now assigned to %(caseworker)s.")
                % {"number": case.number, "caseworker": case.assigned_to},
            )
            if request.htmx:  # type: ignore[attr-defined]
                response = HttpResponse(status=204)
                response["HX-Redirect"] = case_url(case)
                return response
            return redirect("cases:detail", public_id=case.public_id)
    status = 409 if form.non_field_errors() else 400
    context = {"case": case, "person": case.person, "reassign_form": form}
    template = "cases/_reassign_form.html" if request.htmx else "cases/case_detail.html"  # type: ignore[attr-defined]
    return render(request, template, context, status=status)


def _after_conflict(request: HttpRequest, case: Case, conflict: EditConflict) -> HttpResponse:
    """Show the case as it is now, with the message, so the user decides again from there."""
    if request.htmx:  # type: ignore[attr-defined]
        messages.error(request, str(conflict.message))
        response = HttpResponse(status=204)
        response["HX-Redirect"] = case_url(case)
        return response
    fresh = policy.get_case_for(request.user, case.public_id)
    context = {
        "case": fresh,
        "person": fresh.person,
        "reassign_form": _reassign_form(request, fresh),
        "conflict": conflict.message,
        "sections": case_sections(request, fresh),
    }
    return render(request, "cases/case_detail.html", context, status=409)


def case_url(case: Case) -> str:
    from django.urls import reverse

    return reverse("cases:detail", kwargs={"public_id": case.public_id})
