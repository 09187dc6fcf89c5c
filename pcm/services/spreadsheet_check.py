"""Checking every row of a directory file before anything is imported: each problem with its
row, its column and what to do, in the user's language. Nothing here writes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from pcm.locations.models import Location
from pcm.people.models import Language
from pcm.services.models import Cost, Provider, Sector, Service
from pcm.services.spreadsheet import (
    COLUMN_BY_KEY,
    COLUMNS,
    NO,
    PROVIDER_KEYS,
    SERVICE_FIELDS,
    TEXT_KEYS,
    YES,
    YES_NO_DEFAULTS,
    Column,
    cell_text,
    is_blank,
    normal,
)

# Errors kept for the page; the rest are counted.
ERROR_CAP = 200
QUOTE_LIMIT = 60
MAX_AGE = 130
MAX_RESPONSE_DAYS = 365
LIST_SEPARATORS = (";", ",", "\n")
YES_WORDS = {"yes", "y", "true", "1", "oui", "نعم", "так"}
NO_WORDS = {"no", "n", "false", "0", "non", "لا", "ні"}


def _quote(text: str) -> str:
    return text if len(text) <= QUOTE_LIMIT else f"{text[: QUOTE_LIMIT - 1]}…"


def _in_every_language(label: Promise | str) -> set[str]:
    found = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            found.add(normal(str(label)))
    return found


@dataclass(frozen=True)
class RowError:
    """One problem: the row number as the spreadsheet shows it (0: the whole file), the
    column's title, and what to do, in the user's language."""

    row: int
    column: str
    message: str


@dataclass
class ServiceRow:
    """One valid row: a service and its provider, with the values of the file's columns."""

    row: int
    provider_name: str
    provider: dict[str, str]  # the focal point columns the file has
    name: str
    values: dict[str, Any]  # Service fields of the columns the file has
    location_ids: list[int]


