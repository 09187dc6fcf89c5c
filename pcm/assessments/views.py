"""Assessment pages: record a new one (caseworker or supervisor), read one in full."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pcm.access import policy
from pcm.assessments.actions import do_record_assessment
from pcm.assessments.forms import AssessmentForm
from pcm.assessments.models import Assessment, AssessmentEvent
from pcm.assessments.rules import may_record_assessment, step_refusal
from pcm.assessments.scoring import PHQ9_QUESTION
from pcm.audit.actions import record_event
from pcm.cases.taxonomy import RiskType
from pcm.core.errors import ActionRefused
from pcm.core.http import current_user


def _risk_types_in_use(agency_id: int) -> list[RiskType]:
    return list(RiskType.objects.filter(agency_id=agency_id, is_active=True).order_by("code"))


@login_required
@require_http_methods(["GET", "POST"])
def record_assessment(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The assessment form; a case in a step that takes none gets the reason instead."""
    user = current_user(request)
    case = policy.get_case_for(user, public_id)
    if not may_record_assessment(user, case):
        raise PermissionDenied
    refusal = step_refusal(case)
    posted = request.POST if request.method == "POST" and refusal is None else None
    form = AssessmentForm(
        posted,
        risk_types=_risk_types_in_use(case.agency_id),
        initial={"risk_level": case.risk_level},
    )
    status = 200
    if posted is not None and form.is_valid():
        try:
            do_record_assessment(case, form.assessment_data(), acting_user=user)
        except ActionRefused as refused:
            # The form keeps every answer, so nothing typed is lost.
            form.add_error(None, str(refused.message))
            status = 409
        else:
            messages.success(request, _("The assessment is recorded."))
            return redirect(reverse("cases:detail", args=[case.public_id]) + "#assessments")
    elif request.method == "POST" and refusal is not None:
        status = 409
    context = {"case": case, "form": form, "refusal": refusal, "phq9_question": PHQ9_QUESTION}
    return render(request, "assessments/record.html", context, status=status)


@login_required
@require_GET
def assessment_detail(request: HttpRequest, public_id: uuid.UUID, pk: int) -> HttpResponse:
    """One assessment in full, for anyone who may see the case."""
    user = current_user(request)
    case = policy.get_case_for(user, public_id)
    assessment = get_object_or_404(
        Assessment.objects.select_related("recorded_by"), case=case, pk=pk
    )
    risks = assessment.risks.select_related("risk_type").order_by("risk_type__code")
    record_event(
        AssessmentEvent.VIEWED,
        actor=user,
        target=assessment,
        agency=case.agency,
        detail={"case": case.pk},
    )
    context = {
        "case": case,
        "assessment": assessment,
        "risks": list(risks),
        "phq9_question": PHQ9_QUESTION,
    }
    return render(request, "assessments/detail.html", context)
