"""Read a rota workbook back: one written by workwell, or a hand-made one in the same layout.

The layout: a sheet named 'Rota' (or the first sheet); a header row holding an 'ID' cell,
optionally 'Team', 'Name' and 'Pattern', and one column per date (real dates, or text
such as 2027-04-05 or 05/04/2027). Each row with an ID below it is a person; each cell a
code (see CODE_WORDS). Rows without an ID (cover counts, the legend) are skipped.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from openpyxl.utils import get_column_letter

from common.errors import InputError
from rota.domain.plan import Status
from rota.domain.rota import PlannedDuty, Rota, RotaPerson
from rota.domain.service import Service
from rota.io import opening
from rota.io.cells import CellError, WorkbookError, date, date_order, text
from rota.io.layout import normalise
from rota.io.planned_duty import ON_DUTY, read_duty_row
from rota.io.planned_with import PREFIX, rules_in_rota

CODE_WORDS = {  # code on the sheet (case-insensitive) -> status; a blank cell is working
    "": Status.WORK,
    "W": Status.WORK,
    "NT": Status.WORK,  # worked: an owed flexi day could not be given
    "D": Status.DUTY,
    "NWD": Status.NON_WORKING_DAY,
    "L": Status.LEAVE,
    "BH": Status.BANK_HOLIDAY,
    "PT": Status.OFF,
    "AM": Status.WORK,  # a half day: morning off, working the afternoon
    "PM": Status.WORK,  # afternoon off
    "D-AM": Status.DUTY,
    "D-PM": Status.DUTY,
}
HEADER_SEARCH_ROWS = 20
TEAM_SHEETS = {"Team", "Staff"}  # a team (or service) workbook's, which a rota never has
WEEK_LABEL = re.compile(r"week\s*\d*\s*\(\s*([AB])\s*\)", re.IGNORECASE)  # 'Week 1 (A)'


def read_rota(path: str | Path, default_team: str | None = None, rules: bool = False) -> Rota:
    """Read a rota workbook, opened once; raise WorkbookError naming every bad cell (after
    any problems of the rules it carries). With ``rules``, also the rules it was planned
    with (``Rota.rules``; their problems in ``Rota.rules_problems``). People on a rota
    without a Team column are on ``default_team``: else the carried rules' one team, else
    'Team'."""
    path = Path(path)
    book = _open(path, rules)
    carried, rules_problems = _carried_rules(path, book) if rules else (None, [])
    if default_team is None:
        one_team = carried is not None and len(carried.teams) == 1
        default_team = carried.teams[0].team.name if one_team else "Team"
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
        raise WorkbookError([*rules_problems, *problems])
    title = text(sheet.cell(1, 1).value) if header_row > 1 else ""
    days = sorted(day_columns)
    letters = {day: get_column_letter(column) for day, column in day_columns.items()}
    return Rota(
        path.name,
        title,
        staff,
        days,
        statuses,
        letters,
        planned_duty,
        sheet.title,
        _week_a_label(sheet, day_columns),
        _saved_at(book, path),
        carried,
        rules_problems,
    )


def _open(path: Path, rules: bool) -> opening.BookValues:
    """The rota sheet ('Rota', else the first) and, with ``rules``, the sheets carrying
    the rules: values only, the others (a service's Summary and Checks) never parsed."""

    def chosen(names: list[str]) -> list[str]:
        if "Rota" not in names and TEAM_SHEETS <= set(names):
            raise WorkbookError(
                [
                    f"{path.name}: a team or service workbook (it has the Team and Staff "
                    "sheets), not a rota: give the rota workbook that `rota plan` wrote, or "
                    "a hand-made rota with an ID column and a column per date"
                ]
            )
        carried = [name for name in names if name.startswith(PREFIX)] if rules else []
        return ["Rota" if "Rota" in names else names[0], *carried]

    try:
        return opening.load_values(path, opening.workbook_bytes(path), chosen)
    except opening.UnreadableFile as error:
        raise WorkbookError([str(error)]) from None


def _carried_rules(path: Path, book) -> tuple[Service | None, list[str]]:
    try:
        return rules_in_rota(path, book), []
    except InputError as error:
        return None, [str(problem) for problem in error.problems]


def _week_a_label(sheet, day_columns: dict[dt.date, int]) -> dt.date | None:
    """Monday of a week A, from the 'Week n (A)' labels workwell writes above the dates."""
    for day, column in sorted(day_columns.items()):
        monday = day - dt.timedelta(days=day.weekday())
        for row in range(1, HEADER_SEARCH_ROWS + 1):
            found = WEEK_LABEL.search(str(sheet.cell(row, column).value or ""))
            if found:
                return monday if found.group(1).upper() == "A" else monday - dt.timedelta(7)
    return None


def _saved_at(book, path: Path) -> dt.datetime:
    """When the workbook was last saved, in UTC (its file time when it does not say)."""
    modified = book.properties.modified
    if modified is None:
        return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).replace(microsecond=0)
    if modified.tzinfo is None:
        modified = modified.replace(tzinfo=dt.UTC)
    return modified.astimezone(dt.UTC)


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
