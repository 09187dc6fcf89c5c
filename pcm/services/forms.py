"""Forms of the service directory: search, provider and service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pcm.accounts.models import Agency
from pcm.locations.models import Location
from pcm.people.models import Language, Sex
from pcm.services.models import Provider, Sector, Service


class SearchForm(forms.Form):
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("Any sector")), *Sector.choices]
    )
    location = forms.ModelChoiceField(
        label=_("Area"),
        required=False,
        queryset=Location.objects.order_by("level", "name"),
        empty_label=_("Any area"),
    )
    age = forms.IntegerField(label=_("Age"), required=False, min_value=0, max_value=130)
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=[("", _("Any")), *Sex.choices])
    text = forms.CharField(label=_("Name contains"), required=False, max_length=100)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ProviderForm(forms.ModelForm):  # type: ignore[type-arg]
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Provider
        fields = [
            "name",
            "pcm_agency",
            "focal_point_name",
            "focal_point_phone",
            "focal_point_email",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["pcm_agency"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - a foreign key
        field.queryset = Agency.objects.order_by("name")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class ServiceForm(forms.ModelForm):  # type: ignore[type-arg]
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        required=False,
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Service
        fields = [
            "provider",
            "name",
            "sector",
            "locations",
            "min_age",
            "max_age",
            "serves_female",
            "serves_male",
            "serves_other",
            "eligibility_notes",
            "languages",
            "accessible",
            "accessibility_note",
            "opening_hours",
            "cost",
            "how_to_refer",
            "response_days",
        ]
        widgets = {
            "eligibility_notes": forms.Textarea(attrs={"rows": 2}),
            "how_to_refer": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, agency_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provider = self.fields["provider"]
        assert isinstance(provider, forms.ModelChoiceField)  # noqa: S101 - a foreign key
        provider.queryset = Provider.objects.filter(agency_id=agency_id)
        locations = self.fields["locations"]
        assert isinstance(locations, forms.ModelMultipleChoiceField)  # noqa: S101 - a foreign key
        locations.queryset = Location.objects.order_by("level", "name")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and low > high:
            self.add_error("max_age", _("The maximum age must not be below the minimum age."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Directory file"),
        help_text=_("An XLSX workbook or a CSV file (UTF-8), at most 5 MB."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,.csv,application/vnd.openxmlformats-officedocument"
                ".spreadsheetml.sheet,text/csv"
            }
        ),
    )