@dataclass
class CheckedFile:
    rows: list[ServiceRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    checked: int = 0  # rows of services read, valid or not


class CellError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _choice_index(choices: Sequence[tuple[str, Any]]) -> dict[str, str]:
    """Every way to name a choice (its code, its label in each language) → its code."""
    index: dict[str, str] = {}
    for code, _label in choices:
        index[normal(code)] = code
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for code, label in choices:
                index.setdefault(normal(str(label)), code)
    return index


def _labels(choices: Sequence[tuple[str, Any]]) -> str:
    return ", ".join(str(label) for _code, label in choices)


def _split(text: str) -> list[str]:
    for separator in LIST_SEPARATORS[1:]:
        text = text.replace(separator, LIST_SEPARATORS[0])
    return [part.strip() for part in text.split(LIST_SEPARATORS[0]) if part.strip()]


class RowReader:
    """Turns the cells of one row into values, raising CellError with a clear message."""

    def __init__(self, locations: dict[str, int]) -> None:
        self.sectors = _choice_index(Sector.choices)
        self.costs = _choice_index(Cost.choices)
        self.languages = _choice_index(Language.choices)
        self.yes = YES_WORDS | _in_every_language(YES)
        self.no = NO_WORDS | _in_every_language(NO)
        self.locations = locations

    def value(self, key: str, raw: object) -> Any:
        text = cell_text(raw)
        if key in ("provider", "service"):
            return self._name(key, text)
        if key in TEXT_KEYS:
            return _limited(text, TEXT_KEYS[key], key)
        if key in YES_NO_DEFAULTS:
            return self._yes_no(raw, text, YES_NO_DEFAULTS[key])
        if key in ("min_age", "max_age"):
            return _whole_number(raw, text, MAX_AGE)
        if key == "response_days":
            return _whole_number(raw, text, MAX_RESPONSE_DAYS)
        if key == "focal_point_email":
            return _email(text)
        if key == "sector":
            return self._sector(text)
        if key == "cost":
            if not text:
                return Cost.FREE
            message = _("“%(value)s” is not a cost. Use one of: %(choices)s.")
            return self._choice(text, self.costs, Cost.choices, message)
        if key == "languages":
            return self._languages(text)
        if key == "areas":
            return self._areas(text)
        raise CellError(_("This column cannot be imported."))

    def _name(self, key: str, text: str) -> str:
        if not text:
            if key == "provider":
                raise CellError(_("Required: write the name of the organisation."))
            raise CellError(_("Required: write the name of the service."))
        model: type[models.Model] = Provider if key == "provider" else Service
        return _limited(text, model, "name")

    def _yes_no(self, raw: object, text: str, default: bool) -> bool:
        if isinstance(raw, bool):
            return raw
        if not text:
            return default
        if normal(text) in self.yes:
            return True
        if normal(text) in self.no:
            return False
        raise CellError(
            _("“%(value)s” is not yes or no: write %(yes)s or %(no)s.")
            % {"value": _quote(text), "yes": YES, "no": NO}
        )

    def _choice(
        self, text: str, index: dict[str, str], choices: Sequence[tuple[str, Any]], message: str
    ) -> str:
        """The code TEXT names; MESSAGE (with %(value)s and %(choices)s) if none."""
        code = index.get(normal(text))
        if code is None:
            raise CellError(message % {"value": _quote(text), "choices": _labels(choices)})
        return code

    def _sector(self, text: str) -> str:
        if not text:
            raise CellError(
                _("Required: write one of: %(choices)s.") % {"choices": _labels(Sector.choices)}
            )
        message = _("“%(value)s” is not a sector. Use one of: %(choices)s.")
        return self._choice(text, self.sectors, Sector.choices, message)

    def _languages(self, text: str) -> list[str]:
        codes: list[str] = []
        for part in _split(text):
            message = _("“%(value)s” is not a language. Use one of: %(choices)s.")
            code = self._choice(part, self.languages, Language.choices, message)
            if code not in codes:
                codes.append(code)
        return codes

    def _areas(self, text: str) -> list[int]:
        parts = _split(text)
        if not parts:
            raise CellError(
                _("Required: write the P-code of at least one area the service covers.")
            )
        ids: list[int] = []
        for part in parts:
            found = self.locations.get(part.upper())
            if found is None:
                raise CellError(
                    _(
                        "“%(value)s” is not a known P-code. Check the code, or ask an "
                        "administrator to add the area."
                    )
                    % {"value": _quote(part)}
                )
            if found not in ids:
                ids.append(found)
        return sorted(ids)


def _limited(text: str, model: type[models.Model], name: str) -> str:
    limit: int | None = getattr(model._meta.get_field(name), "max_length", None)
    if limit is not None and len(text) > limit:
        raise CellError(
            _("Too long: at most %(limit)d characters (this one has %(length)d).")
            % {"limit": limit, "length": len(text)}
        )
    return text


def _whole_number(raw: object, text: str, highest: int) -> int | None:
    if not text:
        return None
    number: int | None = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        number = raw
    elif isinstance(raw, float) and raw.is_integer():
        number = int(raw)
    elif text.isdigit():
        number = int(text)
    if number is None:
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": _quote(text)})
    if not 0 <= number <= highest:
        raise CellError(
            _("%(value)s is out of range: write a whole number from 0 to %(highest)d.")
            % {"value": number, "highest": highest}
        )
    return number


def _email(text: str) -> str:
    if not text:
        return ""
    try:
        validate_email(text)
    except ValidationError:
        raise CellError(
            _("“%(value)s” is not an e-mail address.") % {"value": _quote(text)}
        ) from None
    return _limited(text, Provider, "focal_point_email")


def title_index() -> dict[str, Column]:
    """Every accepted column title (in any language of PCM) → its column."""
    index: dict[str, Column] = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for column in COLUMNS:
                index.setdefault(normal(str(column.title)), column)
    return index


def _is_hxl_row(row: Sequence[object]) -> bool:
    first = next((cell_text(value) for value in row if not is_blank(value)), "")
    return first.startswith("#")


def _header(table: list[list[object]]) -> tuple[int, dict[int, Column], list[RowError]]:
    """The index of the header row, the column of each position, and the header's errors."""
    start = next(i for i, row in enumerate(table) if any(not is_blank(v) for v in row))
    titles = title_index()
    positions: dict[int, Column] = {}
    errors: list[RowError] = []
    seen: set[str] = set()
    expected = ", ".join(str(column.title) for column in COLUMNS)
    for position, value in enumerate(table[start]):
        text = cell_text(value)
        if not text:
            continue
        column = titles.get(normal(text))
        if column is None:
            message = _(
                "“%(title)s” is not a column of the directory. The columns are: %(titles)s."
            )
            errors.append(
                RowError(
                    start + 1, _quote(text), message % {"title": _quote(text), "titles": expected}
                )
            )
        elif column.key in seen:
            message = _("This column appears twice in the header row: keep one.")
            errors.append(RowError(start + 1, str(column.title), message))
        else:
            seen.add(column.key)
            positions[position] = column
    for column in COLUMNS:
        if column.required and column.key not in seen:
            message = _("The column “%(title)s” is missing; it is required.")
            errors.append(RowError(start + 1, str(column.title), message % {"title": column.title}))
    return start, positions, errors


def _locations(table: list[list[object]], position: int | None) -> dict[str, int]:
    """The P-codes named in the areas column → the area's id (upper case: codes are)."""
    if position is None:
        return {}
    codes = {
        part.upper()
        for row in table
        if position < len(row)
        for part in _split(cell_text(row[position]))
    }
    found: dict[str, int] = {}
    chunk = 500
    ordered = sorted(codes)
    for start in range(0, len(ordered), chunk):
        for pk, pcode in Location.objects.filter(
            pcode__in=ordered[start : start + chunk]
        ).values_list("pk", "pcode"):
            found[pcode.upper()] = pk
    # Codes stored in lower or mixed case are found one by one (rare).
    for code in codes - found.keys():
        match = Location.objects.filter(pcode__iexact=code).values_list("pk", flat=True).first()
        if match is not None:
            found[code] = match
    return found


class _Checker:
    """Checks the data rows one by one, remembering what cross-row checks need."""

    def __init__(self, positions: dict[int, Column], locations: dict[str, int]) -> None:
        self.positions = positions
        self.reader = RowReader(locations)
        self.result = CheckedFile()
        self.services_seen: dict[tuple[str, str], int] = {}
        self.providers_seen: dict[str, tuple[int, dict[str, str]]] = {}

    def error(self, row: int, key: str, message: str) -> None:
        self.result.errors.append(RowError(row, str(COLUMN_BY_KEY[key].title), message))

    def check(self, number: int, cells: list[object]) -> None:
        values: dict[str, Any] = {}
        failed = False
        for position, column in self.positions.items():
            raw = cells[position] if position < len(cells) else None
            try:
                values[column.key] = self.reader.value(column.key, raw)
            except CellError as problem:
                self.error(number, column.key, problem.message)
                failed = True
        failed = self._check_ages(number, values) or failed
        if "provider" not in values or "service" not in values:
            return
        failed = self._check_repeats(number, values) or failed
        if failed:
            return
        self.result.rows.append(
            ServiceRow(
                row=number,
                provider_name=values["provider"],
                provider={key: values[key] for key in PROVIDER_KEYS if key in values},
                name=values["service"],
                values={name: values[key] for key, name in SERVICE_FIELDS.items() if key in values},
                location_ids=values["areas"],
            )
        )

    def _check_ages(self, number: int, values: dict[str, Any]) -> bool:
        low, high = values.get("min_age"), values.get("max_age")
        if low is not None and high is not None and high < low:
            self.error(
                number,
                "max_age",
                _("The maximum age (%(high)d) is below the minimum age (%(low)d).")
                % {"high": high, "low": low},
            )
            return True
        return False

    def _check_repeats(self, number: int, values: dict[str, Any]) -> bool:
        failed = False
        provider_key = normal(values["provider"])
        service_key = (provider_key, normal(values["service"]))
        earlier = self.services_seen.get(service_key)
        if earlier is not None:
            message = _(
                "This service of the same provider is already in row %(row)d: list each "
                "service once."
            )
            self.error(number, "service", message % {"row": earlier})
            failed = True
        else:
            self.services_seen[service_key] = number
        details = {key: values[key] for key in PROVIDER_KEYS if key in values}
        first = self.providers_seen.get(provider_key)
        if first is None:
            self.providers_seen[provider_key] = (number, details)
            return failed
        first_row, first_details = first
        for key in PROVIDER_KEYS:
            if key in details and key in first_details and details[key] != first_details[key]:
                message = _(
                    "Differs from row %(row)d for the same provider: give the same details on "
                    "every row of a provider."
                )
                self.error(number, key, message % {"row": first_row})
                failed = True
        return failed


def check_table(
    table: list[list[object]], progress: Callable[[int, int], None] | None = None
) -> CheckedFile:
    """Every row of TABLE checked: the valid rows, and each error with its row and column.
    PROGRESS(done, total) is told every hundred rows."""
    if not table:
        return CheckedFile(errors=[RowError(0, "", _("The file is empty: it has no header row."))])
    start, positions, errors = _header(table)
    if errors:
        return CheckedFile(errors=errors)
    first_data = start + 1
    if first_data < len(table) and _is_hxl_row(table[first_data]):
        first_data += 1
    area_position = next((p for p, c in positions.items() if c.key == "areas"), None)
    checker = _Checker(positions, _locations(table[first_data:], area_position))
    total = len(table) - first_data
    if progress is not None:
        progress(0, total)
    for done, index in enumerate(range(first_data, len(table)), start=1):
        cells = table[index]
        if any(not is_blank(cells[p]) for p in positions if p < len(cells)):
            checker.check(index + 1, cells)
            checker.result.checked += 1
        if progress is not None and done % 100 == 0:
            progress(done, total)
    if progress is not None:
        progress(total, total)
    result = checker.result
    if not result.rows and not result.errors:
        result.errors.append(RowError(0, "", _("The file has no services below its header row.")))
    return result
