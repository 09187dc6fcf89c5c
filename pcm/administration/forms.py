"""Forms of the administration pages, with the cross-record rules they enforce."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from pcm.accounts.models import Agency, Office, Role, Team, User
from pcm.locations.models import Location


class AgencyForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Agency
        fields = ["name", "code", "country_code", "time_zone", "is_active"]
        fields += ["response_hours_high", "response_hours_medium", "response_hours_low"]

    def clean_time_zone(self) -> str:
        import zoneinfo

        value: str = self.cleaned_data["time_zone"]
        if value not in zoneinfo.available_timezones():
            raise forms.ValidationError(
                _("Unknown time zone. Use a name such as Asia/Baghdad or Europe/Kyiv.")
            )
        return value


class LocationForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Location
        fields = ["pcode", "name", "level", "parent"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parent, level = data.get("parent"), data.get("level")
        if parent is not None and level is not None and level != parent.level + 1:
            self.add_error(
                "level",
                _(
                    "This location must be at level %(level)d, one level below the area it "
                    "is part of."
                )
                % {"level": parent.level + 1},
            )
        if parent is None and level not in (None, 0):
            self.add_error("parent", _("Choose the area this location is part of."))
        return data


class OfficeForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Office
        fields = ["agency", "name", "location"]


class TeamForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Team
        fields = ["agency", "office", "name", "supervisor"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        supervisor = self.fields["supervisor"]
        assert isinstance(supervisor, forms.ModelChoiceField)  # noqa: S101 - a foreign key
        supervisor.queryset = User.objects.filter(role=Role.SUPERVISOR, is_active=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        agency = data.get("agency")
        office, supervisor = data.get("office"), data.get("supervisor")
        if agency and office and office.agency_id != agency.pk:
            self.add_error("office", _("Choose an office of the team's agency."))
        if agency and supervisor and supervisor.agency_id != agency.pk:
            self.add_error("supervisor", _("Choose a supervisor of the team's agency."))
        return data


def _team_label(team: Team) -> str:
    """Teams of every agency are listed: the agency code tells them apart."""
    return f"{team.agency.code} · {team.name}"


class UserForm(forms.ModelForm):  # type: ignore[type-arg]
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 12 characters; a passphrase is best. Give it to the person in a safe way; "
            "they set up two-factor authentication at first sign-in."
        ),
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "agency", "role", "team"]
        fields += ["is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].required = True
        self.fields["role"].required = True
        self.fields["email"].required = True
        if self.instance.pk is None:
            self.fields["password"].required = True
        else:
            self.fields["password"].label = _("New password")
            self.fields["password"].help_text = _(
                "Only to give the person a new password (they lost it and e-mail is not an "
                "option). Leave empty to keep the current one; they will be signed out."
            )
        team = self.fields["team"]
        assert isinstance(team, forms.ModelChoiceField)  # noqa: S101 - a foreign key
        team.queryset = Team.objects.select_related("agency").order_by("agency__name", "name")
        team.label_from_instance = _team_label  # type: ignore[method-assign,assignment]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        agency, team, role = data.get("agency"), data.get("team"), data.get("role")
        if team is not None and agency is not None and team.agency_id != agency.pk:
            self.add_error("team", _("Choose a team of the user's agency."))
        if role == Role.CASEWORKER and team is None:
            self.add_error("team", _("A caseworker works in a team: choose one."))
        if role != Role.CASEWORKER and team is not None:
            self.add_error(
                "team",
                _("Only caseworkers belong to a team; a supervisor is set on the team itself."),
            )
        password = data.get("password")
        if password:
            candidate = User(
                username=data.get("username", ""),
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
                email=data.get("email", ""),
            )
            try:
                validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data

    def save(self, commit: bool = True) -> User:
        user: User = super().save(commit=False)
        password = self.cleaned_data.get("password")
        if password:
            user.set_password(password)  # a new password hash ends the user's other sessions
        if commit:
            user.save()
        return user
