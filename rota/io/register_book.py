"""The manager's register workbook: a template to type into, a reader that locates every
mistake by sheet, row and column, and a status workbook written to a new file (the
register itself is never written over)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from common.files import write_atomically
from common.sheets import (
    CHOOSE,
    drop_down,
    fit_row_heights,
    fit_text_columns,
    header_row,
    print_layout,
    put_date,
    put_text,
    table_finish,
    widen,
)
from rota.domain.register import (
    Decision,
    Finding,
    RegisteredRequest,
    duplicates,
    requests_in_year,
    spelt,
)
from rota.io.cells import Place, Problems, choice, date, text
from rota.io.tables import construct, parse_cells, read_book, read_rows, sheets_named

SHEET = "Requests"
COLUMNS = {  # header -> RegisteredRequest field
    "Staff ID": "staff_id",
    "Name": "person",
    "Date received": "received",
    "What was asked": "asked",
    "Decision": "decision",
    "Decision date": "decided",
    "Appeal lodged": "appeal_lodged",
    "Appeal decided": "appeal_decided",
    "Extended to": "extended_to",
    "Notes": "note",  # for the manager; never read
}
DATES = ("received", "decided", "appeal_lodged", "appeal_decided", "extended_to")
PARSERS = {
    "staff_id": text,
    "person": text,
    "asked": text,
    "decision": choice({d.value: d for d in Decision}),
    **dict.fromkeys(DATES, date),
}
EXAMPLE = ("SW01", "Alex Example")  # the template's example row: warned about if left in
INSTRUCTIONS = """Register of flexible-working requests
One row per statutory request (Employment Rights Act 1996 s80F, as amended from 6 April 2024).
Staff ID: as on the team workbook's Staff sheet. Name is optional.
Date received: the day the written request reached you. What was asked: in a few words,
  e.g. '9DF, Fri week A' or '4DW, Wed'.
Decision: leave empty while you consider it; then Granted, Granted with changes, Refused or
  Withdrawn, with the Decision date. If the person appeals, give the day it was lodged and
  the day the appeal was decided.
Extended to: only if the person agreed to a later date for the decision.
The law allows two requests in any 12 months, and the decision (including any appeal) is due
  within two months beginning with the day received, unless a later date is agreed.
Dates: type 2027-05-17 or 17/05/2027, or use a date cell. 04/05/2027 is refused unless other
  dates in the register show which way round they are written.
