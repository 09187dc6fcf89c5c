"""Forms of the intake step: search before registering, consent, exceptions, the household."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcm.access.fields import FieldGroup
from pcm.accounts.models import Agency
from pcm.cases.consent import ConsentMethod, ContactMethod, GivenBy
from pcm.cases.household import Relationship
from pcm.cases.intake_actions import ConsentDetails, MemberDetails
from pcm.people.models import Sex


class PersonSearchForm(forms.Form):
    """Search before registering, so that nobody is registered twice (posted: no names in URLs)."""

    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    phone = forms.CharField(label=_("Phone number"), max_length=32, required=False)
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = data.get("name") or data.get("phone") or data.get("date_of_birth")
        if not given and not self.errors:
            raise forms.ValidationError(
                _("Enter a name, a phone number or a date of birth to search.")
            )
        return data


class ConsentForm(forms.Form):
    given_by = forms.ChoiceField(
        label=_("Who gave consent"), choices=GivenBy.choices, widget=forms.RadioSelect
    )
    given_by_name = forms.CharField(
        label=_("Name of the caregiver or representative"), max_length=200, required=False
    )
    assent_reason = forms.CharField(
        label=_("Why assent instead of consent"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    method = forms.ChoiceField(
        label=_("How it was given"), choices=ConsentMethod.choices, widget=forms.RadioSelect
    )
    given_at = forms.DateTimeField(
        label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    case_management = forms.BooleanField(label=_("Case management"), required=False)
    referrals = forms.BooleanField(label=_("Referrals to services"), required=False)
    data_sharing = forms.BooleanField(
        label=_("Sharing information with the agencies named below"), required=False
    )
    share_with = forms.ModelMultipleChoiceField(
        label=_("Agencies on PCM"),
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    share_with_others = forms.CharField(
        label=_("Other organisations (not on PCM)"), max_length=500, required=False
    )
    shared_fields = forms.MultipleChoiceField(
        label=_("Information that may be shared with other agencies"),
        choices=FieldGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Ask about each kind of information. Only what is ticked goes to the agencies "
            "named above, in a referral or a transfer; the rest stays with your agency."
        ),
    )
    safe_contact_methods = forms.MultipleChoiceField(
        label=_("Safe ways to make contact"),
        choices=ContactMethod.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contact_restrictions = forms.CharField(
        label=_("Contact restrictions"),
        required=False,
        max_length=1000,
        help_text=_("e.g. “no calls after 6 pm”, “do not leave messages”."),
    )
    consent_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_given_at(self) -> Any:
        given_at = self.cleaned_data["given_at"]
        if given_at > timezone.now():
            raise forms.ValidationError(_("Consent cannot be given in the future."))
        return given_at

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("given_by") and data["given_by"] != GivenBy.SERVICE_USER:
            if not data.get("assent_reason"):
                self.add_error(
                    "assent_reason",
                    _("Say why a caregiver or legal representative gives consent."),
                )
            if not data.get("given_by_name"):
                self.add_error("given_by_name", _("Name the caregiver or representative."))
        if data.get("data_sharing") and not (
            data.get("share_with") or data.get("share_with_others")
        ):
            self.add_error("share_with", _("Name at least one agency information may go to."))
        if data.get("data_sharing") and not data.get("shared_fields"):
            self.add_error(
                "shared_fields",
                _("Tick the information that may be shared, or untick sharing with agencies."),
            )
        if not (data.get("case_management") or data.get("referrals") or data.get("data_sharing")):
            self.add_error(
                "case_management",
                _("Tick what the person consents to, or withdraw consent instead."),
            )
        return data

    def details(self) -> ConsentDetails:
        data = self.cleaned_data
        return ConsentDetails(
            given_by=GivenBy(data["given_by"]),
            given_by_name=data["given_by_name"],
            assent_reason=data["assent_reason"],
            method=ConsentMethod(data["method"]),
            given_at=data["given_at"],
            case_management=data["case_management"],
            referrals=data["referrals"],
            data_sharing=data["data_sharing"],
            share_with=list(data["share_with"]),
            share_with_others=data["share_with_others"],
            shared_fields=list(data["shared_fields"]) if data["data_sharing"] else [],
            safe_contact_methods=list(data["safe_contact_methods"]),
            contact_restrictions=data["contact_restrictions"],
        )


class ExceptionDecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment for the caseworker"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class HouseholdMemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    relationship = forms.ChoiceField(
        label=_("Relationship to the service user"), choices=[("", "—"), *Relationship.choices]
    )
    age = forms.IntegerField(label=_("Age"), min_value=0, max_value=120, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices])
    at_risk = forms.BooleanField(label=_("Also at risk"), required=False)
    own_case_number = forms.CharField(
        label=_("Their own case number, if they have one"), max_length=40, required=False
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def details(self, own_case: Any) -> MemberDetails:
        data = self.cleaned_data
        return MemberDetails(
            name=data["name"],
            relationship=data["relationship"],
            age=data["age"],
            sex=data["sex"],
            at_risk=data["at_risk"],
            note=data["note"],
            own_case=own_case,
        )
