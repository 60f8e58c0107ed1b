"""Reading spreadsheets for people: cell parsers that say what they expected, settings
sheets (label, value) and tables (header row, one record per row), with every mistake
collected with its sheet, row and column so all are reported in one pass."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import get_column_letter

from rota import layout, opening
from rota.problem import WEEKDAYS, FieldError, StandingDay


class WorkbookError(ValueError):
    """A workbook that cannot be read; ``problems`` lists every mistake found."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


class CellError(ValueError):
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


def read_book(path: Path, problems: Problems):
    """Open a manager's workbook for reading. Every formula without a saved value is
    reported (it would read as an empty cell); dates typed as text are read in the order
    the workbook's other typed dates show, if they show one."""
    try:
        data = opening.workbook_bytes(path)
        values, formulas = opening.load(path, data), opening.load(path, data, formulas=True)
    except opening.UnreadableFile as error:
        raise WorkbookError([str(error)]) from None
    _resolve_typed_dates(values)
    for sheet in formulas:
        for row, column, formula in opening.unsaved_formulas(sheet, values[sheet.title]):
            problems.reported_cells.discard((sheet.title, row, column))
            problems.add(
                sheet.title,
                f"the formula {formula} has no saved value (a program wrote it, Excel never "
                "calculated it); open the workbook in Excel and save it, or type the value",
                row,
                column,
                text(sheet.cell(1, column).value) if row > 1 else None,
            )
            problems.reported_cells.add((sheet.title, row, column))  # it reads as empty
    return values


def _resolve_typed_dates(book) -> None:
    """Typed dates such as 04/05/2027 become dates when other typed dates in the workbook
    prove its order (19/04/2027: day first); otherwise they stay text, to be refused."""
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    order = date_order(c.value for c in cells)
    if order is None:
        return
    for cell in cells:
        if isinstance(cell.value, str) and NUMERIC_DATE.fullmatch(cell.value.strip()):
            try:
                cell.value = date(cell.value, order)
            except CellError:
                pass  # no such date, or a two-digit year: the parser will say so


def sheets_named(book, names, problems: Problems) -> dict:
    """The sheets with these names (case and spacing aside); a missing one is an error,
    since a renamed or deleted sheet would otherwise drop all its rows without a word."""
    found = {layout.normalise(s.title): s for s in book}
    for name in names:
        if layout.normalise(name) not in found:
            problems.add(
                name,
                f"missing sheet {name!r}; the workbook has {', '.join(map(repr, book.sheetnames))}."
                " Add it back (it may be empty) or give it its name again",
            )
    return {n: found[layout.normalise(n)] for n in names if layout.normalise(n) in found}


def report_merged(sheet, columns, first_row: int, problems: Problems, headers=None) -> None:
    """Merged cells in what is read: only the first holds the value, so refuse them."""
    for merged in opening.merged_ranges(sheet, set(columns), first_row):
        header = (headers or {}).get(merged.min_col)
        problems.add(
            sheet.title,
            f"cells {merged.coord} are merged; unmerge them and type the value in each cell",
            merged.min_row,
            merged.min_col,
            header,
        )
        for row, column in merged.cells:  # each reads as empty: said once, here
            problems.reported_cells.add((sheet.title, row, column))


def read_settings(sheet, settings: dict, parsers: dict, optional, problems: Problems):
    """Label-value rows (label in column A, value in B) -> ({field: value}, {field: row}).
    Every label must be there; ``optional`` settings may be left empty."""
    report_merged(sheet, (1, 2), 1, problems, {2: "Value"})
    labels = {layout.normalise(k): v for k, v in settings.items()}
    values, rows = {}, {}
    for row in range(1, sheet.max_row + 1):
        label = sheet.cell(row, 1).value
        field_name = labels.get(layout.normalise(label or ""))
        if field_name is None:
            continue
        if field_name in rows:
            problems.add(sheet.title, f"{text(label)!r} is given twice", row, 1, "Setting")
        rows[field_name] = row
        value = sheet.cell(row, 2).value
        if text(value) == "":
            continue
        try:
            values[field_name] = parsers[field_name](value)
        except CellError as error:
            problems.add(sheet.title, f"found {text(value)!r}; {error}", row, 2, "Value")
            problems.reported_cells.add((sheet.title, row, 2))
    for label, field_name in settings.items():
        if field_name not in rows:
            problems.add(sheet.title, f"missing setting {label!r} in column A")
        elif field_name not in values and field_name not in optional:
            problems.add(sheet.title, f"no value for {label!r}", rows[field_name], 2, "Value")
    return values, rows


def columns_of(sheet, known: dict, problems: Problems) -> dict[str, int] | None:
    """Field -> column of every known header in row 1; None when one is missing, since a
    renamed or deleted column would otherwise drop what it holds without a word."""
    headers: dict[str, int] = {}
    for cell in sheet[1]:
        name = layout.normalise(cell.value or "")
        if name in headers and name in map(layout.normalise, known):
            problems.add(sheet.title, f"column {text(cell.value)!r} appears twice", 1, cell.column)
        headers.setdefault(name, cell.column)
    columns = {
        f: headers[layout.normalise(h)] for h, f in known.items() if layout.normalise(h) in headers
    }
    missing = [h for h, f in known.items() if f not in columns and f not in layout.OPTIONAL_COLUMNS]
    unknown = [
        repr(text(c.value))
        for c in sheet[1]
        if text(c.value) and layout.normalise(c.value) not in map(layout.normalise, known)
    ]
    hint = f" (row 1 also has {', '.join(unknown)}, which the planner does not read)"
    for header in missing:
        message = f"missing column {header!r} in the header row"
        problems.add(sheet.title, message + (hint if unknown else ""), 1)
    return None if missing else columns


def read_rows(sheet, known, build, problems: Problems, places, teams=None) -> list | None:
    """Parse each non-empty row below the header with ``build``; collect what it makes.
    None when a column is missing. ``teams`` collects each record's Team cell."""
    if sheet.max_row == 1 and all(text(c.value) == "" for c in sheet[1]):
        return []  # a sheet with nothing on it, not even headings: nothing to read
    columns = columns_of(sheet, known, problems)
    if columns is None:
        return None
    headers = {f: h for h, f in known.items()}
    report_merged(sheet, columns.values(), 2, problems, {c: headers[f] for f, c in columns.items()})
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
                places[id(item)] = Place(sheet.title, row, columns, headers)
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
            and field_name in layout.REQUIRED_VALUES
        ):
            report(field_name, "empty; a value is required")
            ok = False
    return values if ok else None


def construct(cls, values: dict, report):
    """``cls(**values)``, or None with its complaint reported at the field it names."""
    try:
        return cls(**values)
    except FieldError as error:
        report(error.field, str(error))
        return None
