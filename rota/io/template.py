"""Write a team workbook: a blank template with one example row, or a whole team."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from common.files import write_atomically
from common.sheets import drop_down, print_layout, put_date, put_text
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
from rota.io.seam_settings import LAST_PART_CHOICES, SEAM_SETTINGS, SICK_DAY_CHOICES, seam_values

HALF_DAY_CHOICES = [  # 'Fri PM': every Friday afternoon off; 'Fri PM A': in week A only
    f"{day} {half}{week}" for week in ("", " A", " B") for day in WEEKDAYS for half in ("AM", "PM")
]
HEADER = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="305496")

INSTRUCTIONS = """How to fill in this workbook
Team: one setting per row. The period starts on a Monday and runs for the number of weeks given.
  'Week A starts' is any Monday that begins week A of your organisation's A/B fortnight.
  Minimum staff present counts everyone at work that day; senior staff are those marked Senior.
  'Bank holiday on a standing day': move = the day off moves to another day that week or
  fortnight; absorb = the bank holiday counts as that period's day off; credit = as absorb,
  and the day's hours are credited to take later (the Summary shows them).
Staff: one row per person. Pattern is Full time, 9DF (nine-day fortnight), 4DW (four-day week)
  or Part time. Part-timers list their fixed days off, e.g. 'Wed, Thu'.
  Preferred days are ranked, first choice first, e.g. 'Fri, Mon'. 'Cannot take' lists weekdays
  never to give as a day off. An agreed standing day is kept if at all possible: 'Fri A' or
  'Mon B' for 9DF, 'Wed' for 4DW. The cover buddy (a staff ID) must be in on the person's day off.
  Caseload is the number of open cases, used to spread cover of absent colleagues' work.
  Hours per working day: leave empty for the pattern's (hours per week over the days worked:
  9DF 37 h = 8 h 13 min, 4DW 37 h = 9 h 15 min), or type it (7.5, 7:30); it must fit the hours.
  Half day off (Full time or Part time only): 'Fri PM' is every Friday afternoon off, 'Mon AM B'
  Monday morning in week B only. One half day per person. Cover is then counted for the
  morning and the afternoon apart, and the hours over the days worked (4.5 a week).
Duty: one row per duty date, or a Monday in 'Week commencing' for a whole week on duty.
  Nobody takes a flexi day on a duty day.
Leave: one row per spell of leave, first and last day inclusive.
Team, at the bottom: where this plan meets the last one and the next.
  '9DF day already taken the week before': only when the period starts in week B, and only
  without --previous (a workwell rota of the weeks before, which says it for everyone): the
  IDs of the 9DF workers who already took that fortnight's day in week A, e.g. 'SW01, SW03',
  or 'none'. The others are given a day in the first week.
  'Part fortnight at the end': when the period ends in week A, 'next plan' (the default)
  leaves that fortnight's day to the next plan; 'this plan' gives it in the last week.
  'Sick on a non-working day': 'lost' (the default, as in most council flexi schemes) or
  'given back' (another day in the same week or fortnight), applied by rota replan --absent.
Then run:  workwell rota check team.xlsx   and   workwell rota plan team.xlsx --out rota.xlsx
"""
SERVICE_INSTRUCTIONS = """
A service workbook adds a Teams sheet and a Team column on Staff, Duty and Leave.
Teams: one row per team with its cover minimums. 'Shares duty' (yes/no) puts the team in
  the service's duty rota; 'Duty groups' splits the team so each group is on duty in turn;
  'Duty workers per duty day' asks the planner to name that many people on duty each day.
Team sheet, at the bottom: 'Generate duty' yes lets the planner choose which team is on duty
  in each day or week ('Duty by'), never more than 'Most duty periods in a row' in a row.
  Duty dates on the Duty sheet are kept as given. 'Duty shared by' says what is fair:
  workload per head = duty is a fixed load spread over those present, so a team's duty days
  follow its head count (a team of 4 does twice the days of a team of 2);
  days per person = duty is a burden on each person's time, so every person's duty days are
  as even as possible across the service (whole-team duty, duty groups, named duty workers)."""


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
    _shared_by_choice(book["Team"])
    _print_layouts(book)
    return book


def _shared_by_choice(sheet) -> None:
    """A drop-down of the two sharing rules on the Team sheet's 'Duty shared by' row."""
    from rota.domain.service import DutyShare

    options = [d.value for d in DutyShare]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "Duty shared by")
    drop_down(sheet, f"B{row}", options)


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
    _seam_settings(sheet, team, len(layout.TEAM_SETTINGS) + (5 if duty is not None else 2))
    if duty is not None:
        extra = {
            "Generate duty": "yes" if duty.generate else "no",
            "Duty by": duty.unit.value,
            "Most duty periods in a row": duty.most_in_a_row,
            "Duty shared by": duty.shared_by.value,
        }
        for row, (label, value) in enumerate(extra.items(), start=len(layout.TEAM_SETTINGS) + 2):
            sheet.cell(row, 1, label)
            sheet.cell(row, 2, value)
    sheet.column_dimensions["A"].width = 40  # the longest label, with room
    sheet.column_dimensions["B"].width = 24


def _seam_settings(sheet, team: Team, first_row: int) -> None:
    """The settings for where plans meet, in their own block, with drop-downs."""
    values = seam_values(team)
    choices = {"last_part": LAST_PART_CHOICES, "sick_on_non_working_day": SICK_DAY_CHOICES}
    for row, (label, field_name) in enumerate(SEAM_SETTINGS.items(), start=first_row):
        sheet.cell(row, 1, label)
        put_text(sheet.cell(row, 2), values[field_name])
        if field_name in choices:
            drop_down(sheet, f"B{row}", choices[field_name], error=None)


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
        person.day_hours,
        str(person.half_day or ""),
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
        ("Staff", f"{column('N')}2:{column('N')}200", ",".join(HALF_DAY_CHOICES)),
    ]
    for sheet_name, cells, options in lists:
        drop_down(book[sheet_name], cells, options.split(","))
    hint = DataValidation(
        type="custom",
        formula1="TRUE",
        allow_blank=True,
        showInputMessage=True,
        prompt=f"Weekdays, comma-separated: {weekdays}",
    )
    book["Staff"].add_data_validation(hint)
    hint.add(f"{column('G')}2:{column('I')}200")
    day = DataValidation(
        type="custom",
        formula1="TRUE",
        allow_blank=True,
        showInputMessage=True,
        prompt="Leave empty for the pattern's day (9DF 8 h 13 min, 4DW 9 h 15 min), or type "
        "hours, e.g. 7.5 or 7:30",
    )
    book["Staff"].add_data_validation(day)
    day.add(f"{column('M')}2:{column('M')}200")
