"""MEAL forms: the period and filters (GET: codes and ids only, never personal data), the
export request and the agency's settings."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcm.accounts.models import Team
from pcm.cases.intake import AgeGroup
from pcm.cases.models import RiskLevel
from pcm.cases.taxonomy import RiskType
from pcm.locations.models import Location
from pcm.meal.models import MealSettings
from pcm.meal.query import DISABILITY_LABELS, Dim, Filters, Period, Scope
from pcm.people.models import DisplacementStatus, Sex

# A period longer than this is refused: the trends draw one point a month.
MAX_DAYS = 366 * 5


def default_period(today: date) -> tuple[date, date]:
    """The last twelve months, this one included."""
    start = today.replace(day=1)
    for _month in range(11):
        start = (start - timedelta(days=1)).replace(day=1)
    return start, today


def _any(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


class FilterForm(forms.Form):
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=_any(_("Any")) + Sex.choices)
    age_group = forms.ChoiceField(
        label=_("Age group"), required=False, choices=_any(_("Any")) + AgeGroup.choices
    )
    disability = forms.ChoiceField(
        label=_("Disability"),
        required=False,
        choices=_any(_("Any")) + list(DISABILITY_LABELS.items()),
    )
    displacement = forms.ChoiceField(
        label=_("Displacement status"),
        required=False,
        choices=_any(_("Any")) + DisplacementStatus.choices,
    )
    location = forms.ModelChoiceField(
        label=_("Location"),
        required=False,
        queryset=Location.objects.order_by("level", "name"),
        empty_label=_("Anywhere"),
    )
    risk_type = forms.ModelChoiceField(
        label=_("Protection risk"),
        required=False,
        queryset=RiskType.objects.none(),
        empty_label=_("Any"),
    )
    risk_level = forms.ChoiceField(
        label=_("Risk level"), required=False, choices=_any(_("Any")) + RiskLevel.choices
    )
    team = forms.ModelChoiceField(
        label=_("Team"), required=False, queryset=Team.objects.none(), empty_label=_("Any")
    )
    level = forms.TypedChoiceField(
        label=_("Location level"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[],
    )

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope = scope
        risk_field = self.fields["risk_type"]
        team_field = self.fields["team"]
        assert isinstance(risk_field, forms.ModelChoiceField)  # noqa: S101 - declared above
        assert isinstance(team_field, forms.ModelChoiceField)  # noqa: S101 - declared above
        risk_field.queryset = RiskType.objects.filter(agency=scope.agency).order_by("code")
        teams = Team.objects.filter(agency=scope.agency).order_by("name")
        if scope.team_ids is not None:
            teams = teams.filter(pk__in=scope.team_ids)
        team_field.queryset = teams
        levels = sorted(set(Location.objects.values_list("level", flat=True))) or [1]
        level_field = self.fields["level"]
        assert isinstance(level_field, forms.TypedChoiceField)  # noqa: S101 - declared above
        level_field.choices = [(level, str(level)) for level in levels]
        # An unfiltered page shows the period and level its tables use.
        start, end = default_period(timezone.localdate(timezone=scope.zone))
        self.fields["start"].initial = start
        self.fields["end"].initial = end
        level_field.initial = 1 if 1 in levels else levels[0]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end of the period must be on or after its start."))
        elif start and end and (end - start).days > MAX_DAYS:
            self.add_error("end", _("Choose a period of at most five years."))
        return data

    def period(self) -> Period:
        today = timezone.localdate(timezone=self.scope.zone)
        start, end = default_period(today)
        data = self.cleaned_data if self.is_valid() else {}
        return Period(data.get("start") or start, data.get("end") or end, self.scope.zone)

    def filters(self) -> Filters:
        data = self.cleaned_data if self.is_valid() else {}
        return Filters(
            sex=data.get("sex", ""),
            age_group=data.get("age_group", ""),
            disability=data.get("disability", ""),
            displacement=data.get("displacement", ""),
            location=data.get("location"),
            risk_type=data.get("risk_type"),
            risk_level=data.get("risk_level", ""),
            team=data.get("team"),
        )

    def location_level(self) -> int:
        data = self.cleaned_data if self.is_valid() else {}
        level = data.get("level")
        return int(level) if level is not None else 1


class ExportForm(forms.Form):
    """Which table to export, and how: the filters travel with it as in the page's address."""

    indicator = forms.CharField(max_length=40)
    table = forms.ChoiceField(
        choices=[("month", "month"), ("total", "total"), *((d.value, d.value) for d in Dim)],
    )
    file_format = forms.ChoiceField(label=_("Format"), choices=[("xlsx", "XLSX"), ("csv", "CSV")])


class SettingsForm(forms.ModelForm):  # type: ignore[type-arg]
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = MealSettings
        fields = ["small_cell_threshold"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
