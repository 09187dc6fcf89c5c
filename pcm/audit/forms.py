"""The audit trail's filters and the case-number form of a data subject request."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pcm.accounts.models import User
from pcm.audit.labels import event_choices


class UserChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.get_full_name() or obj.username} · {obj.get_role_display()}"


class TrailFilterForm(forms.Form):
    """Filters of the trail page (a GET form: a bad value is shown, the others still apply)."""

    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    user = UserChoiceField(
        label=_("User"), queryset=User.objects.none(), required=False, empty_label=_("Anyone")
    )
    event_type = forms.ChoiceField(label=_("Event"), required=False)
    case = forms.CharField(label=_("Case number"), required=False, max_length=40, strip=True)

    def __init__(self, *args: Any, agency_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        users = (
            User.objects.filter(agency_id=agency_id).order_by("first_name", "last_name")
            if agency_id is not None
            else User.objects.none()
        )
        self.fields["user"].queryset = users  # type: ignore[attr-defined]
        self.fields["event_type"].choices = [("", _("Any event")), *event_choices()]  # type: ignore[attr-defined]
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select" if select else "form-control"

    def clean_case(self) -> str:
        return str(self.cleaned_data.get("case") or "").upper()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned


class CaseNumberForm(forms.Form):
    """Which service user a data subject request is about: the number of one of their cases."""

    case = forms.CharField(
        label=_("Case number"),
        max_length=40,
        strip=True,
        help_text=_("The number of any case of the service user, e.g. APN-IQ-2026-00042."),
    )
