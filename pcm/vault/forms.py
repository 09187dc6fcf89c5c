"""Forms of the emergency purge pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pcm.vault.actions import MIN_REASON_LENGTH
from pcm.vault.emergency import CONFIRMATION_PHRASE

MAX_REASON_LENGTH = 1000


class PurgeRequestForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        help_text=gettext_lazy(
            "What happened, without names: it is kept and every administrator is told."
        ),
        widget=forms.Textarea(attrs={"rows": 4, "autofocus": True}),
    )

    def clean_reason(self) -> str:
        reason: str = self.cleaned_data["reason"].strip()
        if len(reason) < MIN_REASON_LENGTH:
            raise forms.ValidationError(
                _("Write the reason in at least %(count)d characters.")
                % {"count": MIN_REASON_LENGTH}
            )
        if len(reason) > MAX_REASON_LENGTH:
            raise forms.ValidationError(
                _("Keep the reason under %(count)d characters.") % {"count": MAX_REASON_LENGTH}
            )
        return reason


class PurgeApprovalForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    phrase = forms.CharField(
        label=gettext_lazy("Confirmation phrase"),
        help_text=gettext_lazy("Type the phrase shown above, in capital letters."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_phrase(self) -> str:
        phrase: str = self.cleaned_data["phrase"].strip()
        if phrase != CONFIRMATION_PHRASE:
            raise forms.ValidationError(
                _("The phrase does not match. Type exactly: %(phrase)s")
                % {"phrase": CONFIRMATION_PHRASE}
            )
        return phrase
