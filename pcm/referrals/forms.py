"""Forms of referrals: the referral itself, and each step of its life."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pcm.referrals.models import ReferralStatus, Urgency
from pcm.referrals.sharing import ReferralConsent
from pcm.services.models import Service


class ServiceChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        assert isinstance(obj, Service)  # noqa: S101 - the queryset holds services
        return f"{obj.name} — {obj.provider.name} ({obj.get_sector_display()})"


class ReferralForm(forms.Form):
    service = ServiceChoiceField(label=_("Service"), queryset=Service.objects.none())
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Urgency.choices,
        help_text=_("Follows the case's risk level; the service's answer is due accordingly."),
    )
    reason = forms.CharField(
        label=_("Reason for the referral"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_(
            "The provider reads it. Write only what they need to help; nothing about others."
        ),
    )
    note_for_provider = forms.CharField(
        label=_("Note for the provider"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text=_("e.g. the safe times and ways to make contact, an interpreter needed."),
    )
    shared_fields = forms.MultipleChoiceField(
        label=_("Information to share"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick the minimum the service needs. The consent limits what can be ticked."),
    )

    def __init__(
        self,
        *args: Any,
        services: QuerySet[Service],
        consent: ReferralConsent,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        service_field = self.fields["service"]
        assert isinstance(service_field, forms.ModelChoiceField)  # noqa: S101 - declared above
        service_field.queryset = services
        self.consent = consent
        shared = self.fields["shared_fields"]
        assert isinstance(shared, forms.MultipleChoiceField)  # noqa: S101 - declared above
        shared.choices = [
            (choice.field.key, choice.field.label) for choice in consent.choices if choice.allowed
        ]

    def clean_shared_fields(self) -> list[str]:
        keys: list[str] = self.cleaned_data["shared_fields"]
        return keys


class StepForm(forms.Form):
    """One step of a referral: the status it moves to, and its text (reason, outcome, note)."""

    status = forms.ChoiceField(choices=ReferralStatus.choices)
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    text = forms.CharField(
        required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class FocalPointForm(forms.Form):
    user = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    remove = forms.BooleanField(required=False, widget=forms.HiddenInput)
