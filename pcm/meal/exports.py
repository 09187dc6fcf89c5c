"""A dashboard table as a spreadsheet (XLSX or CSV) for cluster reporting: a header row, then
the HXL hashtags row (hxlstandard.org) that 5W and ActivityInfo-style imports read.

Only what the page shows goes out: suppressed counts stay "<5" and hidden values stay empty.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from pcm.meal.indicators import Unit
from pcm.meal.query import DIM_LABELS, Dim, Filters, Period
from pcm.meal.reach import Reach
from pcm.meal.tables import Table

Value = str | int | float | None

# The hashtags of a group's name and code, by dimension (locations by their level).
GROUP_TAGS: dict[Dim, tuple[str, str]] = {
    Dim.SEX: ("#group +sex +name", "#group +sex +code"),
    Dim.AGE_GROUP: ("#group +age +name", "#group +age +code"),
    Dim.DISABILITY: ("#group +disability +name", "#group +disability +code"),
    Dim.DISPLACEMENT: ("#group +displacement +name", "#group +displacement +code"),
    Dim.RISK_TYPE: ("#group +risk +name", "#group +risk +code"),
    Dim.RISK_LEVEL: ("#severity +name", "#severity +code"),
    Dim.TEAM: ("#org +team +name", "#org +team +code"),
    Dim.AGENCY: ("#org +name", "#org +code"),
    Dim.CLOSURE_REASON: ("#group +closure +name", "#group +closure +code"),
    Dim.REFERRAL_STATUS: ("#status +referral +name", "#status +referral +code"),
    Dim.SECTOR: ("#sector +name", "#sector +code"),
    Dim.FEEDBACK_KIND: ("#group +feedback +kind +name", "#group +feedback +kind +code"),
    Dim.FEEDBACK_CHANNEL: ("#channel +name", "#channel +code"),
    Dim.FEEDBACK_CATEGORY: ("#group +feedback +category +name", "#group +feedback +category +code"),
    Dim.FEEDBACK_STATUS: ("#status +feedback +name", "#status +feedback +code"),
}


def location_tags(level: int) -> tuple[str, str]:
    if level == 0:
        return ("#country +name", "#country +code")
    return (f"#adm{level} +name", f"#adm{level} +code")


@dataclass(frozen=True)
class Sheet:
    title: str
    headers: list[str]
    hashtags: list[str]
    rows: list[list[Value]]


def sheet_of(table: Table, period: Period, filters: Filters, agency_name: str) -> Sheet:
    """TABLE as header, hashtags and rows (the total last)."""
    unit = table.indicator.unit
    if table.by_month:
        group_headers = [_("Month"), _("Month (code)")]
        group_tags = ["#date +month +name", "#date +month"]
    elif table.dim == Dim.LOCATION:
        group_headers = [_("Location"), _("P-code")]
        group_tags = list(location_tags(table.location_level))
    elif table.dim is not None:
        group_headers = [str(DIM_LABELS[table.dim]), _("Code")]
        group_tags = list(GROUP_TAGS[table.dim])
    else:
        group_headers, group_tags = [_("Group"), _("Code")], ["#group +name", "#group +code"]
    headers = [
        _("Indicator"),
        _("Indicator code"),
        _("Agency"),
        _("Period start"),
        _("Period end"),
        *group_headers,
        _("Numerator") if unit != Unit.COUNT else _("Count"),
    ]
    tags = [
        "#indicator +name",
        "#indicator +code",
        "#org +name",
        "#date +start",
        "#date +end",
        *group_tags,
        "#indicator +num" if unit != Unit.COUNT else "#indicator +value +num",
    ]
    if unit != Unit.COUNT:
        headers += [_("Denominator"), _("Value")]
        value_tag = "#indicator +value +pct" if unit == Unit.PERCENT else "#indicator +value +ratio"
        tags += ["#indicator +denom", value_tag]
    if table.indicator.target is not None:
        headers.append(_("Target"))
        tags.append("#indicator +target")
    filters_text = describe_filters(filters)
    if filters_text:
        headers.append(_("Filters"))
        tags.append("#meta +filters")
    rows: list[list[Value]] = []
    lines = [*table.rows, *([table.total] if table.total is not None else [])]
    for line in lines:
        row: list[Value] = [
            str(table.indicator.title),
            table.indicator.code,
            agency_name,
            period.start.isoformat(),
            period.end.isoformat(),
            line.label,
            line.code,
            line.numerator.shown if not line.numerator.suppressed else line.numerator.text,
        ]
        if unit != Unit.COUNT:
            denominator = line.denominator
            row.append(
                None
                if denominator is None
                else (denominator.shown if not denominator.suppressed else denominator.text)
            )
            row.append(line.value)
        if table.indicator.target is not None:
            row.append(table.indicator.target.text)
        if filters_text:
            row.append(filters_text)
        rows.append(row)
    return Sheet(table.title[:31], headers, tags, rows)


def describe_filters(filters: Filters) -> str:
    parts = []
    for name in filters.active():
        value = getattr(filters, name)
        shown = getattr(value, "pcode", None) or getattr(value, "code", None) or value
        if name == "team":
            shown = value.name
        parts.append(f"{name}={shown}")
    return "; ".join(parts)


def to_csv(sheet: Sheet) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(sheet.headers)
    writer.writerow(sheet.hashtags)
    for row in sheet.rows:
        writer.writerow(["" if value is None else value for value in row])
    # With a byte-order mark, so that spreadsheet programs read Arabic and Ukrainian right.
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(sheet: Sheet) -> bytes:
    book = Workbook()
    worksheet = book.active
    assert worksheet is not None  # noqa: S101 - a new workbook has one sheet
    worksheet.title = _safe_title(sheet.title)
    worksheet.append(sheet.headers)
    worksheet.append(sheet.hashtags)
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.rows:
        worksheet.append(row)
    worksheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _safe_title(title: str) -> str:
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in title).strip()
    return cleaned[:31] or "MEAL"


def sheet_of_reach(table: Reach, period: Period, filters: Filters, agency_name: str) -> Sheet:
    """The people-reached table: one row per location, one column per sex and age group."""
    name_tag, code_tag = location_tags(table.location_level)
    headers = [
        _("Agency"),
        _("Period start"),
        _("Period end"),
        _("Location"),
        _("P-code"),
        *table.columns,
        _("Total"),
    ]
    tags = ["#org +name", "#date +start", "#date +end", name_tag, code_tag, *table.hashtags]
    tags.append("#affected +total")
    filters_text = describe_filters(filters)
    if filters_text:
        headers.append(_("Filters"))
        tags.append("#meta +filters")
    rows: list[list[Value]] = []
    for line in [*table.rows, table.totals]:
        row: list[Value] = [
            agency_name,
            period.start.isoformat(),
            period.end.isoformat(),
            line.label,
            line.code,
            *(cell.shown if not cell.suppressed else cell.text for cell in line.cells),
            line.total.shown if not line.total.suppressed else line.total.text,
        ]
        if filters_text:
            row.append(filters_text)
        rows.append(row)
    return Sheet(str(table.title)[:31], headers, tags, rows)
