"""The caseload export: a CSV of the cases a user may see, with only the fields they may see.

Columns come from the user's field groups (pcm.access.fields): profile fields (status, sex, age
group, displacement status, area, dates) always; risk, identity, contact and document columns
only for the groups the user sees. A case whose current consent is withdrawn, or whose
identity a supervisor hid, keeps its row without its identifying columns. Cases are read in
batches, with their consent and risk types, so the number of queries does not grow per case.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import OuterRef, Subquery
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pcm.access.fields import FieldGroup, visible_groups
from pcm.accounts.models import Agency, User
from pcm.cases.consent import Consent
from pcm.cases.intake import IntakeScreening, age_group
from pcm.cases.models import Case
from pcm.exports.rules import Scope, cases_to_export
from pcm.people.models import Language

BATCH_SIZE = 500
# The groups whose columns identify a person, left out where consent was withdrawn.
IDENTIFYING_GROUPS = frozenset({FieldGroup.IDENTITY, FieldGroup.CONTACT, FieldGroup.DOCUMENTS})
# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Value = Callable[[Case, "Batch"], str]


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    value: Value
    group: str | None = None  # None: a profile field, shown with any visible case


@dataclass
class Batch:
    """What the rows of one batch need beyond the case itself."""

    today: date
    zone: ZoneInfo
    risk_types: dict[int, str] = field(default_factory=dict)


def _day(moment: datetime | None, batch: Batch) -> str:
    return moment.astimezone(batch.zone).date().isoformat() if moment else ""


def _age_group(case: Case, batch: Batch) -> str:
    age = case.person.age_on(batch.today)
    return str(age_group(age).label) if age is not None else ""


def _languages(case: Case, batch: Batch) -> str:
    labels = dict(Language.choices)
    return ", ".join(str(labels.get(code, code)) for code in case.person.languages)


COLUMNS: list[Column] = [
    Column("case_number", gettext_lazy("Case number"), lambda c, b: c.number),
    Column("status", gettext_lazy("Status"), lambda c, b: str(c.get_status_display())),
    Column(
        "risk_level",
        gettext_lazy("Risk level"),
        lambda c, b: str(c.get_risk_level_display()),
        FieldGroup.RISK,
    ),
    Column(
        "risk_types",
        gettext_lazy("Protection risks"),
        lambda c, b: b.risk_types.get(c.pk, ""),
        FieldGroup.RISK,
    ),
    Column("sex", gettext_lazy("Sex"), lambda c, b: str(c.person.get_sex_display())),
    Column("age_group", gettext_lazy("Age group"), _age_group),
    Column(
        "displacement_status",
        gettext_lazy("Displacement status"),
        lambda c, b: str(c.person.get_displacement_status_display()),
    ),
    Column(
        "area",
        gettext_lazy("Area"),
        lambda c, b: c.person.location.name if c.person.location else "",
    ),
    Column("languages", gettext_lazy("Languages"), _languages),
    Column("team", gettext_lazy("Team"), lambda c, b: c.team.name),
    Column(
        "caseworker",
        gettext_lazy("Caseworker"),
        lambda c, b: str(c.assigned_to) if c.assigned_to else "",
    ),
    Column("opened", gettext_lazy("Opened on"), lambda c, b: _day(c.opened_at, b)),
    Column(
        "first_response",
        gettext_lazy("First response on"),
        lambda c, b: _day(c.first_response_at, b),
    ),
    Column("closed", gettext_lazy("Closed on"), lambda c, b: _day(c.closed_at, b)),
    Column(
        "given_name",
        gettext_lazy("Given name"),
        lambda c, b: str(c.person.given_name),
        FieldGroup.IDENTITY,
    ),
    Column(
        "family_name",
        gettext_lazy("Family name"),
        lambda c, b: str(c.person.family_name),
        FieldGroup.IDENTITY,
    ),
    Column(
        "date_of_birth",
        gettext_lazy("Date of birth"),
        lambda c, b: c.person.date_of_birth.isoformat() if c.person.date_of_birth else "",
        FieldGroup.IDENTITY,
    ),
    Column(
        "date_of_birth_estimated",
        gettext_lazy("Date of birth estimated"),
        lambda c, b: _("yes") if c.person.date_of_birth_is_estimated else "",
        FieldGroup.IDENTITY,
    ),
    Column(
        "phone",
        gettext_lazy("Phone number"),
        lambda c, b: str(c.person.phone),
        FieldGroup.CONTACT,
    ),
    Column(
        "address",
        gettext_lazy("Exact address"),
        lambda c, b: str(c.person.address),
        FieldGroup.CONTACT,
    ),
    Column(
        "id_document_number",
        gettext_lazy("Identity document number"),
        lambda c, b: str(c.person.id_document_number),
        FieldGroup.DOCUMENTS,
    ),
]

# The person's encrypted fields each group needs; the others are never read (nor decrypted).
_PERSON_FIELDS = {
    FieldGroup.IDENTITY: ("given_name", "family_name"),
    FieldGroup.CONTACT: ("phone", "address"),
    FieldGroup.DOCUMENTS: ("id_document_number",),
}


def columns_for(groups: frozenset[str]) -> list[Column]:
    return [column for column in COLUMNS if column.group is None or column.group in groups]


def spreadsheet_safe(value: str) -> str:
    """VALUE, with an apostrophe before it if a spreadsheet would run it as a formula."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


