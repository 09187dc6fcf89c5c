"""Reading an uploaded directory file: its type from its bytes (never its name), its size,
and its rows."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from pcm.attachments.rules import format_size, sniff
from pcm.core.errors import ActionRefused
from pcm.services.models import FileFormat
from pcm.services.spreadsheet import is_blank

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 60
# A run of this many blank rows ends the table (a sheet formatted down to row 1,048,576).
BLANK_RUN = 1000


def _decode(content: bytes) -> str | None:
    """CONTENT as text if it is UTF-8 (with or without BOM) or UTF-16 with a BOM."""
    encoding = "utf-16" if content.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        text = content.decode(encoding)
    except UnicodeDecodeError:
        return None
    return None if "\x00" in text else text


def _is_xlsx(content: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def format_of(content: bytes) -> FileFormat:
    """Whether CONTENT is an XLSX workbook or a CSV text, from its bytes (never its name);
    ActionRefused saying what it is otherwise."""
    upload_hint = _("Upload the directory as an XLSX workbook or a CSV file.")
    if content.startswith(b"PK\x03\x04"):
        if _is_xlsx(content):
            return FileFormat.XLSX
        raise _refusal(_("This file is a ZIP archive or another Office document."), upload_hint)
    if content.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise _refusal(
            _("This is an old Excel file (.xls) or another old Office document."),
            _("Save it as “Excel workbook (.xlsx)” and upload that."),
        )
    found = sniff(content)
    if found is not None:
        raise _refusal(
            _("This file is a %(type)s file, not a spreadsheet.") % {"type": found.label},
            upload_hint,
        )
    if _decode(content) is not None:
        return FileFormat.CSV
    raise _refusal(
        _("This file is neither an XLSX workbook nor a CSV file in UTF-8."),
        _("In Excel, save it as “Excel workbook (.xlsx)” or “CSV UTF-8”."),
    )


def _refusal(what: str, fix: str) -> ActionRefused:
    return ActionRefused(f"{what} {fix}")


def checked_upload(uploaded: UploadedFile) -> tuple[bytes, FileFormat]:
    """The bytes of UPLOADED and their format; ActionRefused if empty, too large or neither
    XLSX nor CSV. The upload handler counts bytes past its limit, so `size` is the real size."""
    size = uploaded.size or 0
    if size == 0:
        raise ActionRefused(_("This file is empty. Choose the file again."))
    limit_refusal = _("This file is %(size)s; the limit is %(limit)s.")
    if size > MAX_BYTES:
        raise ActionRefused(
            limit_refusal % {"size": format_size(size), "limit": format_size(MAX_BYTES)}
        )
    uploaded.seek(0)
    content = uploaded.read()
    if len(content) != size:
        raise ActionRefused(
            limit_refusal
            % {"size": format_size(max(size, len(content))), "limit": format_size(MAX_BYTES)}
        )
    return content, format_of(content)


# --- Reading a file into rows --------------------------------------------------------------


def _unreadable() -> ActionRefused:
    return ActionRefused(
        _(
            "The file could not be read as a spreadsheet. Open it in Excel or LibreOffice, save "
            "it again as XLSX or “CSV UTF-8”, and import that."
        )
    )


def _too_many_rows() -> ActionRefused:
    return ActionRefused(
        _("The file has more than %(limit)d rows: split it into several files.")
        % {"limit": MAX_ROWS}
    )


def _bounded(rows: Iterable[Sequence[object]]) -> list[list[object]]:
    """ROWS up to the last one with content; refused past MAX_ROWS rows with content."""
    table: list[list[object]] = []
    filled = 0
    blank_run = 0
    for values in rows:
        row = list(values[:MAX_COLUMNS])
        if any(not is_blank(value) for value in row):
            filled += 1
            blank_run = 0
            if filled > MAX_ROWS + 2:  # the header rows come on top
                raise _too_many_rows()
        else:
            blank_run += 1
            if blank_run >= BLANK_RUN:
                break
        table.append(row)
    while table and all(is_blank(value) for value in table[-1]):
        table.pop()
    return table


def read_table(content: bytes, file_format: str) -> list[list[object]]:
    """The rows of the first sheet (XLSX) or of the CSV text, blank rows kept so that row
    numbers are those the spreadsheet program shows."""
    if file_format == FileFormat.XLSX:
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a damaged file
            raise _unreadable() from exc
        try:
            if not workbook.worksheets:
                raise _unreadable()
            sheet = workbook.worksheets[0]
            return _bounded(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True))
        finally:
            workbook.close()
    text = _decode(content)
    if text is None:
        raise _unreadable()
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        return _bounded(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise _unreadable() from exc
