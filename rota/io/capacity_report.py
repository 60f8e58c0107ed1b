"""The capacity tables as a workbook: one block per team on a Capacity sheet, printable."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from common.files import write_atomically
from common.sheets import print_layout, put_date, put_text, widen
from rota.domain.capacity import CapacityTable
from rota.domain.problem import WEEKDAYS
from rota.domain.rules import describe_day

HEADERS = (  # heading -> width; the same plain words as the command prints
    ("Day", 8),
    ("Week", 7),
    ("More could be off", 12),
    ("Of them senior", 10),
    ("On days off duty", 10),
    ("Dates", 8),
    ("Duty dates", 8),
    ("Tightest date", 17),
)


def write_capacity_workbook(path: str | Path, tables: list[tuple[object, CapacityTable]]) -> Path:
    """``tables``: (problem, its capacity table) per team, in order."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Capacity"
    sheet["A1"] = "How many more people could take each weekday off before cover breaks"
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = "On the tightest of that weekday's dates; 0 if the team is on duty then."
    row = 4
    for problem, table in tables:
        row = _team_block(sheet, row, problem, table) + 2
    for column, (_, width) in enumerate(HEADERS, start=1):
        widen(sheet, column, width)
    print_layout(sheet, "1:2")
    return write_atomically(path, book.save)


def _team_block(sheet, row: int, problem, table: CapacityTable) -> int:
    team = problem.team
    put_text(
        sheet.cell(row, 1),
        f"{table.team}, {describe_day(team.start)} to {describe_day(team.end)}",
    )
    sheet.cell(row, 1).font = Font(bold=True)
    for column, (header, _) in enumerate(HEADERS, start=1):
        cell = sheet.cell(row + 1, column, header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="center")
    sheet.row_dimensions[row + 1].height = 30
    row += 2
    for weekday in range(5):
        for week in "AB":
            slot = table[weekday, week]
            values = (
                WEEKDAYS[weekday],
                week,
                slot.spare,
                slot.senior_spare,
                slot.spare_off_duty,
                slot.dates,
                slot.duty_dates,
            )
            for column, value in enumerate(values, start=1):
                cell = sheet.cell(row, column, "-" if value is None else value)
                cell.alignment = Alignment(horizontal="center")
            if slot.tightest:
                put_date(sheet.cell(row, len(values) + 1), slot.tightest)
            row += 1
    return row
