"""Forms of the people app: resolving a possible duplicate."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

LINK = "link"
DISMISS = "dismiss"


class DuplicateResolutionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(LINK, _("The same person")), (DISMISS, _("Different people"))],
        error_messages={"required": _("Choose whether they are the same person or not.")},
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. “Same phone: her sister's number, different person”."),
    )

    @property
    def same_person(self) -> bool:
        return bool(self.cleaned_data["decision"] == LINK)
