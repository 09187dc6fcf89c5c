"""The service directory as a spreadsheet (XLSX or CSV): its columns, and the file an export
writes. One row per service, with its provider's columns repeated on each of the provider's
rows: the layout of the 4W and service-mapping sheets that clusters keep. Titles, sectors,
costs, languages and yes/no are written in the user's language (and read in any language of
PCM: see spreadsheet_check).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from pcm.locations.models import Location
from pcm.people.models import Language
from pcm.services.models import Cost, FileFormat, Provider, Sector, Service

# A cell starting with one of these is a formula to a spreadsheet program: the CSV export
# puts an apostrophe before it, and the import takes that apostrophe off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
YES = gettext_lazy("yes")
NO = gettext_lazy("no")


@dataclass(frozen=True)
class Column:
    key: str
    title: Promise
    help: Promise
    required: bool = False  # the file must have this column


COLUMNS: tuple[Column, ...] = (
    Column(
        "provider",
        gettext_lazy("Provider name"),
        gettext_lazy("The organisation offering the service. Required on every row."),
        required=True,
    ),
    Column("focal_point_name", gettext_lazy("Focal point name"), gettext_lazy("Optional.")),
    Column("focal_point_phone", gettext_lazy("Focal point phone"), gettext_lazy("Optional.")),
    Column(
        "focal_point_email",
        gettext_lazy("Focal point e-mail"),
        gettext_lazy("Optional; an e-mail address."),
    ),
    Column(
        "service",
        gettext_lazy("Service name"),
        gettext_lazy("Required on every row; each service of a provider once."),
        required=True,
    ),
    Column(
        "sector",
        gettext_lazy("Sector"),
        gettext_lazy("Required: one of the sectors, by its name or its code."),
        required=True,
    ),
    Column(
        "areas",
        gettext_lazy("Areas served (P-codes)"),
        gettext_lazy("Required: the P-codes of the areas served, separated by “;”."),
        required=True,
    ),
    Column("min_age", gettext_lazy("Minimum age"), gettext_lazy("A whole number, or empty.")),
    Column("max_age", gettext_lazy("Maximum age"), gettext_lazy("A whole number, or empty.")),
    Column(
        "serves_female",
        gettext_lazy("Serves women and girls"),
        gettext_lazy("yes or no; empty means yes."),
    ),
    Column(
        "serves_male",
        gettext_lazy("Serves men and boys"),
        gettext_lazy("yes or no; empty means yes."),
    ),
    Column(
        "serves_other",
        gettext_lazy("Serves people of other sexes"),
        gettext_lazy("yes or no; empty means yes."),
    ),
    Column(
        "languages",
        gettext_lazy("Languages"),
        gettext_lazy("Languages by name or code, separated by “;”."),
    ),
    Column(
        "accessible",
        gettext_lazy("Accessible for persons with disabilities"),
        gettext_lazy("yes or no; empty means no."),
    ),
    Column("accessibility_note", gettext_lazy("Accessibility details"), gettext_lazy("Optional.")),
    Column("opening_hours", gettext_lazy("Opening hours"), gettext_lazy("Optional.")),
    Column(
        "cost",
        gettext_lazy("Cost"),
        gettext_lazy("Free, subsidised or paid, by name or code; empty means free."),
    ),
    Column("how_to_refer", gettext_lazy("How to refer"), gettext_lazy("Optional.")),
    Column(
        "response_days",
        gettext_lazy("Expected response (days)"),
        gettext_lazy("A whole number of days, or empty."),
    ),
    Column("is_active", gettext_lazy("Active"), gettext_lazy("yes or no; empty means yes.")),
    Column(
        "eligibility_notes",
        gettext_lazy("Nationality and documentation"),
        gettext_lazy("Optional: who qualifies."),
    ),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
PROVIDER_KEYS = ("focal_point_name", "focal_point_phone", "focal_point_email")
TEXT_KEYS = {
    "focal_point_name": Provider,
    "focal_point_phone": Provider,
    "accessibility_note": Service,
    "opening_hours": Service,
    "how_to_refer": Service,
    "eligibility_notes": Service,
}
YES_NO_DEFAULTS = {
    "serves_female": True,
    "serves_male": True,
    "serves_other": True,
    "accessible": False,
    "is_active": True,
}
# The Service field each column fills (the provider's columns and the areas aside).
SERVICE_FIELDS = {
    "sector": "sector",
    "min_age": "min_age",
    "max_age": "max_age",
    "serves_female": "serves_female",
    "serves_male": "serves_male",
    "serves_other": "serves_other",
    "languages": "languages",
    "accessible": "accessible",
    "accessibility_note": "accessibility_note",
    "opening_hours": "opening_hours",
    "cost": "cost",
    "how_to_refer": "how_to_refer",
    "response_days": "response_days",
    "is_active": "is_active",
    "eligibility_notes": "eligibility_notes",
}
EXAMPLE_ROW: dict[str, object] = {
    "provider": "Legal Aid Collective",
    "focal_point_name": "Yusuf Ali",
    "focal_point_phone": "+964 750 000 0000",
    "focal_point_email": "referrals@example.org",
    "service": "Civil documentation",
    "sector": Sector.LEGAL.label,
    "areas": "",  # the P-codes of the installation's first areas
    "min_age": 18,
    "max_age": None,
    "serves_female": YES,
    "serves_male": YES,
    "serves_other": YES,
    "languages": f"{Language.ARABIC.label}; {Language.KURDISH.label}",
    "accessible": YES,
    "accessibility_note": "Ground floor, ramp",
    "opening_hours": "Sun–Thu 8:00–14:00",
    "cost": Cost.FREE.label,
    "how_to_refer": "Call the focal point, then send the referral form.",
    "response_days": 3,
    "is_active": YES,
    "eligibility_notes": "Any nationality",
}


def normal(text: object) -> str:
    """TEXT compared loosely: spaces collapsed, case ignored."""
    return " ".join(str(text).split()).casefold()


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: object) -> str:
    """VALUE of a cell as text: whole numbers without ".0", the CSV's apostrophe taken off."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(YES if value else NO)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_STARTS):
        text = text[1:]
    return text