@dataclass
class ExportSummary:
    """What an export held: counts and names of columns, never values."""

    cases: int = 0
    consent_withdrawn: int = 0
    identity_hidden: int = 0
    groups: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)


@dataclass
class CaseloadExport:
    """One user's caseload export, built in batches."""

    user: User
    scope: str
    exported_at: datetime
    summary: ExportSummary = field(default_factory=ExportSummary)

    def __post_init__(self) -> None:
        groups = visible_groups(self.user)
        self.columns = columns_for(groups)
        self.identifying = [c for c in self.columns if c.group in IDENTIFYING_GROUPS]
        self.summary.groups = sorted(groups)
        self.summary.columns = [column.key for column in self.columns]
        self.zone = agency_zone(self.user.agency)
        self.today = self.exported_at.astimezone(self.zone).date()

    def case_ids(self) -> list[int]:
        queryset = cases_to_export(self.user, self.scope).order_by("number")
        return list(queryset.values_list("pk", flat=True))

    def _batch_cases(self, ids: list[int]) -> list[Case]:
        latest_consent = Consent.objects.filter(case=OuterRef("pk")).order_by("-version")
        hidden_fields = [
            f"person__{name}"
            for group, names in _PERSON_FIELDS.items()
            if group not in self.summary.groups
            for name in names
        ]
        cases = (
            Case.objects.filter(pk__in=ids)
            .select_related("person", "person__location", "team", "assigned_to")
            .defer(*hidden_fields)
            .annotate(consent_withdrawn=Subquery(latest_consent.values("withdrawn")[:1]))
            .order_by("number")
        )
        return list(cases)

    def _risk_types(self, ids: list[int]) -> dict[int, str]:
        if FieldGroup.RISK not in self.summary.groups:
            return {}
        screenings = IntakeScreening.objects.filter(case_id__in=ids).prefetch_related("risk_types")
        return {
            screening.case_id: ", ".join(sorted(risk.name for risk in screening.risk_types.all()))
            for screening in screenings
        }

    def rows(self, ids: list[int]) -> Iterator[list[str]]:
        """The rows of the cases IDS (one batch), in case number order."""
        batch = Batch(today=self.today, zone=self.zone, risk_types=self._risk_types(ids))
        for case in self._batch_cases(ids):
            self.summary.cases += 1
            reason = ""
            if getattr(case, "consent_withdrawn", False):
                self.summary.consent_withdrawn += 1
                reason = _("consent withdrawn")
            elif case.identity_hidden:
                self.summary.identity_hidden += 1
                reason = _("identity hidden by the supervisor")
            row = []
            for column in self.columns:
                if reason and column.group in IDENTIFYING_GROUPS:
                    row.append("")
                else:
                    row.append(spreadsheet_safe(column.value(case, batch)))
            if self.identifying:
                row.append(reason)
            yield row

    def header(self) -> list[str]:
        labels = [str(column.label) for column in self.columns]
        if self.identifying:
            labels.append(_("Identifying data left out because"))
        return labels

    def marking(self) -> str:
        """The line saying who exported the file, when, and that it holds personal data."""
        return _(
            "Exported by %(name)s, %(role)s, on %(when)s. Contains personal data — handle "
            "according to the data protection policy."
        ) % {
            "name": exporter_name(self.user),
            "role": self.user.get_role_display(),
            "when": self.when(),
        }

    def when(self) -> str:
        local = self.exported_at.astimezone(self.zone)
        return f"{local:%Y-%m-%d %H:%M} ({self.zone.key})"

    def base_name(self) -> str:
        code = self.user.agency.code if self.user.agency else "PCM"
        local = self.exported_at.astimezone(self.zone)
        return f"{code}-caseload-{local:%Y-%m-%d-%H%M}"

    def readme(self) -> str:
        summary = self.summary
        scope = Scope(self.scope).label if self.scope in Scope.values else self.scope
        agency = self.user.agency
        lines = [
            _("Caseload export — %(agency)s") % {"agency": agency.name if agency else ""},
            "",
            _("CONTAINS PERSONAL DATA — handle according to the data protection policy."),
            _(
                "Keep this archive encrypted, never send its password in the same message, "
                "and delete the files when you no longer need them."
            ),
            "",
            _("Exported by: %(name)s, %(role)s")
            % {"name": exporter_name(self.user), "role": self.user.get_role_display()},
            _("Exported on: %(when)s") % {"when": self.when()},
            _("Cases: %(scope)s, %(count)d in all") % {"scope": scope, "count": summary.cases},
            "",
            _("Columns: %(columns)s")
            % {"columns": ", ".join(str(column.label) for column in self.columns)},
        ]
        not_seen = [
            str(FieldGroup(group).label)
            for group in FieldGroup.values
            if group not in summary.groups and group != FieldGroup.NARRATIVE
        ]
        if not_seen:
            lines.append(
                _("Left out because your role does not see them: %(groups)s.")
                % {"groups": "; ".join(not_seen)}
            )
        lines.append(_("Free-text notes, assessments and plans are never part of this export."))
        # Only an export with identifying columns has anything to leave out.
        if summary.consent_withdrawn and self.identifying:
            lines.append(
                _(
                    "%(count)d case(s): the service user withdrew consent, so their names, "
                    "contact details and document numbers are left out; the rest of the row "
                    "is kept for statistics."
                )
                % {"count": summary.consent_withdrawn}
            )
        if summary.identity_hidden and self.identifying:
            lines.append(
                _(
                    "%(count)d case(s): a supervisor hid the identity of these especially "
                    "sensitive cases, so their identifying columns are left out."
                )
                % {"count": summary.identity_hidden}
            )
        lines += [
            "",
            _(
                "The first line of the CSV file repeats who exported it and when. A value that "
                "starts with =, +, - or @ (a phone number, for example) is preceded by an "
                "apostrophe, so that spreadsheets do not run it as a formula."
            ),
        ]
        return "\r\n".join(lines) + "\r\n"


def exporter_name(user: User) -> str:
    full = user.get_full_name()
    return f"{full} ({user.username})" if full else user.username


def agency_zone(agency: Agency | None) -> ZoneInfo:
    try:
        return ZoneInfo(agency.time_zone if agency else "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def write_csv(export: CaseloadExport, batches: Iterator[list[list[str]]]) -> bytes:
    """The CSV file (UTF-8 with a byte-order mark, so that Excel reads it as UTF-8)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([export.marking()])
    writer.writerow(export.header())
    for rows in batches:
        writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")
