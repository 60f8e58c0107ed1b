"""Write a team workbook: a blank template with one example row, or a whole team."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from common.files import write_atomically
from common.sheets import print_layout, put_date, put_text
from rota.domain.problem import (
    BANK_HOLIDAY_REGIONS,
    WEEKDAYS,
    Leave,
    Pattern,
    Problem,
    StaffMember,
    StandingDay,
    Team,
)
from rota.io import layout

HEADER = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="305496")

INSTRUCTIONS = """How to fill in this workbook
Team: one setting per row. The period starts on a Monday and runs for the number of weeks given.
  'Week A starts' is any Monday that begins week A of your organisation's A/B fortnight.
  Minimum staff present counts everyone at work that day; senior staff are those marked Senior.
  'Bank holiday on a standing day': move = the day off moves to another day that week or
  fortnight; absorb = the bank holiday counts as that period's day off.
Staff: one row per person. Pattern is Full time, 9DF (nine-day fortnight), 4DW (four-day week)
  or Part time. Part-timers list their fixed days off, e.g. 'Wed, Thu'.
  Preferred days are ranked, first choice first, e.g. 'Fri, Mon'. 'Cannot take' lists weekdays
  never to give as a day off. An agreed standing day is kept if at all possible: 'Fri A' or
  'Mon B' for 9DF, 'Wed' for 4DW. The cover buddy (a staff ID) must be in on the person's day off.
  Caseload is the number of open cases, used to spread cover of absent colleagues' work.
Duty: one row per duty date, or a Monday in 'Week commencing' for a whole week on duty.
  Nobody takes a flexi day on a duty day.
Leave: one row per spell of leave, first and last day inclusive.
Then run:  workwell rota check team.xlsx   and   workwell rota plan team.xlsx --out rota.xlsx
"""
SERVICE_INSTRUCTIONS = """
A service workbook adds a Teams sheet and a Team column on Staff, Duty and Leave.
Teams: one row per team with its cover minimums. 'Shares duty' (yes/no) puts the team in
  the service's duty rota; 'Duty groups' splits the team so each group is on duty in turn;
  'Duty workers per duty day' asks the planner to name that many people on duty each day.
Team sheet, at the bottom: 'Generate duty' yes lets the planner choose which team is on duty
  in each day or week ('Duty by'), fairly by head count, never more than 'Most duty periods
  in a row' in a row. Duty dates on the Duty sheet are kept as given."""


def example_problem() -> Problem:
    monday = dt.date.today() - dt.timedelta(days=dt.date.today().weekday()) + dt.timedelta(weeks=1)
    team = Team("Child Protection 1", monday, 13, monday, min_present=0, min_senior=0)
    person = StaffMember(
        "SW01",
        "Alex Example",
        "Social worker",
        False,
        37.0,
        Pattern.NINE_DAY_FORTNIGHT,
        preferred_days=(4, 0),
        agreed_day=StandingDay(4, "A"),
        cover_buddy="",
        caseload=16,
    )
    leave = Leave("SW01", monday + dt.timedelta(weeks=2), monday + dt.timedelta(weeks=2, days=4))
    return Problem(team, [person], frozenset({monday + dt.timedelta(weeks=1, days=2)}), [leave])


def write_team_workbook(path: str | Path, problem: Problem | None = None) -> Path:
    """Write ``problem`` as a team workbook, or a template with one example row per sheet."""
    return write_atomically(path, team_book(problem or example_problem()).save)


def team_book(problem: Problem) -> Workbook:
    """A team workbook: Instructions, Team, Staff, Duty and Leave."""
    book = Workbook()
    _instructions(book.active, INSTRUCTIONS)
    _team_sheet(book.create_sheet("Team"), problem.team)
    _people_sheets(book, [problem], with_team=False)
    _validations(book, offset=0)
    _print_layouts(book)
    return book


def service_book(service) -> Workbook:
    """A service workbook: a Teams sheet, and a Team column on Staff, Duty and Leave."""
    book = Workbook()
    _instructions(book.active, INSTRUCTIONS + SERVICE_INSTRUCTIONS)
    _team_sheet(
        book.create_sheet("Team"), replace(service.teams[0].team, name=service.name), service.duty
    )
    rows = [
        [
            p.team.name,
            p.team.min_present,
            p.team.min_senior,
            p.team.min_present_on_duty,
            "yes" if p.team.name in service.shares_duty else "no",
            service.duty_groups.get(p.team.name, 1),
            p.team.duty_workers,
        ]
        for p in service.teams
    ]
    _table(book.create_sheet("Teams"), layout.TEAMS_COLUMNS, rows)
    _people_sheets(book, service.teams, with_team=True)
    _validations(book, offset=1)
    _print_layouts(book)
    return book


def _print_layouts(book) -> None:
    """Every sheet prints A4 landscape, fit to width; tables repeat their header row."""
    for sheet in book.worksheets:
        print_layout(sheet, None if sheet.title == "Instructions" else "1:1")


