"""The satisfaction survey offered at closure: recorded by the caseworker, stored apart."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pcm.access import policy
from pcm.closure import actions, permissions
from pcm.closure.forms import SurveyForm
from pcm.closure.models import SurveyOutcome
from pcm.closure.records import latest_closure, open_survey
from pcm.closure.views.common import back_to_case
from pcm.core.errors import ActionRefused, EditConflict
from pcm.core.http import current_user


@login_required
@require_http_methods(["GET", "POST"])
def record_survey(request: HttpRequest, public_id: str) -> HttpResponse:
    """Whether the survey was offered and accepted, and the answers if it was."""
    user = current_user(request)
    case = policy.get_case_for(user, public_id)
    if not permissions.may_record_survey(user, case):
        raise PermissionDenied
    closure = open_survey(latest_closure(case))
    form = SurveyForm(request.POST or None)
    status = 200
    if request.method == "POST" and closure is None:
        status = 409
    elif request.method == "POST" and form.is_valid():
        assert closure is not None  # noqa: S101 - checked just above
        try:
            actions.do_record_survey(
                closure,
                outcome=SurveyOutcome(form.cleaned_data["outcome"]),
                answers=form.answers(),
                acting_user=user,
            )
        except ActionRefused as refusal:
            form.add_error(None, str(refusal.message))
            status = 409 if isinstance(refusal, EditConflict) else 400
        else:
            messages.success(
                request, _("Thank you. The survey is recorded, apart from the case file.")
            )
            return back_to_case(case)
    elif request.method == "POST":
        status = 400
    context = {"case": case, "closure": closure, "form": form}
    return render(request, "closure/survey.html", context, status=status)
