"""Forms of pcm.retention."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pcm.retention.models import MAX_RETENTION_MONTHS, MIN_RETENTION_MONTHS, ErasureReason
from pcm.vault.archive import MIN_PASSWORD_LENGTH


class RetentionForm(forms.Form):
    retention_months = forms.IntegerField(
        label=_("Anonymise closed cases after (months)"),
        min_value=MIN_RETENTION_MONTHS,
        max_value=MAX_RETENTION_MONTHS,
        help_text=_(
            "From %(low)d to %(high)d months after a case is closed, its names, contact details "
            "and narratives are erased; the statistics stay."
        )
        % {"low": MIN_RETENTION_MONTHS, "high": MAX_RETENTION_MONTHS},
        error_messages={
            "required": _("Give the number of months."),
            "invalid": _("Give a whole number of months."),
            "min_value": _("Choose at least %(limit_value)s month."),
            "max_value": _("Choose at most %(limit_value)s months."),
        },
    )
    # The value the page showed: a change by someone else meanwhile is refused.
    current = forms.IntegerField(widget=forms.HiddenInput)


class ArchivePasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Archive password"),
        min_length=MIN_PASSWORD_LENGTH,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least %(count)d characters. PCM does not keep it: give it to the service user "
            "separately from the file (e.g. in person or by phone)."
        )
        % {"count": MIN_PASSWORD_LENGTH},
        error_messages={
            "required": _("Choose a password for the archive."),
            "min_length": _("Use at least %(limit_value)d characters for the archive password."),
        },
    )
    password_again = forms.CharField(
        label=_("Archive password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Type the archive password a second time.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password"), data.get("password_again")
        if first and second is not None and first != second:
            self.add_error("password_again", _("The two passwords differ. Type them again."))
        return data


class ErasureRequestForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=ErasureReason.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Only this choice is kept. Do not write the person's circumstances anywhere in PCM."
        ),
        error_messages={"required": _("Choose the reason for the erasure.")},
    )
    understood = forms.BooleanField(
        label=_(
            "I understand that once a manager confirms, the service user's names, contact "
            "details and every narrative of their cases are erased for good."
        ),
        error_messages={"required": _("Tick the box to confirm you understand.")},
    )


class DecisionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ConfirmErasureForm(DecisionForm):
    understood = forms.BooleanField(
        label=_(
            "I have checked the request. Erase the service user's data now; this cannot be undone."
        ),
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )
