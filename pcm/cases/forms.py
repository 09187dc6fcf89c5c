"""Forms for registering a service user with a new case, searching and reassigning cases."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcm.access import policy
from pcm.accounts.models import Role, User
from pcm.cases.actions import ScreeningDetails
from pcm.cases.intake import ADULT_AGE, Eligibility, Safeguard
from pcm.cases.models import CaseStatus, RiskLevel
from pcm.cases.taxonomy import RiskType
from pcm.locations.models import Location
from pcm.people.actions import PersonDetails
from pcm.people.models import DisplacementStatus, Language, Person, Sex

OLDEST_AGE = 120
ADDRESS_LENGTH = 500
_PHONE = re.compile(r"^\+?[0-9 ()\-]{6,24}$")


def locations_of_agency(user: User) -> Any:
    """Administrative areas of the user's agency's country (any level below the country)."""
    country = user.agency.country_code if user.agency else ""
    return (
        Location.objects.filter(
            Q(parent__pcode=country)
            | Q(parent__parent__pcode=country)
            | Q(parent__parent__parent__pcode=country)
        )
        .select_related("parent")
        .order_by("name")
    )


class CaseworkerChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} — {obj.team}" if obj.team else str(obj)


class PersonFieldsForm(forms.Form):
    """A person's identity, contact and profile: registration and corrections share it."""

    given_name = forms.CharField(label=_("Given name"), max_length=150)
    family_name = forms.CharField(label=_("Family name"), max_length=150, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices])
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty when only an estimated age is known."),
    )
    estimated_age = forms.IntegerField(
        label=_("Estimated age in years"),
        required=False,
        min_value=0,
        max_value=OLDEST_AGE,
        help_text=_("Only when the date of birth is not known."),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        help_text=_("Only a number that is safe to call."),
    )
    address = forms.CharField(
        label=_("Exact address"),
        max_length=ADDRESS_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
        help_text=_("Optional. Only where it is safe to keep, e.g. for home visits."),
    )
    id_document_number = forms.CharField(
        label=_("Identity document number"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Optional. Only if the person agrees and a service needs it."),
    )
    location = forms.ModelChoiceField(
        label=_("Location"),
        queryset=Location.objects.filter(level__gt=0).order_by("name"),
        required=False,
    )
    displacement_status = forms.ChoiceField(
        label=_("Displacement status"), choices=[("", "—"), *DisplacementStatus.choices]
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, acting_user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.acting_user = acting_user
        location = self.fields["location"]
        assert isinstance(location, forms.ModelChoiceField)  # noqa: S101 - declared above
        location.queryset = locations_of_agency(acting_user)
        location.empty_label = "—"

    def clean_given_name(self) -> str:
        return " ".join(self.cleaned_data["given_name"].split())

    def clean_family_name(self) -> str:
        return " ".join(self.cleaned_data["family_name"].split())

    def clean_phone(self) -> str:
        phone: str = self.cleaned_data["phone"].strip()
        if phone and not _PHONE.match(phone):
            raise forms.ValidationError(
                _("Enter a phone number with digits only (a leading + and spaces are allowed).")
            )
        return phone

    def clean_address(self) -> str:
        return "\n".join(line.strip() for line in self.cleaned_data["address"].strip().splitlines())

    def clean_id_document_number(self) -> str:
        return " ".join(self.cleaned_data["id_document_number"].split())

    def clean_date_of_birth(self) -> date | None:
        born: date | None = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if born is not None and born > today:
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        if born is not None and today.year - born.year > OLDEST_AGE:
            raise forms.ValidationError(
                _("Check the year: this date of birth makes the person older than 120.")
            )
        return born

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        born = data.get("date_of_birth")
        estimated = data.get("estimated_age")
        if born is not None and estimated is not None:
            self.add_error(
                "estimated_age",
                _("Give either a date of birth or an estimated age, not both."),
            )
        elif born is None and estimated is None and "date_of_birth" not in self.errors:
            self.add_error(
                "date_of_birth",
                _("Enter a date of birth, or an estimated age if the date is not known."),
            )
        return data

    def age(self) -> int | None:
        return self._age(self.cleaned_data)

    @staticmethod
    def _age(data: dict[str, Any]) -> int | None:
        born = data.get("date_of_birth")
        if born is not None:
            today = timezone.localdate()
            return int(today.year - born.year - ((today.month, today.day) < (born.month, born.day)))
        estimated = data.get("estimated_age")
        return int(estimated) if estimated is not None else None

    def person_details(self) -> PersonDetails:
        data = self.cleaned_data
        born = data["date_of_birth"]
        estimated = born is None
        if estimated:
            # An estimated age is kept as 1 January of the estimated birth year.
            born = date(timezone.localdate().year - data["estimated_age"], 1, 1)
        return PersonDetails(
            given_name=data["given_name"],
            family_name=data["family_name"],
            sex=data["sex"],
            date_of_birth=born,
            date_of_birth_is_estimated=estimated,
            phone=data["phone"],
            location=data["location"],
            displacement_status=data["displacement_status"],
            languages=list(data["languages"]),
            address=data["address"],
            id_document_number=data["id_document_number"],
        )


class PersonEditForm(PersonFieldsForm):
    """Correcting a registered person's record; VERSION refuses an edit made meanwhile."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("This form is incomplete: open the page again and make your change."),
            "invalid": _("This form is incomplete: open the page again and make your change."),
        },
    )

    @staticmethod
    def initial_for(person: Person) -> dict[str, Any]:
        estimated = person.date_of_birth_is_estimated or person.date_of_birth is None
        return {
            "given_name": person.given_name,
            "family_name": person.family_name,
            "sex": person.sex,
            "date_of_birth": None if estimated else person.date_of_birth,
            "estimated_age": person.age if estimated else None,
            "phone": person.phone,
            "address": person.address,
            "id_document_number": person.id_document_number,
            "location": person.location_id,
            "displacement_status": person.displacement_status,
            "languages": person.languages,
            "version": person.version,
        }


class IntakeForm(PersonFieldsForm):
    """A person's identity and the new case's risk level and caseworker."""

    risk_types = forms.ModelMultipleChoiceField(
        label=_("Protection risks"),
        queryset=RiskType.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The risks the person faces now, from your agency's intake criteria."),
    )
    eligibility = forms.ChoiceField(
        label=_("Eligibility decision"),
        choices=Eligibility.choices,
        widget=forms.RadioSelect,
    )
    eligibility_reason = forms.CharField(
        label=_("Reason for the decision"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    risk_level = forms.ChoiceField(
        label=_("Risk level"),
        choices=[("", "—"), *RiskLevel.choices],
        help_text=_("How grave the risk is now; it sets how soon the first response is due."),
    )
    assigned_to = CaseworkerChoiceField(
        label=_("Caseworker"), queryset=User.objects.none(), required=False
    )
    given = forms.CharField(
        label=_("Information or referral given"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. “Referred to the GBV case management service of the women's centre”."),
    )
    exception_reason = forms.CharField(
        label=_("Why PCM should take this case"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. no specialised service reaches this area; the supervisor decides."),
    )

    def __init__(self, *args: Any, acting_user: User, **kwargs: Any) -> None:
        super().__init__(*args, acting_user=acting_user, **kwargs)
        risk_types = self.fields["risk_types"]
        assert isinstance(risk_types, forms.ModelMultipleChoiceField)  # noqa: S101 - declared
        risk_types.queryset = RiskType.objects.filter(
            agency=acting_user.agency, is_active=True
        ).order_by("code")
        if acting_user.role == Role.SUPERVISOR:
            teams = policy.teams_for_intake(acting_user)
            field = self.fields["assigned_to"]
            assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
            field.queryset = (
                User.objects.filter(team__in=teams, role=Role.CASEWORKER, is_active=True)
                .select_related("team")
                .order_by("first_name", "last_name")
            )
            field.required = True
        else:
            del self.fields["assigned_to"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("eligibility") == Eligibility.NOT_ELIGIBLE and self.decision == "open":
            self.add_error(
                "eligibility",
                _("A person who is not eligible gets no case: record what you gave them."),
            )
        if self.decision in ("refer", "contact") and not data.get("given"):
            self.add_error("given", _("Say what information or referral the person was given."))
        if self.decision == "exception" and not data.get("exception_reason"):
            self.add_error(
                "exception_reason",
                _("Explain why PCM should take this case instead of specialised services."),
            )
        return data

    @property
    def decision(self) -> str:
        """Which button was pressed: open a case, refer, record a contact, ask an exception."""
        value = self.data.get("decision", "open")
        return value if value in ("open", "refer", "contact", "exception") else "open"

    def safeguard(self) -> Safeguard:
        """A child or a GBV survivor goes to specialised case management, not to PCM."""
        age = self.age()
        if age is not None and age < ADULT_AGE:
            return Safeguard.CHILD
        if any(risk.routes_to_gbv for risk in self.cleaned_data.get("risk_types", [])):
            return Safeguard.GBV
        return Safeguard.NONE

    def safeguard_if_known(self) -> Safeguard:
        """The safeguard from the fields that are valid so far (for re-showing the panel)."""
        try:
            return self.safeguard()
        except (KeyError, TypeError):
            return Safeguard.NONE

    def screening(self) -> ScreeningDetails:
        data = self.cleaned_data
        return ScreeningDetails(
            risk_types=list(data["risk_types"]),
            eligibility=Eligibility(data["eligibility"]),
            eligibility_reason=data["eligibility_reason"],
            safeguard=self.safeguard(),
            exception_reason=data.get("exception_reason", ""),
        )

    def caseworker(self) -> User:
        chosen = self.cleaned_data.get("assigned_to")
        return chosen if isinstance(chosen, User) else self.acting_user


class CaseFilterForm(forms.Form):
    """Filters of the case list; they travel in the query string, so they hold no names."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All open cases")), *CaseStatus.choices, ("all", _("All cases"))],
    )
    risk = forms.ChoiceField(
        label=_("Risk level"), required=False, choices=[("", _("Any risk")), *RiskLevel.choices]
    )


class CaseSearchForm(forms.Form):
    """Search terms are posted, never put in the URL, because they may be names."""

    q = forms.CharField(
        label=_("Case number or name"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class ReassignForm(forms.Form):
    caseworker = CaseworkerChoiceField(
        label=_("New caseworker"), queryset=User.objects.none(), empty_label=None
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, caseworkers: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["caseworker"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = User.objects.filter(pk__in=[user.pk for user in caseworkers]).order_by(
            "first_name", "last_name"
        )
