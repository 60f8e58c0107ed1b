"""Reading spreadsheets for people: cell parsers that say what they expected, and the
collector that gives every mistake its sheet, row and column (``rota.io.tables`` reads the
sheets with them)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import get_column_letter

from common.errors import InputError
from rota.domain.problem import WEEKDAYS, StandingDay
from rota.io import layout, opening


class WorkbookError(InputError):
    """A workbook that cannot be read; ``problems`` lists every mistake found, and
    ``warnings`` what was doubtful in the part that could be read."""


class CellError(InputError):
    """A cell whose value is not what was expected; the message says what was."""


@dataclass(frozen=True)
class Place:
    """Where a record was read: its sheet, its row (or, on a settings sheet, the row of
    each field), and the column and header of each field."""

    sheet: str
    row: int | dict[str, int]
    columns: dict[str, int]
    headers: dict[str, str]

    def of(self, field_name: str | None) -> tuple[int | None, int | None, str | None]:
        row = self.row.get(field_name) if isinstance(self.row, dict) else self.row
        return row, self.columns.get(field_name), self.headers.get(field_name)


@dataclass
class Problems:
    """Collects mistakes with their place, so all are reported in one pass."""

    path: Path
    found: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    reported_cells: set[tuple[str, int, int]] = field(default_factory=set)  # said once only

    def add(self, sheet: str, message: str, row=None, column=None, header=None) -> None:
        """An error: the workbook cannot be planned until it is put right."""
        if (sheet, row, column) not in self.reported_cells:
            self.found.append(self._located(sheet, message, row, column, header))

    def at(self, place: Place | None, field_name, message: str, sheet: str, warn=False) -> None:
        """An error (or warning) at a record's field, or on ``sheet`` if its place is unknown."""
        where = (place.sheet, *place.of(field_name)) if place else (sheet, None, None, None)
        (self.warn if warn else self.add)(where[0], message, *where[1:])

    def warn(self, sheet: str, message: str, row=None, column=None, header=None) -> None:
        """A warning: the workbook can be planned, but probably not as the manager meant."""
        self.warnings.append(self._located(sheet, message, row, column, header))

    def _located(self, sheet, message, row, column, header) -> str:
        where = [sheet]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            named = f" ({header})" if header else ""
            where.append(f"column {get_column_letter(column)}{named}")
        return f"{self.path.name}: {', '.join(where)}: {message}"

    def raise_if_any(self) -> None:
        if self.found:
            raise WorkbookError(self.found, self.warnings)


# Cell parsers: each returns a value or raises CellError saying what was expected.


EXCEL_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#SPILL!"}


def parsed(parse: Callable, value):
    """``parse(value)``, but a cell showing one of Excel's errors is said to be one."""
    if isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS:
        raise CellError("a formula that Excel could not work out; correct it or type the value")
    return parse(value)


def text(value) -> str:
    return "" if value is None else str(value).strip()


def whole_number(value) -> int:
    if isinstance(value, bool) or value is None or text(value) == "":
        raise CellError("expected a whole number")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise CellError("expected a whole number") from None
    if number != int(number):
        raise CellError("expected a whole number")
    return int(number)


def number(value) -> float:
    try:
        if isinstance(value, bool):
            raise ValueError
        return float(value)
    except (TypeError, ValueError):
        raise CellError("expected a number, e.g. 37 or 22.5") from None


NUMERIC_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})")
WORDED_DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%a %d %b %Y", "%A %d %B %Y", "%B %d %Y", "%b %d %Y")
DATE_EXAMPLE = "e.g. 2027-05-17 or 17/05/2027"