def _people_sheets(book, problems: list[Problem], with_team: bool) -> None:
    def rows(problem, items):
        return [[problem.team.name, *item] if with_team else item for item in items]

    team_column = {"Team": "team"} if with_team else {}
    staff, duty, leave = [], [], []
    for problem in problems:
        staff += rows(problem, [_staff_row(p) for p in problem.staff])
        duty += rows(problem, [[d, None, "Team on duty"] for d in sorted(problem.duty_days)])
        leave += rows(
            problem,
            [[s.staff_id, s.first_day, s.last_day, s.kind.capitalize()] for s in problem.leave],
        )
    _table(book.create_sheet("Staff"), {**team_column, **layout.STAFF_COLUMNS}, staff)
    _table(book.create_sheet("Duty"), {**team_column, **layout.DUTY_COLUMNS}, duty)
    _table(book.create_sheet("Leave"), {**team_column, **layout.LEAVE_COLUMNS}, leave)


def _instructions(sheet, words: str) -> None:
    sheet.title = "Instructions"
    for row, line in enumerate(words.splitlines(), start=1):
        cell = sheet.cell(row, 1, line)
        cell.font = Font(bold=row == 1, size=14 if row == 1 else 11)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 100


def _team_sheet(sheet, team: Team, duty=None) -> None:
    _header(sheet, ["Setting", "Value"])
    values = {
        "name": team.name,
        "start": team.start,
        "weeks": team.weeks,
        "week_a_start": team.week_a_start,
        "min_present": team.min_present,
        "min_senior": team.min_senior,
        "min_present_on_duty": team.min_present_on_duty,
        "bank_holiday_region": team.bank_holiday_region,
        "bank_holiday_rule": team.bank_holiday_rule.value,
    }
    for row, (label, field_name) in enumerate(layout.TEAM_SETTINGS.items(), start=2):
        sheet.cell(row, 1, label)
        if isinstance(values[field_name], dt.date):
            put_date(sheet.cell(row, 2), values[field_name])
        else:
            put_text(sheet.cell(row, 2), values[field_name])
    if duty is not None:
        extra = {
            "Generate duty": "yes" if duty.generate else "no",
            "Duty by": duty.unit.value,
            "Most duty periods in a row": duty.most_in_a_row,
        }
        for row, (label, value) in enumerate(extra.items(), start=len(layout.TEAM_SETTINGS) + 2):
            sheet.cell(row, 1, label)
            sheet.cell(row, 2, value)
    sheet.column_dimensions["A"].width = 32
    sheet.column_dimensions["B"].width = 24


def _staff_row(person: StaffMember) -> list:
    days = lambda ds: ", ".join(WEEKDAYS[d] for d in ds)  # noqa: E731
    agreed = person.agreed_day
    return [
        person.id,
        person.name,
        person.role,
        "yes" if person.senior else "no",
        person.hours,
        {"FT": "Full time", "PT": "Part time"}.get(person.pattern.value, person.pattern.value),
        days(person.fixed_days_off),
        days(person.preferred_days),
        days(person.cannot_take),
        f"{WEEKDAYS[agreed.weekday]} {agreed.week or ''}".strip() if agreed else "",
        person.cover_buddy or "",
        person.caseload,
    ]


def _header(sheet, headers) -> None:
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(1, column, header)
        cell.font, cell.fill = HEADER, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[cell.column_letter].width = max(12, len(header) + 4)
    sheet.freeze_panes = "A2"


def _table(sheet, columns: dict, rows: list[list]) -> None:
    _header(sheet, list(columns))
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            if isinstance(value, dt.date):
                put_date(sheet.cell(r, c), value)
            else:
                put_text(sheet.cell(r, c), value)
            if isinstance(value, int | float) and not isinstance(value, bool):
                sheet.cell(r, c).alignment = Alignment(horizontal="center")


def _validations(book, offset: int) -> None:
    """Drop-down lists so the common choices cannot be mistyped; ``offset`` is 1 when a
    Team column comes first."""
    weekdays = ",".join(WEEKDAYS)
    standing = ",".join([*WEEKDAYS, *(f"{d} {w}" for w in "AB" for d in WEEKDAYS)])

    def column(letter: str) -> str:
        return chr(ord(letter) + offset)

    lists = [
        ("Team", "B9", ",".join(BANK_HOLIDAY_REGIONS)),
        ("Team", "B10", ",".join(layout.RULE_CHOICES)),
        ("Staff", f"{column('C')}2:{column('C')}200", ",".join(layout.ROLES)),
        ("Staff", f"{column('D')}2:{column('D')}200", "yes,no"),
        ("Staff", f"{column('F')}2:{column('F')}200", ",".join(layout.PATTERN_CHOICES)),
        ("Staff", f"{column('J')}2:{column('J')}200", standing),
        ("Leave", f"{column('D')}2:{column('D')}500", ",".join(layout.LEAVE_TYPES)),
    ]
    for sheet_name, cells, options in lists:
        validation = DataValidation(
            type="list",
            formula1=f'"{options}"',
            allow_blank=True,
            showErrorMessage=True,
            error=f"Choose one of: {options}",
        )
        book[sheet_name].add_data_validation(validation)
        validation.add(cells)
    hint = DataValidation(
        type="custom",
        formula1="TRUE",
        allow_blank=True,
        showInputMessage=True,
        prompt=f"Weekdays, comma-separated: {weekdays}",
    )
    book["Staff"].add_data_validation(hint)
    hint.add(f"{column('G')}2:{column('I')}200")
