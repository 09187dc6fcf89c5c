"""Hiding a case's identity in lists: the supervisor's or manager's action on the case page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pcm.access import policy
from pcm.cases.identity import HidingReason, do_set_identity_hidden, may_hide_identity
from pcm.core.errors import ActionRefused
from pcm.core.http import current_user


class IdentityInListsForm(forms.Form):
    hidden = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")],
        coerce=lambda value: value == "1",
        widget=forms.HiddenInput,
    )
    reason = forms.ChoiceField(
        label=gettext_lazy("Why (optional)"),
        choices=[("", "—"), *HidingReason.choices],
        required=False,
    )


@login_required
@require_POST
def identity_in_lists(request: HttpRequest, public_id: str) -> HttpResponse:
    """Hide (hidden=1) or show again (hidden=0) the case's identity in every list."""
    user = current_user(request)
    case = policy.get_case_for(user, public_id)
    if not may_hide_identity(user, case):
        raise PermissionDenied
    form = IdentityInListsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was changed: choose to hide or to show the identity."))
        return redirect("cases:detail", public_id=case.public_id)
    hidden = form.cleaned_data["hidden"]
    try:
        do_set_identity_hidden(
            case, hidden=hidden, reason=form.cleaned_data["reason"], acting_user=user
        )
    except ActionRefused as refusal:
        messages.error(request, str(refusal.message))
    else:
        message = (
            _("Lists now show only the number of case %(number)s.")
            if hidden
            else _("Lists show who case %(number)s is about again.")
        )
        messages.success(request, message % {"number": case.number})
    return redirect("cases:detail", public_id=case.public_id)
