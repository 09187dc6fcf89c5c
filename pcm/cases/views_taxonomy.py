"""The agency's protection risk taxonomy, maintained by its managers."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pcm.accounts.models import Role, User
from pcm.cases.taxonomy import RiskType
from pcm.cases.taxonomy_actions import do_save_risk_type
from pcm.core.http import current_user


class RiskTypeForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = RiskType
        fields = ["code", "name", "category", "specialised_route", "parent", "description"]
        fields += ["is_active"]

    def __init__(self, *args: object, agency_id: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.agency_id = agency_id
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)  # noqa: S101 - a foreign key
        parent.queryset = RiskType.objects.filter(agency_id=agency_id, parent__isnull=True)

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].strip().upper()
        clash = RiskType.objects.filter(agency_id=self.agency_id, code=code)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Another risk type of your agency has this code."))
        return code


def _manager(request: HttpRequest) -> User:
    user = current_user(request)
    if user.role != Role.MANAGER or user.agency_id is None:
        raise PermissionDenied
    return user


@login_required
@require_GET
def risk_types(request: HttpRequest) -> HttpResponse:
    user = _manager(request)
    types = RiskType.objects.filter(agency=user.agency).select_related("parent")
    return render(request, "cases/risk_types.html", {"risk_types": types.order_by("code")})


@login_required
@require_http_methods(["GET", "POST"])
def risk_type_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = _manager(request)
    assert user.agency_id is not None  # noqa: S101 - checked by _manager
    instance = None
    if pk is not None:
        instance = RiskType.objects.filter(agency_id=user.agency_id, pk=pk).first()
        if instance is None:
            raise Http404
    form = RiskTypeForm(request.POST or None, instance=instance, agency_id=user.agency_id)
    if request.method == "POST" and form.is_valid():
        risk_type = do_save_risk_type(
            form.save(commit=False),
            changed_fields=form.changed_data,
            creating=instance is None,
            acting_user=user,
        )
        messages.success(request, _("Saved: %(name)s.") % {"name": risk_type.name})
        return redirect("cases:risk_types")
    return render(request, "cases/risk_type_form.html", {"form": form, "risk_type": instance})
