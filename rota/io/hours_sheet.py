"""The Summary sheet's 'Hours over the period' table: one line per person, in hours and
minutes, with a note HR can follow (see rota.balance for how each figure is counted)."""

from __future__ import annotations

import math

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from common.sheets import put_text, widen
from rota.domain.balance import hours_balance
from rota.domain.hours import balance_words, clock
from rota.domain.plan import Plan
from rota.domain.problem import Problem
from rota.io.styles import CellStyle, merge_row, put_row, put_style

HOURS_TITLE = "Hours over the period"
HOURS_HEADERS = (
    "Team",
    "ID",
    "Name",
    "Contracted",
    "Worked",
    "Leave",
    "Bank holidays",
    "Bank holiday credit or debt",
    "Balance",
    "How the hours are counted",
)
HOW = (
    "Balance = worked + leave + bank holidays + bank holiday credit or debt - contracted, "
    "each to the nearest minute. A day counts the person's own working day (half of it on "
    "a half day off). Part-timers get bank holidays pro rata; the Team sheet's rule says "
    "what a bank holiday on a standing day gives."
)
NOTE_CHARACTERS = 1.1  # characters a unit of column width holds, in wrapped text
TOP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(wrap_text=True, vertical="top", horizontal="center")
TOPPED, CENTRED = CellStyle(alignment=TOP), CellStyle(alignment=CENTRE)
LINE_STYLES = (TOPPED,) * 3 + (CENTRED,) * 6 + (TOPPED,)  # a person's line: hours centred


def hours_table(sheet, row: int, teams: list[tuple[Problem, Plan]], last_column: int) -> int:
    """Write the table from ``row``, its notes merged across to ``last_column`` (the
    Summary's width, so it prints on the same pages); returns the last row written."""
    sheet.cell(row, 1, HOURS_TITLE).font = Font(bold=True, size=12)
    put_text(sheet.cell(row + 1, 1), HOW)
    _merge(sheet, row + 1, 1, last_column, 2)
    header = row + 2
    for column, words in enumerate(HOURS_HEADERS, start=1):
        cell = sheet.cell(header, column, words)
        cell.font, cell.alignment = Font(bold=True), CENTRE if 4 <= column <= 9 else TOP
    sheet.row_dimensions[header].height = 45
    for column in range(4, 10):
        widen(sheet, column, 13)  # room for '139 h 47 min' on one line
    _merge(sheet, header, len(HOURS_HEADERS), last_column)
    for problem, plan in teams:
        for person in problem.staff:
            header += 1
            _person_line(sheet, header, problem, plan, person, last_column)
    return header


def _person_line(sheet, row: int, problem: Problem, plan: Plan, person, last_column) -> None:
    counted = hours_balance(problem, plan, person)
    values = (
        problem.team.name,
        person.id,
        person.name,
        clock(counted.contracted),
        clock(counted.worked),
        clock(counted.leave),
        clock(counted.bank_holidays),
        _signed(counted.adjustment),
        balance_words(counted.balance),
        "; ".join(counted.notes),
    )
    put_row(sheet, row, 1, values, LINE_STYLES)
    lines = _merge(sheet, row, len(HOURS_HEADERS), last_column)
    sheet.row_dimensions[row].height = 15 * max(lines, 1)


def _signed(hours) -> str:
    """'+8 h 13 min', '-2 h 58 min', '0 h'."""
    words = clock(hours)
    return words if words.startswith("-") or words == "0 h" else f"+{words}"


def _merge(sheet, row: int, first: int, last: int, lines: int | None = None) -> int:
    """Merge ``row`` from column ``first`` to ``last``; returns the lines its text needs."""
    if last > first:
        merge_row(sheet, row, first, last)
    cell = sheet.cell(row, first)
    put_style(cell, TOPPED)
    width = sum(
        sheet.column_dimensions[get_column_letter(c)].width or 9 for c in range(first, last + 1)
    )
    needed = math.ceil(len(str(cell.value or "")) / (width * NOTE_CHARACTERS)) or 1
    if lines is not None:
        sheet.row_dimensions[row].height = 15 * max(lines, needed)
    return needed
