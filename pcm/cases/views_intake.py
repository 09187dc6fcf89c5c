"""Intake pages: search before registering, register and open a case or record a contact, and
correct a registered person's details."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pcm.access import policy
from pcm.access.fields import FieldGroup, may_see
from pcm.accounts.models import User
from pcm.cases import actions
from pcm.cases.forms import IntakeForm, PersonEditForm
from pcm.cases.intake import ContactKind, Safeguard, age_group
from pcm.cases.intake_actions import do_record_contact
from pcm.cases.intake_forms import PersonSearchForm
from pcm.cases.models import Case, RiskLevel
from pcm.core.errors import ActionRefused, EditConflict
from pcm.core.http import current_user
from pcm.people.actions import do_update_person
from pcm.people.models import Person
from pcm.people.search import MAX_RESULTS, find_people

_PERSON_GROUPS = (FieldGroup.IDENTITY, FieldGroup.CONTACT, FieldGroup.DOCUMENTS)


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
        # Names are encrypted, so SQL cannot order by them: the latest registrations first,
        # then the page in name order.
        people = list(found.order_by("-registered_at", "-pk")[: MAX_RESULTS + 1])
        people[:MAX_RESULTS] = sorted(
            people[:MAX_RESULTS],
            key=lambda person: (person.family_name.casefold(), person.given_name.casefold()),
        )
        # A case whose identity is hidden in lists is not tied to a name here either.
        cases = (
            Case.objects.visible_to(user)
            .filter(person__in=people, identity_hidden=False)
            .order_by("-opened_at")
        )
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


@login_required
@require_http_methods(["GET", "POST"])
def edit_person(request: HttpRequest, public_id: str) -> HttpResponse:
    """The caseworker or the supervisor corrects the details of the case's service user."""
    user = current_user(request)
    case = policy.get_case_to_work_on(user, public_id)
    if not all(may_see(user, group, case) for group in _PERSON_GROUPS):
        raise PermissionDenied  # who may not see a field may not overwrite it either
    person = case.person
    if request.method == "GET":
        form = PersonEditForm(acting_user=user, initial=PersonEditForm.initial_for(person))
        return render(request, "cases/person_edit.html", {"case": case, "form": form})
    form = PersonEditForm(request.POST, acting_user=user)
    status = 400
    if form.is_valid():
        try:
            do_update_person(
                case,
                form.person_details(),
                expected_version=form.cleaned_data["version"],
                acting_user=user,
            )
        except EditConflict as conflict:
            # Keep what the user typed; the hidden version moves on so that saving again
            # (after checking the details shown beside) replaces the other change.
            current = Person.objects.get(pk=person.pk)
            data = request.POST.copy()
            data["version"] = str(current.version)
            form = PersonEditForm(data, acting_user=user)
            form.is_valid()
            form.add_error(None, str(conflict.message))
            context = {"case": case, "form": form, "current": current}
            return render(request, "cases/person_edit.html", context, status=409)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal.message))
        else:
            messages.success(request, _("The person's details are saved."))
            return redirect("cases:detail", public_id=case.public_id)
    return render(request, "cases/person_edit.html", {"case": case, "form": form}, status=status)
