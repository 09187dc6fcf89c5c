"""The export form: what to export, and the password that will protect the archive."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pcm.exports.rules import Scope
from pcm.vault.archive import MIN_PASSWORD_LENGTH


class ExportForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Which cases"),
        choices=Scope.choices,
        initial=Scope.OPEN,
        widget=forms.RadioSelect,
    )
    password = forms.CharField(
        label=_("Password for the archive"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least %(minimum)d characters. PCM does not keep it: remember it, and give it "
            "to whoever needs the file by another way than the file itself."
        )
        % {"minimum": MIN_PASSWORD_LENGTH},
    )
    password_again = forms.CharField(
        label=_("The same password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if len(password) < MIN_PASSWORD_LENGTH:
            raise forms.ValidationError(
                _("The password is too short: use at least %(minimum)d characters.")
                % {"minimum": MIN_PASSWORD_LENGTH}
            )
        return password

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password, again = data.get("password"), data.get("password_again")
        if password and again is not None and password != again:
            self.add_error(
                "password_again", _("The two passwords are not the same: type them again.")
            )
        return data
