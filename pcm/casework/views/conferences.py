"""Recording a case conference with the follow-up actions it agreed."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pcm.casework import actions
from pcm.casework.forms import ConferenceActionForm, ConferenceForm, conference_action_rows
from pcm.casework.views.common import back_to_case, case_for_writing, form_status
from pcm.core.errors import ActionRefused

PREFIX = "actions"
MOST_ROWS = 20


def _typed_rows(data: QueryDict) -> list[dict[str, str]]:
    """The action rows as posted, to show them again with one more empty row."""
    try:
        count = int(data.get(f"{PREFIX}-TOTAL_FORMS", "0"))
    except ValueError:
        count = 0
    names = list(ConferenceActionForm.base_fields)
    return [
        {name: data.get(f"{PREFIX}-{index}-{name}", "") for name in names}
        for index in range(min(max(count, 0), MOST_ROWS - 1))
    ]


def _typed_fields(data: QueryDict) -> dict[str, object]:
    return {
        name: data.getlist(name)
        if isinstance(field.widget, forms.CheckboxSelectMultiple)
        else data.get(name, "")
        for name, field in ConferenceForm.base_fields.items()
    }


@login_required
@require_http_methods(["GET", "POST"])
def conference_create(request: HttpRequest, public_id: str) -> HttpResponse:
    """Record a conference; its follow-up actions are added to the case plan."""
    user, case = case_for_writing(request, public_id)
    if request.method == "POST" and "add_row" in request.POST:
        # Another action row: show what was typed again, unvalidated, with one more row.
        rows = _typed_rows(request.POST)
        form = ConferenceForm(initial=_typed_fields(request.POST))
        formset = conference_action_rows(len(rows) + 1)(initial=rows, prefix=PREFIX)
        context = {"case": case, "form": form, "formset": formset}
        return render(request, "casework/conference_form.html", context)
    form = ConferenceForm(request.POST or None)
    formset = conference_action_rows()(request.POST or None, prefix=PREFIX)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            actions.do_record_conference(
                case, form.details(formset.action_details()), acting_user=user
            )
        except ActionRefused as refusal:
            form.add_error(None, str(refusal.message))
        else:
            messages.success(
                request, _("The case conference is recorded and its actions added to the plan.")
            )
            return back_to_case(case)
    context = {"case": case, "form": form, "formset": formset}
    return render(request, "casework/conference_form.html", context, status=form_status(request))
