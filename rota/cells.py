"""Reading spreadsheets for people: cell parsers that say what they expected, settings
sheets (label, value) and tables (header row, one record per row), with every mistake
collected with its sheet, row and column so all are reported in one pass."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from rota import layout
from rota.problem import WEEKDAYS, StandingDay


class WorkbookError(ValueError):
    """A workbook that cannot be read; ``problems`` lists every mistake found."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


class CellError(ValueError):
    """A cell whose value is not what was expected; the message says what was."""


@dataclass
class Problems:
    """Collects mistakes with their place, so all are reported in one pass."""

    path: Path
    found: list[str] = field(default_factory=list)

    def add(
        self,
        sheet: str,
        message: str,
        row: int | None = None,
        column: int | None = None,
        header: str | None = None,
    ) -> None:
        where = [sheet]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {get_column_letter(column)} ({header})")
        self.found.append(f"{self.path.name}: {', '.join(where)}: {message}")

    def raise_if_any(self) -> None:
        if self.found:
            raise WorkbookError(self.found)


# Cell parsers: each returns a value or raises CellError saying what was expected.


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


def date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text(value), fmt).date()
        except ValueError:
            pass
    raise CellError("expected a date, e.g. 2027-03-01 or 01/03/2027")


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
    try:
        return load_workbook(path, data_only=True)
    except FileNotFoundError:
        raise WorkbookError([f"{path}: no such file"]) from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
        raise WorkbookError([f"{path.name}: not an Excel .xlsx workbook"]) from None


def read_settings(sheet, settings: dict, parsers: dict, optional, problems: Problems):
    """Label-value rows (label in column A, value in B) -> ({field: value}, {field: row})."""
    labels = {layout.normalise(k): v for k, v in settings.items()}
    values, rows, seen = {}, {}, set()
    for row in range(1, sheet.max_row + 1):
        field_name = labels.get(layout.normalise(sheet.cell(row, 1).value or ""))
        value = sheet.cell(row, 2).value
        seen.add(field_name)
        if field_name is None or text(value) == "":
            continue
        try:
            values[field_name], rows[field_name] = parsers[field_name](value), row
        except CellError as error:
            problems.add(sheet.title, f"found {text(value)!r}; {error}", row, 2, "Value")
    for label, field_name in settings.items():
        if field_name not in values and field_name not in optional:
            where = "no value for" if field_name in seen else "missing setting"
            problems.add(sheet.title, f"{where} {label!r} in column A")
    return values, rows


def columns_of(sheet, known: dict, required, problems: Problems) -> dict[str, int] | None:
    headers = {layout.normalise(c.value): c.column for c in sheet[1] if c.value is not None}
    columns = {
        f: headers[layout.normalise(h)] for h, f in known.items() if layout.normalise(h) in headers
    }
    missing = [h for h, f in known.items() if f in required and f not in columns]
    for header in missing:
        problems.add(sheet.title, f"missing column {header!r} in the header row", 1)
    return None if missing else columns


def read_rows(
    sheet, known, required, build, problems: Problems, places, teams: dict | None = None
) -> list | None:
    """Parse each non-empty row below the header with ``build``; collect what it makes.
    None when a required column is missing. ``teams`` collects each record's Team cell."""
    columns = columns_of(sheet, known, required, problems)
    if columns is None:
        return None
    headers = {f: h for h, f in known.items()}
    out = []
    for row in range(2, sheet.max_row + 1):
        cells = {f: sheet.cell(row, c).value for f, c in columns.items()}
        if all(text(v) == "" for v in cells.values()):
            continue

        def report(field_name, message, row=row):
            column = columns.get(field_name)
            problems.add(sheet.title, message, row, column, headers.get(field_name))

        record = build(cells, report)
        if record is not None:
            out.append(record)
            for item in record if isinstance(record, list) else [record]:
                places[id(item)] = (sheet.title, row, columns)
            if teams is not None:
                teams[id(record)] = text(cells.get("team"))
    return out


def parse_cells(cells: dict, parsers: dict, report) -> dict | None:
    values, ok = {}, True
    for field_name, parse in parsers.items():
        value = cells.get(field_name)
        if text(value) == "":
            continue
        try:
            values[field_name] = parse(value)
        except CellError as error:
            report(field_name, f"found {text(value)!r}; {error}")
            ok = False
    for field_name in parsers:
        if (
            field_name in cells
            and text(cells[field_name]) == ""
            and field_name in (*layout.REQUIRED_STAFF, *layout.REQUIRED_LEAVE)
        ):
            report(field_name, "empty; a value is required")
            ok = False
    return values if ok else None


MESSAGE_FIELDS = {  # words in a dataclass's error -> the field (column) at fault
    "standing day": "agreed_day",
    "fixed non-working": "fixed_days_off",
    "fixed_days_off": "fixed_days_off",
    "cover buddy": "cover_buddy",
    "hours": "hours",
    "caseload": "caseload",
    "ends": "last_day",
}


def construct(cls, values: dict, report):
    try:
        return cls(**values)
    except ValueError as error:
        words = str(error)
        field_name = next((f for k, f in MESSAGE_FIELDS.items() if k in words), None)
        report(field_name, words)
        return None
