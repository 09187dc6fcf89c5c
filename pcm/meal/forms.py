"""MEAL forms: the period and filters (GET: codes and ids only, never personal data), the
export request and the agency's settings."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from pcm.accounts.models import Team
from pcm.cases.intake import AgeGroup
from pcm.cases.models import RiskLevel
from pcm.cases.taxonomy import RiskType
from pcm.locations.models import Location
from pcm.meal.models import MealSettings
from pcm.meal.query import DISABILITY_LABELS, Dim, Filters, Grain, Period, Scope
from pcm.people.models import DisplacementStatus, Sex

# How many calendar years back the period can go.
YEARS_BACK = 5


def default_period(today: date, zone: ZoneInfo) -> Period:
    """This calendar year, up to today."""
    return Period.calendar(Grain.YEAR, date(today.year, 1, 1), zone, today)


def period_choices(today: date) -> list[tuple[str, list[tuple[str, str]]]]:
    """The years, quarters and months offered, newest first, grouped."""
    years = range(today.year, today.year - YEARS_BACK, -1)
    quarters = []
    months = []
    for year in years:
        for quarter in range(4, 0, -1):
            if date(year, quarter * 3 - 2, 1) <= today:
                label = _("Q%(quarter)s %(year)s") % {"quarter": quarter, "year": year}
                quarters.append((f"{year}-Q{quarter}", str(label)))
        for month in range(12, 0, -1):
            first = date(year, month, 1)
            if first <= today:
                months.append((first.strftime("%Y-%m"), date_format(first, "YEAR_MONTH_FORMAT")))
    return [
        (str(_("Years")), [(str(year), str(year)) for year in years]),
        (str(_("Quarters")), quarters),
        (str(_("Months")), months),
    ]


def _any(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


class FilterForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=[],
        error_messages={"invalid_choice": _("Choose a year, a quarter or a month from the list.")},
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
        today = timezone.localdate(timezone=scope.zone)
        period_field = self.fields["period"]
        assert isinstance(period_field, forms.ChoiceField)  # noqa: S101 - declared above
        period_field.choices = period_choices(today)
        period_field.initial = default_period(today, scope.zone).code
        level_field.initial = 1 if 1 in levels else levels[0]

    def clean_period(self) -> Period | None:
        code = self.cleaned_data.get("period") or ""
        if not code:
            return None
        # One of the choices, so a period of the last five years up to today.
        return Period.from_code(code, self.scope.zone, timezone.localdate(timezone=self.scope.zone))

    def chosen_period(self) -> Period:
        data = self.cleaned_data if self.is_valid() else {}
        chosen = data.get("period")
        if isinstance(chosen, Period):
            return chosen
        return default_period(timezone.localdate(timezone=self.scope.zone), self.scope.zone)

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
