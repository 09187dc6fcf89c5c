"""Recording direct support given to the service user, and correcting a record."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pcm.casework import actions
from pcm.casework.currencies import currency_for_country
from pcm.casework.forms import SupportCorrectionForm, SupportForm
from pcm.casework.models import DirectSupport
from pcm.casework.views.common import back_to_case, case_for_writing, form_page
from pcm.core.errors import ActionRefused, EditConflict


@login_required
@require_http_methods(["GET", "POST"])
def support_create(request: HttpRequest, public_id: str) -> HttpResponse:
    user, case = case_for_writing(request, public_id)
    currency = currency_for_country(case.agency.country_code)
    form = SupportForm(request.POST or None, currency=currency)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_record_support(case, form.details(), acting_user=user)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal.message))
        else:
            messages.success(request, _("The support given is recorded."))
            return back_to_case(case)
    context = {
        "case": case,
        "form": form,
        "title": _("Record direct support"),
        "submit": _("Save the support record"),
    }
    return form_page(request, context)


@login_required
@require_http_methods(["GET", "POST"])
def support_correct(request: HttpRequest, public_id: str, support_id: int) -> HttpResponse:
    user, case = case_for_writing(request, public_id)
    original = get_object_or_404(
        DirectSupport.objects.select_related("recorded_by", "correction"), pk=support_id, case=case
    )
    initial = {
        "given_on": original.given_on,
        "support_type": original.support_type,
        "amount": original.amount,
        "currency": original.currency,
        "purpose": original.purpose,
        "notes": original.notes,
    }
    form = SupportCorrectionForm(request.POST or None, initial=initial)
    conflict = False
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_correct_support(
                original,
                form.details(),
                reason=form.cleaned_data["correction_reason"],
                acting_user=user,
            )
        except ActionRefused as refusal:
            conflict = isinstance(refusal, EditConflict)
            form.add_error(None, str(refusal.message))
        else:
            messages.success(request, _("The correction is saved; the earlier record is kept."))
            return back_to_case(case)
    context = {
        "case": case,
        "form": form,
        "title": _("Correct a support record"),
        "intro": _(
            "The corrected record replaces this one in the totals; both stay in the case-work "
            "history."
        ),
        "submit": _("Save the correction"),
        "original_support": original,
    }
    return form_page(request, context, conflict=conflict)