# --- Writing a file ------------------------------------------------------------------------


def header() -> list[str]:
    return [str(column.title) for column in COLUMNS]


def _yes_no(value: bool) -> str:
    return str(YES if value else NO)


def service_row(service: Service) -> list[object]:
    """SERVICE as a row of the file, in the active language (locations prefetched)."""
    provider = service.provider
    sector_labels = dict(Sector.choices)
    cost_labels = dict(Cost.choices)
    values: dict[str, object] = {
        "provider": provider.name,
        "focal_point_name": provider.focal_point_name,
        "focal_point_phone": provider.focal_point_phone,
        "focal_point_email": provider.focal_point_email,
        "service": service.name,
        "sector": str(sector_labels.get(service.sector, service.sector)),
        "areas": "; ".join(sorted(location.pcode for location in service.locations.all())),
        "min_age": service.min_age,
        "max_age": service.max_age,
        "serves_female": _yes_no(service.serves_female),
        "serves_male": _yes_no(service.serves_male),
        "serves_other": _yes_no(service.serves_other),
        "languages": "; ".join(service.language_labels),
        "accessible": _yes_no(service.accessible),
        "accessibility_note": service.accessibility_note,
        "opening_hours": service.opening_hours,
        "cost": str(cost_labels.get(service.cost, service.cost)),
        "how_to_refer": service.how_to_refer,
        "response_days": service.response_days,
        "is_active": _yes_no(service.is_active),
        "eligibility_notes": service.eligibility_notes,
    }
    return [values[column.key] for column in COLUMNS]


def _xlsx_cell(sheet: WriteOnlyWorksheet, value: object, bold: bool = False) -> WriteOnlyCell:
    if isinstance(value, str | Promise):
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", str(value)))
        cell.data_type = "s"  # text, even when it starts with "=": never a formula
    else:
        cell = WriteOnlyCell(sheet, value=value)
    if bold:
        cell.font = Font(bold=True)
    return cell


def write_xlsx(rows: Iterable[Sequence[object]]) -> bytes:
    """A workbook of one sheet: the header row, then ROWS."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Services")[:31])
    if translation.get_language_bidi():
        sheet.sheet_view.rightToLeft = True
    sheet.freeze_panes = "A2"
    for position in range(1, len(COLUMNS) + 1):
        sheet.column_dimensions[get_column_letter(position)].width = 24
    sheet.append([_xlsx_cell(sheet, title, bold=True) for title in header()])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    # A cell a spreadsheet program would run as a formula (e.g. "=HYPERLINK(…)") is kept as text.
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def write_csv(rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 with a byte order mark, so that Excel shows Arabic and Ukrainian as they are."""
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow(header())
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    return output.getvalue().encode("utf-8-sig")


def directory_file(services: Iterable[Service], file_format: str) -> bytes:
    rows: Iterator[list[object]] = (service_row(service) for service in services)
    return write_xlsx(rows) if file_format == FileFormat.XLSX else write_csv(rows)


def template_file() -> bytes:
    """An XLSX of the columns and one example row, to fill in."""
    codes = Location.objects.order_by("level", "pcode").values_list("pcode", flat=True)[:2]
    example = [
        "; ".join(codes) if column.key == "areas" else EXAMPLE_ROW[column.key] for column in COLUMNS
    ]
    return write_xlsx([[str(v) if isinstance(v, Promise) else v for v in example]])
