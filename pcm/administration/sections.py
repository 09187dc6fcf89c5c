"""What the administration pages manage: one entry per kind of record, in menu order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pcm.accounts.models import Agency, Office, Team, User
from pcm.administration.forms import AgencyForm, LocationForm, OfficeForm, TeamForm, UserForm
from pcm.locations.models import Location


@dataclass(frozen=True)
class Column:
    label: str | Promise
    value: Callable[[Any], object]


@dataclass(frozen=True)
class Section:
    slug: str
    title: str | Promise
    add_label: str | Promise  # a whole phrase per kind, so translations can agree in gender
    form: type[ModelForm[Any]]
    queryset: Callable[[], QuerySet[Any]]
    columns: tuple[Column, ...]


def _yes_no(value: bool) -> Promise:
    return _("yes") if value else _("no")


SECTIONS: dict[str, Section] = {
    section.slug: section
    for section in (
        Section(
            "agencies",
            _("Agencies"),
            _("Add an agency"),
            AgencyForm,
            lambda: Agency.objects.all(),
            (
                Column(_("Name"), lambda a: a.name),
                Column(_("Case number prefix"), lambda a: a.case_number_prefix),
                Column(_("Time zone"), lambda a: a.time_zone),
                Column(_("Active"), lambda a: _yes_no(a.is_active)),
            ),
        ),
        Section(
            "locations",
            _("Locations"),
            _("Add a location"),
            LocationForm,
            lambda: Location.objects.select_related("parent"),
            (
                Column(_("P-code"), lambda loc: loc.pcode),
                Column(_("Name"), lambda loc: loc.name),
                Column(_("Level"), lambda loc: loc.level),
                Column(_("Part of"), lambda loc: loc.parent or "—"),
            ),
        ),
        Section(
            "offices",
            _("Offices"),
            _("Add an office"),
            OfficeForm,
            lambda: Office.objects.select_related("agency", "location"),
            (
                Column(_("Name"), lambda o: o.name),
                Column(_("Agency"), lambda o: o.agency),
                Column(_("Location"), lambda o: o.location or "—"),
            ),
        ),
        Section(
            "teams",
            _("Teams"),
            _("Add a team"),
            TeamForm,
            lambda: Team.objects.select_related("agency", "office", "supervisor"),
            (
                Column(_("Name"), lambda t: t.name),
                Column(_("Agency"), lambda t: t.agency),
                Column(_("Office"), lambda t: t.office or "—"),
                Column(_("Supervisor"), lambda t: t.supervisor or "—"),
            ),
        ),
        Section(
            "users",
            _("Users"),
            _("Add a user"),
            UserForm,
            lambda: User.objects.select_related("agency", "team"),
            (
                Column(_("Username"), lambda u: u.username),
                Column(pgettext_lazy("name of a person", "Name"), lambda u: u.get_full_name()),
                Column(_("Agency"), lambda u: u.agency or "—"),
                Column(_("Role"), lambda u: u.get_role_display()),
                Column(_("Team"), lambda u: u.team or "—"),
                Column(_("Active"), lambda u: _yes_no(u.is_active)),
            ),
        ),
    )
}


def section_or_404(slug: str) -> Section:
    from django.http import Http404

    try:
        return SECTIONS[slug]
    except KeyError:
        raise Http404 from None


def record_or_404(section: Section, pk: int) -> Model:
    from django.http import Http404

    record: Model | None = section.queryset().filter(pk=pk).first()
    if record is None:
        raise Http404
    return record