def date(value, order: str | None = None) -> dt.date:
    """A date cell, or a date typed as text: ISO, day-first (UK) or month-first (US) when
    only one reading is a date, or with the month in words. Ambiguous ones are refused
    unless ``order`` ('UK' or 'US', from ``date_order``) says how the file writes dates."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise CellError(f"a number, not a date; format the cell as a date, {DATE_EXAMPLE}")
    typed = " ".join(text(value).replace(",", " ").split())
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", typed):
        return _typed(typed, "%Y-%m-%d")
    numeric = NUMERIC_DATE.fullmatch(typed)
    if numeric:
        return _day_or_month_first(typed, *numeric.groups(), order)
    for fmt in WORDED_DATE_FORMATS:
        try:
            parsed = dt.datetime.strptime(typed, fmt).date()
        except ValueError:
            continue
        if "%a" in fmt or "%A" in fmt:
            _check_weekday(typed, parsed)
        return parsed
    raise CellError(f"expected a date, {DATE_EXAMPLE}")


def _typed(typed: str, fmt: str) -> dt.date:
    try:
        return dt.datetime.strptime(typed, fmt).date()
    except ValueError:
        raise CellError(f"no such date; expected a date, {DATE_EXAMPLE}") from None


def date_order(values) -> str | None:
    """'UK' or 'US' when the dates typed as text among ``values`` show one order (a first
    number above 12 means day-first; a second, month-first); None when they cannot tell,
    or disagree."""
    day_first = month_first = False
    for value in values:
        numeric = NUMERIC_DATE.fullmatch(value.strip()) if isinstance(value, str) else None
        if numeric:
            first, second = int(numeric[1]), int(numeric[2])
            day_first |= first > 12 >= second
            month_first |= second > 12 >= first
    if day_first != month_first:
        return "UK" if day_first else "US"
    return None


def _day_or_month_first(typed, first: str, second: str, year: str, order=None) -> dt.date:
    if len(year) == 2:
        raise CellError(f"a two-digit year; type the year in full, {DATE_EXAMPLE}")
    readings = set()
    for day, month in ((first, second), (second, first)):
        try:
            readings.add(dt.date(int(year), int(month), int(day)))
        except ValueError:
            pass
    if not readings:
        raise CellError(f"no such date; expected a date, {DATE_EXAMPLE}")
    if len(readings) == 1:
        return readings.pop()
    uk, us = sorted(readings, key=lambda d: d.month != int(second))
    if order:
        return uk if order == "UK" else us
    raise CellError(
        f"a date typed as text that could be {_spelt(uk)} (UK) or {_spelt(us)} (US); "
        "type it as 2027-05-17, or enter it as a date"
    )


def _spelt(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _check_weekday(typed: str, parsed: dt.date) -> None:
    day = typed.split()[0].lower()[:3]
    if day != parsed.strftime("%a").lower():
        raise CellError(f"{_spelt(parsed)} is a {parsed:%A}, not a {typed.split()[0]}")


def weekday(value) -> int:
    word = layout.normalise(value)[:3]
    names = [d.lower() for d in WEEKDAYS]
    if word not in names:
        raise CellError("expected a weekday, Mon to Fri")
    return names.index(word)


def weekdays(value) -> tuple[int, ...]:
    parts = [p for p in text(value).replace(";", ",").replace("/", ",").split(",") if p.strip()]
    try:
        return tuple(weekday(p) for p in parts)
    except CellError:
        raise CellError("expected weekdays separated by commas, e.g. 'Fri, Mon'") from None


def yes_no(value) -> bool:
    word = layout.normalise(value)
    if word in ("yes", "y", "true", "1"):
        return True
    if word in ("no", "n", "false", "0"):
        return False
    raise CellError("expected yes or no")


def pattern(value):
    found = layout.PATTERN_WORDS.get(layout.normalise(value))
    if found is None:
        raise CellError(f"expected one of {', '.join(layout.PATTERN_CHOICES)}")
    return found


def standing_day(value) -> StandingDay:
    words = layout.normalise(value).replace("week", " ").split()
    if not words or words[-1] not in ("a", "b") and len(words) > 1:
        raise CellError("expected a weekday and, for 9DF, week A or B, e.g. 'Fri A'")
    week = words[-1].upper() if len(words) > 1 else None
    return StandingDay(weekday(words[0]), week)


def choice(options: dict) -> Callable:
    def parse(value):
        key = layout.normalise(value)
        for option, result in options.items():
            if layout.normalise(option) == key:
                return result
        raise CellError(f"expected one of {', '.join(options)}")

    return parse


def open_workbook(path: Path):
    """The workbook's values; WorkbookError when the file is not a readable .xlsx."""
    path = Path(path)
    try:
        return opening.load(path, opening.workbook_bytes(path))
    except opening.UnreadableFile as error:
        raise WorkbookError([str(error)]) from None
