"""Read a team workbook into a Problem, reporting every mistake with sheet, row and column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rota import layout
from rota.cells import (
    Problems,
    choice,
    construct,
    date,
    number,
    open_workbook,
    parse_cells,
    pattern,
    read_rows,
    read_settings,
    standing_day,
    text,
    weekdays,
    whole_number,
    yes_no,
)
from rota.problem import BANK_HOLIDAY_REGIONS, BankHolidayRule, Leave, Problem, StaffMember, Team


def read_team(path: str | Path) -> Problem:
    """Read and check a team workbook; raise WorkbookError naming every mistake."""
    path = Path(path)
    problems = Problems(path)
    book = open_workbook(path)
    sheets = {name: book[name] for name in ("Team", "Staff", "Duty", "Leave") if name in book}
    for name in ("Team", "Staff"):
        if name not in sheets:
            problems.add(name, f"missing sheet; the workbook has {', '.join(book.sheetnames)}")
    problems.raise_if_any()
    places: dict[int, tuple[str, int, dict]] = {}
    team = read_team_sheet(sheets["Team"], problems)
    staff = read_rows(
        sheets["Staff"],
        layout.STAFF_COLUMNS,
        layout.REQUIRED_STAFF,
        staff_member,
        problems,
        places,
    )
    duty = (
        read_rows(sheets["Duty"], layout.DUTY_COLUMNS, (), duty_days, problems, places)
        if "Duty" in sheets
        else []
    )
    leave = (
        read_rows(
            sheets["Leave"],
            layout.LEAVE_COLUMNS,
            layout.REQUIRED_LEAVE,
            leave_spell,
            problems,
            places,
        )
        if "Leave" in sheets
        else []
    )
    if team is None or None in (staff, duty, leave):
        problems.raise_if_any()  # cross-checks on a half-read workbook would only mislead
    problem = Problem(team, staff, frozenset(d for days in duty for d in days), leave)
    unreadable = _ids_of_unreadable_rows(sheets["Staff"], staff)
    for issue in problem.issues():
        if issue.refers_to not in unreadable:  # already reported as a bad cell
            _report_issue(issue, places, problems)
    problems.raise_if_any()
    return problem


TEAM_PARSERS = {
    "name": text,
    "start": date,
    "weeks": whole_number,
    "week_a_start": date,
    "min_present": whole_number,
    "min_senior": whole_number,
    "min_present_on_duty": whole_number,
    "bank_holiday_region": choice({r: r for r in BANK_HOLIDAY_REGIONS}),
    "bank_holiday_rule": choice({r.value: r for r in BankHolidayRule}),
}


def read_team_sheet(sheet, problems: Problems) -> Team | None:
    before = len(problems.found)
    values, rows = read_settings(
        sheet, layout.TEAM_SETTINGS, TEAM_PARSERS, layout.OPTIONAL_SETTINGS, problems
    )
    if len(problems.found) > before:
        return None
    try:
        return Team(**values)
    except (TypeError, ValueError) as error:
        field_name = next((f for f in values if f in str(error)), "start")
        problems.add(sheet.title, str(error), rows.get(field_name), 2, "Value")
        return None


def staff_member(cells, report) -> StaffMember | None:
    parsers = {
        "id": text,
        "name": text,
        "role": text,
        "senior": yes_no,
        "hours": number,
        "pattern": pattern,
        "fixed_days_off": weekdays,
        "preferred_days": weekdays,
        "cannot_take": weekdays,
        "agreed_day": standing_day,
        "cover_buddy": text,
        "caseload": whole_number,
    }
    values = parse_cells(cells, parsers, report)
    if values is None:
        return None
    values.setdefault("role", "Social worker")
    values.setdefault("senior", layout.normalise(values["role"]) in layout.SENIOR_ROLES)
    return construct(StaffMember, values, report)


def duty_days(cells, report) -> list[dt.date] | None:
    values = parse_cells(cells, {"date": date, "week": date}, report)
    if values is None:
        return None
    if "week" in values:
        monday = values["week"]
        if monday.weekday() != 0:
            report("week", f"found {monday} ({monday:%A}); expected a Monday")
            return None
        return [monday + dt.timedelta(days=i) for i in range(5)]
    if "date" in values:
        return [values["date"]]
    report("date", "empty; give a date or a week commencing")
    return None


def leave_spell(cells, report) -> Leave | None:
    parsers = {"staff_id": text, "first_day": date, "last_day": date, "kind": text}
    values = parse_cells(cells, parsers, report)
    if values is None:
        return None
    values["kind"] = (values.get("kind") or "annual leave").lower()
    return construct(Leave, values, report)


def _ids_of_unreadable_rows(sheet, staff: list[StaffMember]) -> set[str]:
    """IDs on Staff rows that failed to parse, so nothing is reported twice."""
    column = next((c.column for c in sheet[1] if layout.normalise(c.value or "") == "id"), 1)
    ids = {text(sheet.cell(row, column).value) for row in range(2, sheet.max_row + 1)}
    return ids - {p.id for p in staff} - {""}


def _report_issue(issue, places, problems: Problems) -> None:
    place = places.get(id(issue.record))
    if place is None:
        problems.add("Staff", issue.message)
        return
    sheet, row, columns = place
    header = {
        f: h
        for h, f in {**layout.STAFF_COLUMNS, **layout.LEAVE_COLUMNS, **layout.DUTY_COLUMNS}.items()
    }
    problems.add(sheet, issue.message, row, columns.get(issue.field), header.get(issue.field))
