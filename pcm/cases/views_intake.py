"""Intake pages: search before registering, register and open a case or record a contact."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pcm.access import policy
from pcm.accounts.models import User
from pcm.cases import actions
from pcm.cases.forms import IntakeForm
from pcm.cases.intake import ContactKind, Safeguard, age_group
from pcm.cases.intake_actions import do_record_contact
from pcm.cases.intake_forms import PersonSearchForm
from pcm.cases.models import Case, RiskLevel
from pcm.core.errors import ActionRefused
from pcm.core.http import current_user
from pcm.people.search import MAX_RESULTS, find_people


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Search first; then register the person and open a case, or record a contact."""
    user = current_user(request)
    if not policy.can_register_people(user):
        raise PermissionDenied
    step = request.POST.get("step", "search") if request.method == "POST" else "search"
    if step == "register":
        return _register(request, user, IntakeForm(request.POST, acting_user=user))
    # Prefixed: the registration form below has fields of the same names (ids must differ).
    search = PersonSearchForm(request.POST if request.method == "POST" else None, prefix="search")
    if request.method == "POST" and search.is_valid():
        data = search.cleaned_data
        found = find_people(
            user, name=data["name"], phone=data["phone"], date_of_birth=data["date_of_birth"]
        )
        people = list(found.order_by("family_name", "given_name")[: MAX_RESULTS + 1])
        cases = Case.objects.visible_to(user).filter(person__in=people).order_by("-opened_at")
        by_person: dict[int, list[Case]] = {}
        for case in cases:
            by_person.setdefault(case.person_id, []).append(case)
        names = data["name"].split(" ", 1)
        form = IntakeForm(
            acting_user=user,
            initial={
                "given_name": names[0] if names else "",
                "family_name": names[1] if len(names) > 1 else "",
                "phone": data["phone"],
                "date_of_birth": data["date_of_birth"],
            },
        )
        context = {
            "search": search,
            "searched": True,
            "matches": [(person, by_person.get(person.pk, [])) for person in people[:MAX_RESULTS]],
            "too_many": len(people) > MAX_RESULTS,
            "form": form,
        }
        return render(request, "cases/register.html", context)
    return render(request, "cases/register.html", {"search": search, "searched": False})


def _register(request: HttpRequest, user: User, form: IntakeForm) -> HttpResponse:
    context: dict[str, object] = {"form": form, "searched": True, "show_form": True}
    if not form.is_valid():
        if form.decision in ("refer", "exception"):
            # Keep the safeguard panel on screen while its own fields are corrected.
            context["safeguard"] = form.safeguard_if_known()
        return render(request, "cases/register.html", context)
    safeguard = form.safeguard()
    decision = form.decision
    try:
        if decision in ("refer", "contact"):
            return _record_contact(request, user, form, safeguard)
        if safeguard and decision != "exception":
            context["safeguard"] = Safeguard(safeguard)
            return render(request, "cases/register.html", context)
        caseworker = form.caseworker()
        if caseworker.team is None:
            raise ActionRefused(_("Choose an active caseworker of the case's team."))
        case = actions.do_register_and_open_case(
            form.person_details(),
            screening=form.screening(),
            risk_level=RiskLevel(form.cleaned_data["risk_level"]),
            team=caseworker.team,
            assigned_to=caseworker,
            acting_user=user,
        )
    except ActionRefused as refusal:
        form.add_error(None, str(refusal.message))
        return render(request, "cases/register.html", context)
    messages.success(request, _("Case %(number)s is open.") % {"number": case.number})
    if safeguard:
        messages.warning(
            request, _("The case stays in intake until the supervisor approves the exception.")
        )
    return redirect("cases:detail", public_id=case.public_id)


def _record_contact(
    request: HttpRequest, user: User, form: IntakeForm, safeguard: str
) -> HttpResponse:
    kind = {
        Safeguard.CHILD: ContactKind.CHILD_PROTECTION,
        Safeguard.GBV: ContactKind.GBV,
    }.get(Safeguard(safeguard), ContactKind.INFORMATION)
    age = form.age()
    do_record_contact(
        kind=kind,
        sex=form.cleaned_data["sex"],
        age_group=age_group(age) if age is not None else "",
        location=form.cleaned_data["location"],
        risk_types=list(form.cleaned_data["risk_types"]),
        given=form.cleaned_data["given"],
        acting_user=user,
    )
    messages.success(
        request,
        _(
            "Recorded: %(what)s. No case was opened and no name was kept, only the sex, "
            "age group, place and what was given."
        )
        % {"what": kind.label},
    )
    return redirect("cases:list")