Then run:  workwell rota register register.xlsx   (it warns; it never changes this file)
Guidance on the process, not legal advice.
"""
WARNING_FILL = PatternFill("solid", fgColor="FFD8A8")  # light orange, with the word 'Warning'


@dataclass(frozen=True)
class Register:
    requests: list[RegisteredRequest]
    places: dict[int, Place]  # id(request) -> its row and columns

    def where(self, finding: Finding) -> Place:
        return self.places[id(finding.request)]


# The template.


def write_register_template(path: str | Path) -> Path:
    """A register to type into: instructions, then the Requests sheet with one example."""
    book = Workbook()
    _instructions(book.active)
    sheet = book.create_sheet(SHEET)
    header_row(sheet, 1, list(COLUMNS))
    example = [*EXAMPLE, _example_received(), "9DF, Fri week A", None, None, None, None, None]
    for column, value in enumerate(example, start=1):
        if isinstance(value, dt.date):
            put_date(sheet.cell(2, column), value)
        elif value is not None:
            put_text(sheet.cell(2, column), value)
    put_text(sheet.cell(2, len(COLUMNS)), "Example: delete this row")
    for column, header in enumerate(COLUMNS, start=1):
        widen(sheet, column, max(12, len(header) + 4))
    widen(sheet, 4, 28)
    widen(sheet, len(COLUMNS), 30)
    for column in range(6, 10):
        widen(sheet, column, 17)
    _decision_list(sheet)
    table_finish(sheet)
    return write_atomically(path, book.save)


def _example_received() -> dt.date:
    return dt.date.today() - dt.timedelta(days=7)


def _instructions(sheet) -> None:
    sheet.title = "Instructions"
    for row, line in enumerate(INSTRUCTIONS.splitlines(), start=1):
        cell = sheet.cell(row, 1, line)
        cell.font = Font(bold=row == 1, size=14 if row == 1 else 11)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 100
    print_layout(sheet)


def _decision_list(sheet) -> None:
    options = [d.value for d in Decision]
    drop_down(sheet, "E2:E1000", options, CHOOSE + ", or leave it empty while you decide")


# Reading it.


def read_register(path: str | Path, today: dt.date, warnings: list[str]) -> Register:
    """Read and check the register; raise WorkbookError naming every mistake, each with
    its sheet, row and column. Doubts (the example row left in) go to ``warnings``."""
    path = Path(path)
    problems = Problems(path)
    book = read_book(path, problems, [SHEET])
    sheets = sheets_named(book, [SHEET], problems)
    places: dict[int, Place] = {}
    requests = []
    if sheets:
        requests = read_rows(sheets[SHEET], COLUMNS, _request, problems, places) or []
    register = Register(requests, places)
    _cross_checks(register, today, problems)
    warnings += problems.warnings
    problems.raise_if_any()
    return register


def _request(cells: dict, report) -> RegisteredRequest | None:
    values = parse_cells(cells, PARSERS, report)
    for field_name in ("received", "asked"):
        if text(cells.get(field_name)) == "":
            report(field_name, "empty; a value is required")
            values = None
    if values is None:
        return None
    return construct(RegisteredRequest, values, report)


def _cross_checks(register: Register, today: dt.date, problems: Problems) -> None:
    requests, places = register.requests, register.places
    for request, first in duplicates(requests):
        row = places[id(requests[first])].row
        message = f"the same request as row {row} (person, day received, what was asked)"
        problems.at(places[id(request)], "asked", message + "; delete one", SHEET)
    for request in requests:
        place = places[id(request)]
        for field_name in DATES:
            day = getattr(request, field_name)
            if day is not None and day > today and field_name != "extended_to":
                message = f"{spelt(day)} is after today ({spelt(today)}); check the year"
                problems.at(place, field_name, message, SHEET)
        if (request.staff_id, request.person) == EXAMPLE:
            message = "the template's example row is still here; delete it"
            problems.at(place, "person", message, SHEET, warn=True)


# The status workbook.

STATUS_HEADERS = [
    "Staff ID",
    "Name",
    "Date received",
    "What was asked",
    "Requests in 12 months",
    "Decision",
    "Decided",
    "Decision due by",
    "Days left",
    "Register row",
    "Warning or note",
]


def write_register_status(path: str | Path, register: Register, findings, today) -> Path:
    """One row per request: the limit, the days left, the count in 12 months, and what
    to act on. Written to a new file; the manager's register is only read."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Status"
    header_row(sheet, 1, [*STATUS_HEADERS[:8], f"Days left at {spelt(today)}", *STATUS_HEADERS[9:]])
    said = {}
    for finding in findings:
        said.setdefault(id(finding.request), []).append(finding)
    for row, request in enumerate(register.requests, start=2):
        count = len(requests_in_year(row - 2, register.requests))
        _status_row(sheet, row, request, count, today, register.places[id(request)].row)
        found = said.get(id(request), [])
        words = [("Warning: " if f.warning else "Note: ") + f.message for f in found]
        put_text(sheet.cell(row, len(STATUS_HEADERS)), "\n".join(words) or None)
        sheet.cell(row, len(STATUS_HEADERS)).alignment = Alignment(wrap_text=True, vertical="top")
        if any(f.warning for f in found):
            for column in range(1, len(STATUS_HEADERS) + 1):
                sheet.cell(row, column).fill = WARNING_FILL
    fit_text_columns(sheet, 1, range(1, 5))
    for column in (5, 6, 9, 10):
        widen(sheet, column, 13)
    widen(sheet, len(STATUS_HEADERS), 70)
    fit_row_heights(sheet, 1)
    table_finish(sheet)
    return write_atomically(path, book.save)


def _status_row(sheet, row: int, request: RegisteredRequest, count, today, source_row) -> None:
    final = request.final_date
    values = [
        request.staff_id,
        request.person or None,
        request.received,
        request.asked,
        count,
        _decision_words(request),
        final,
        request.limit,
        (request.limit - today).days if request.waiting else None,
        source_row,
    ]
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row, column)
        if isinstance(value, dt.date):
            put_date(cell, value)
        else:
            put_text(cell, value)
        cell.alignment = Alignment(vertical="top", horizontal=cell.alignment.horizontal)


def _decision_words(request: RegisteredRequest) -> str:
    if request.decision is None:
        return "Waiting"
    if request.waiting:
        return f"{request.decision.value}, appeal waiting"
    return request.decision.value
