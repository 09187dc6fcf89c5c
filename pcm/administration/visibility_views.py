"""The agency's setting page: which groups of fields each case role sees."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pcm.accounts.models import Agency
from pcm.administration.field_visibility import (
    FieldVisibilityForm,
    do_set_field_visibility,
    may_configure_field_visibility,
)
from pcm.core.errors import ActionRefused, EditConflict
from pcm.core.http import current_user


@login_required
@require_http_methods(["GET", "POST"])
def field_visibility(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not may_configure_field_visibility(user):
        raise PermissionDenied
    assert user.agency is not None  # noqa: S101 - checked by may_configure_field_visibility
    agency = Agency.objects.get(pk=user.agency.pk)
    form = FieldVisibilityForm(request.POST or None, agency=agency)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                do_set_field_visibility(
                    agency,
                    form.groups_by_role(),
                    expected_fingerprint=form.cleaned_data["fingerprint"],
                    acting_user=user,
                )
            except ActionRefused as refusal:
                form.add_error(None, str(refusal.message))
                status = 409 if isinstance(refusal, EditConflict) else 400
            else:
                messages.success(request, _("Saved: what each role sees of a case."))
                return redirect("administration:field_visibility")
    context = {"form": form, "agency": agency}
    return render(request, "administration/field_visibility.html", context, status=status)
