"""The break-glass request form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pcm.access.actions import MAX_REASON_LENGTH, MIN_REASON_LENGTH


class BreakGlassForm(forms.Form):
    case_number = forms.CharField(
        label=gettext_lazy("Case number"),
        max_length=40,
        help_text=gettext_lazy("The exact number of a case of your agency."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        help_text=gettext_lazy(
            "Why you need this case now. It is kept, and the case's supervisor and your "
            "agency's managers and administrators are told."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_reason(self) -> str:
        reason: str = self.cleaned_data["reason"].strip()
        if len(reason) < MIN_REASON_LENGTH:
            raise forms.ValidationError(
                _("Write the reason in at least %(count)d characters: it is kept and reviewed.")
                % {"count": MIN_REASON_LENGTH}
            )
        if len(reason) > MAX_REASON_LENGTH:
            raise forms.ValidationError(
                _("Keep the reason under %(count)d characters.") % {"count": MAX_REASON_LENGTH}
            )
        return reason
