"""Read a rota workbook back: one written by workwell, or a hand-made one in the same layout.

The layout: a sheet named 'Rota' (or the first sheet); a header row holding an 'ID' cell,
optionally 'Team', 'Name' and 'Pattern', and one column per date (real dates, or text
such as 2027-04-05 or 05/04/2027). Each row with an ID below it is a person; each cell a
code (see CODE_WORDS). Rows without an ID (cover counts, the legend) are skipped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from openpyxl.utils import get_column_letter

from rota.domain.plan import Status
from rota.io.cells import CellError, WorkbookError, date, date_order, open_workbook, text
from rota.io.layout import normalise
from rota.io.planned_duty import ON_DUTY, PlannedDuty, read_duty_row

CODE_WORDS = {  # code on the sheet (case-insensitive) -> status; a blank cell is working
    "": Status.WORK,
    "W": Status.WORK,
    "NT": Status.WORK,  # worked: an owed flexi day could not be given
    "D": Status.DUTY,
    "NWD": Status.NON_WORKING_DAY,
    "L": Status.LEAVE,
    "BH": Status.BANK_HOLIDAY,
    "PT": Status.OFF,
}
HEADER_SEARCH_ROWS = 20


@dataclass(frozen=True)
class RotaPerson:
    team: str
    id: str
    name: str
    pattern: str
    row: int
    standing: str = ""  # as the rota shows it, e.g. 'Fri (week A)' or 'every Wed'


@dataclass
class RotaGrid:
    """A rota as read from a workbook: who, which days, and each person's status per day."""

    path: Path
    title: str
    staff: list[RotaPerson]
    days: list[dt.date]
    statuses: dict[tuple[str, dt.date], Status]
    day_columns: dict[dt.date, int]
    planned_duty: PlannedDuty | None = None  # the On duty rows; None: a rota without them

    @property
    def teams(self) -> list[str]:
        return list(dict.fromkeys(p.team for p in self.staff))

    def team_statuses(self, team: str) -> dict[tuple[str, dt.date], Status]:
        ids = {p.id for p in self.staff if p.team == team}
        return {key: s for key, s in self.statuses.items() if key[0] in ids}


def read_rota(path: str | Path, default_team: str = "Team") -> RotaGrid:
    """Read statuses from a rota workbook; raise WorkbookError naming every bad cell."""
    path = Path(path)
    book = open_workbook(path)
    sheet = book["Rota"] if "Rota" in book.sheetnames else book.worksheets[0]
    header_row = _find_header_row(sheet, path)
    columns, day_columns, problems = _header_columns(sheet, header_row, path)
    staff, statuses, duty_rows = [], {}, []
    for row in range(header_row + 1, sheet.max_row + 1):
        staff_id = text(sheet.cell(row, columns["id"]).value)
        if not staff_id:
            if "name" in columns and text(sheet.cell(row, columns["name"]).value) == ON_DUTY:
                duty_rows.append(row)
            continue
        person = _person(sheet, row, columns, staff_id, default_team)
        if any(p.id == staff_id for p in staff):
            problems.append(
                f"{path.name}: {sheet.title}, row {row}: staff id {staff_id!r} "
                "appears more than once"
            )
        staff.append(person)
        for day, column in day_columns.items():
            statuses[staff_id, day] = _status(sheet, row, column, path, problems)
    if not staff:
        problems.append(f"{path.name}: {sheet.title}: no people found below the header row")
    planned_duty = _planned_duty(
        sheet, duty_rows, columns, day_columns, staff, default_team, path, problems
    )
    if problems:
        raise WorkbookError(problems)
    title = text(sheet.cell(1, 1).value) if header_row > 1 else ""
    days = sorted(day_columns)
    return RotaGrid(path, title, staff, days, statuses, day_columns, planned_duty)


def _planned_duty(
    sheet, rows: list[int], columns, day_columns, staff, default_team, path, problems
):
    """Each team's planned duty, from its On duty row (see rota.io.planned_duty); None when
    the rota has no such row. Bad cells are added to ``problems``."""
    if not rows:
        return None
    found: PlannedDuty = {}
    for row in rows:
        team = text(sheet.cell(row, columns["team"]).value) if "team" in columns else ""
        team = team or default_team
        if team in found:
            problems.append(
                f"{path.name}: {sheet.title}, row {row}: a second {ON_DUTY!r} row for {team!r}"
            )
        cells = {day: sheet.cell(row, col) for day, col in day_columns.items()}
        known = {p.id for p in staff if p.team == team}
        where = f"{path.name}: {sheet.title}, row {row}"
        found[team] = read_duty_row(cells, known, where, problems)
    return found


def _find_header_row(sheet, path: Path) -> int:
    for row in range(1, min(sheet.max_row, HEADER_SEARCH_ROWS) + 1):
        if any(normalise(c.value or "") == "id" for c in sheet[row]):
            return row
    raise WorkbookError(
        [
            f"{path.name}: {sheet.title}: no header row with an 'ID' column in "
            f"the first {HEADER_SEARCH_ROWS} rows"
        ]
    )


def _header_columns(sheet, header_row: int, path: Path):
    columns, day_columns, problems = {}, {}, []
    order = date_order(c.value for c in sheet[header_row])  # 13/01/2027 shows day-first
    for cell in sheet[header_row]:
        word = normalise(cell.value or "")
        if word in ("team", "id", "name", "pattern", "standing day"):
            columns[word] = cell.column
            continue
        if cell.value in (None, ""):
            continue
        try:
            day = date(cell.value, order)
        except CellError:
            continue
        if day in day_columns:
            problems.append(
                f"{path.name}: {sheet.title}, row {header_row}, column "
                f"{cell.column_letter}: date {day} appears twice"
            )
        day_columns[day] = cell.column
    if not day_columns:
        problems.append(f"{path.name}: {sheet.title}, row {header_row}: no date columns")
    return columns, day_columns, problems


def _person(sheet, row: int, columns: dict, staff_id: str, default_team: str) -> RotaPerson:
    def cell(name: str) -> str:
        return text(sheet.cell(row, columns[name]).value) if name in columns else ""

    return RotaPerson(
        cell("team") or default_team,
        staff_id,
        cell("name"),
        cell("pattern"),
        row,
        cell("standing day"),
    )


def _status(sheet, row: int, column: int, path: Path, problems: list[str]) -> Status:
    code = text(sheet.cell(row, column).value).upper()
    if code in CODE_WORDS:
        return CODE_WORDS[code]
    problems.append(
        f"{path.name}: {sheet.title}, row {row}, column {get_column_letter(column)}: "
        f"found {code!r}; expected one of {', '.join(c for c in CODE_WORDS if c)} "
        "or blank"
    )
    return Status.WORK
