"""Write a planned rota as an Excel workbook a manager can read, and read its Rota sheet back."""

from __future__ import annotations

import datetime as dt
import math
from functools import cache
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

from common.files import write_atomically
from common.sheets import print_layout, put_text
from common.xlsx_save import collector_paused, save
from rota.domain.halfdays import half_off, halves_of
from rota.domain.plan import PRESENT, Plan, SolveInfo, Status
from rota.domain.problem import Problem, StaffMember
from rota.domain.rules import describe_day, minimum_present, minimum_seniors
from rota.domain.service import Service
from rota.domain.words import hours_and_minutes  # noqa: F401  (kept where callers import it)
from rota.io.excel_summary import (
    changes_sheet,
    checks_sheet,
    pattern_words,
    solve_words,
    summary_sheet,
)
from rota.io.layout import TEAM_WIDTH_MOST
from rota.io.planned_duty import ON_DUTY, duty_words
from rota.io.planned_with import add_rules_sheets
from rota.io.styles import CellStyle, merge_row, put_row, put_style

CODES = {  # status -> (code, fill colour, meaning)
    Status.WORK: ("W", "FFFFFF", "working"),
    Status.DUTY: ("D", "BDD7EE", "working, team on duty"),
    Status.NON_WORKING_DAY: ("NWD", "70AD47", "flexi non-working day"),
    Status.LEAVE: ("L", "F4B183", "leave"),
    Status.BANK_HOLIDAY: ("BH", "A6A6A6", "bank holiday"),
    Status.OFF: ("PT", "D9D9D9", "part-time day off"),
}
NOT_TAKEN = ("NT", "FF9999", "working: owed flexi day not taken (see Summary)")
HALF_DAY_FILL = "FFF2CC"  # a half day off: in for the other half
HALF_DAY_CODES = {  # (status, half off) -> code
    (Status.WORK, "AM"): "AM",
    (Status.WORK, "PM"): "PM",
    (Status.DUTY, "AM"): "D-AM",
    (Status.DUTY, "PM"): "D-PM",
}
HALF_DAY_LEGEND = [
    ("AM", HALF_DAY_FILL, "half day: morning off, working the afternoon"),
    ("PM", HALF_DAY_FILL, "half day: afternoon off, working the morning"),
    ("D-AM", HALF_DAY_FILL, "half day, morning off, team on duty"),
    ("D-PM", HALF_DAY_FILL, "half day, afternoon off, team on duty"),
]
SHORT = PatternFill("solid", fgColor="FF0000")
FIRST_DAY_COLUMN = 6
PERSON_HEADERS = ("Team", "ID", "Name", "Pattern", "Standing day")
HEADER_ROW = 5
WEEKS_PER_PAGE = 4
DAY_WIDTH = 5.5
A4_LANDSCAPE_PIXELS = 1040  # printable width at 96 dpi inside 0.4 inch margins
QUIET = Font(color="A6A6A6")  # plain working days recede so days off stand out
THIN = Side(style="thin", color="BFBFBF")
WEEK_EDGE = Border(left=Side(style="medium", color="000000"))
CENTRE = CellStyle(alignment=Alignment(horizontal="center", shrink_to_fit=False))
SHRINK = CellStyle(alignment=Alignment(horizontal="center", shrink_to_fit=True))
SHORT_CELL = CellStyle(fill=SHORT)
SHORT_WORDS = CellStyle(fill=SHORT, font=Font(bold=True, color="FFFFFF"))
BOLD = CellStyle(font=Font(bold=True))
COVER_LABELS = (
    "Present",
    "Required",
    "Senior present",
    "Senior required",
    "Staff short of cover (see Checks)",
    ON_DUTY,  # read back by rota gaps: duty is known where nobody can be on D
    "Absent caseload per present worker",
)
COVER_STYLES = tuple(  # a duty group's IDs shrink to fit the day's width
    SHRINK if label == ON_DUTY else CENTRE for label in COVER_LABELS
)


def write_rota(path: str | Path, problem: Problem, plan: Plan) -> Path:
    """Write one team's Rota, Summary and Checks sheets atomically."""
    return write_service_rota(path, [(problem, plan)])


def write_service_rota(
    path: str | Path,
    teams: list[tuple[Problem, Plan]],
    info: SolveInfo | None = None,
    changes: list | None = None,
    service_short: list | None = None,
    rules: Service | None = None,
) -> Path:
    """Write several teams' rotas, one block per team on each sheet, atomically; with
    ``changes`` (from a re-plan), a Changes sheet too; with ``rules`` (what was planned
    from), hidden sheets carrying them so ``rota gaps`` needs no ``--rules``;
    ``service_short`` lists the days no team could be on duty (``Shortfall``s, on the
    Checks sheet and red dates on the Rota). Every sheet states the one solve time of the
    whole command."""
    with collector_paused():
        book = Workbook()
        solved = solve_words(info or overall_info(teams))
        _rota_sheet(book.active, teams, solved)
        _mark_uncovered_duty(book.active, teams[0][1], service_short or [])
        summary_sheet(book.create_sheet("Summary"), teams, solved)
        checks_sheet(book.create_sheet("Checks"), teams, solved, service_short or [])
        if changes is not None:
            changes_sheet(book.create_sheet("Changes", 1), changes, solved)
        if rules is not None:
            add_rules_sheets(book, rules)
        return write_atomically(path, lambda temporary: save(book, temporary))


def _mark_uncovered_duty(sheet, plan: Plan, service_short: list) -> None:
    """A duty day no team could be on duty: its date red (and listed on Checks)."""
    for shortfall in service_short:
        cell = sheet.cell(HEADER_ROW, FIRST_DAY_COLUMN + plan.days.index(shortfall.day))
        cell.fill = SHORT
        cell.font = Font(bold=True, color="FFFFFF")


def overall_info(teams: list[tuple[Problem, Plan]]) -> SolveInfo | None:
    """One SolveInfo for teams solved one after another: optimal only if all are."""
    infos = [plan.info for _, plan in teams if plan.info is not None]
    if len(infos) < 2:
        return infos[0] if infos else None
    optimal = all(i.proven_optimal for i in infos)
    return SolveInfo(
        "OPTIMAL" if optimal else "FEASIBLE",
        sum(i.seconds for i in infos),
        max(i.gap for i in infos),
    )


def _rota_sheet(sheet, teams: list[tuple[Problem, Plan]], solved: str) -> None:
    sheet.title = "Rota"
    first, plan = teams[0]
    names = ", ".join(p.team.name for p, _ in teams) if len(teams) < 4 else f"{len(teams)} teams"
    start, end = describe_day(first.team.start), describe_day(first.team.end)
    sheet["A1"] = f"Rota: {names}, {start} to {end}"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = solved
    for column, header in enumerate(PERSON_HEADERS, start=1):
        sheet.cell(HEADER_ROW, column, header).font = Font(bold=True)
    for i, day in enumerate(plan.days):
        _day_header(sheet, FIRST_DAY_COLUMN + i, day, first)
    row = HEADER_ROW + 1
    for problem, team_plan in teams:
        days = [(d, problem.team.week_letter(d), d.weekday() == 0) for d in team_plan.days]
        days_marked = (days, not_taken_cells(problem, team_plan))
        for person in problem.staff:
            _person_row(sheet, row, problem, person, team_plan, days_marked)
            row += 1
        row = _cover_rows(sheet, row + 1, problem, team_plan) + 2
        if problem is not teams[-1][0]:  # each team prints on its own pages
            sheet.row_breaks.append(Break(id=row - 1))
    _legend(sheet, row)
    _layout_for_print(sheet, teams)


def _day_header(sheet, column: int, day: dt.date, problem: Problem) -> None:
    letter = problem.team.week_letter(day)
    if day.weekday() == 0:
        week = (day - problem.team.start).days // 7 + 1
        cell = sheet.cell(HEADER_ROW - 1, column, f"Week {week} ({letter})  w/c {day:%d %b}")
        cell.font = Font(bold=True)
        merge_row(sheet, HEADER_ROW - 1, column, column + 4)
    cell = sheet.cell(HEADER_ROW, column, day)
    cell.number_format = "ddd d"
    cell.font = Font(bold=True)
    cell.alignment = Alignment(horizontal="center", text_rotation=90)
    if day.weekday() == 0:
        cell.border = WEEK_EDGE
    sheet.column_dimensions[get_column_letter(column)].width = DAY_WIDTH


def not_taken_cells(problem: Problem, plan: Plan) -> dict[tuple[str, dt.date], str]:
    """Where to show an owed day not taken: its standing date, or the first working day."""
    cells = {}
    for owed in plan.owed:
        if owed.taken or owed.absorbed_by_bank_holiday:
            continue
        person = problem.member(owed.staff_id)
        span = 14 if person.pattern.weeks_per_day_off == 2 else 7
        days = [
            d
            for d in plan.days
            if owed.period_start <= d < owed.period_start + dt.timedelta(days=span)
            and plan.status(person.id, d) is Status.WORK
        ]
        standing = plan.standing_days[person.id]
        days.sort(key=lambda d: (d.weekday() != standing.weekday, d))
        if days:
            cells[person.id, days[0]] = owed.reason or ""
    return cells


def _person_row(sheet, row: int, problem, person: StaffMember, plan: Plan, days) -> None:
    """The person's day codes; ``days`` is each day with its week's letter (A or B) and
    whether it starts a week, and the owed days not taken (``not_taken_cells``)."""
    days, not_taken = days
    standing = plan.standing_days.get(person.id)
    words = (problem.team.name, person.id, person.name, pattern_words(person), str(standing or ""))
    put_row(sheet, row, 1, words, (None,) * len(words))
    codes, styles, comments = [], [], []
    statuses, halves = plan.statuses, person.half_day  # looked up once, not once a day
    for i, (day, letter, week_starts) in enumerate(days):
        status = statuses[person.id, day]
        code, colour, _ = CODES[status]
        if (person.id, day) in not_taken:
            code, colour, _ = NOT_TAKEN
            comments.append((i, f"Flexi day not taken: {not_taken[person.id, day]}"))
        half = halves and half_off(person, day, letter)
        if half and (status, half) in HALF_DAY_CODES and code != NOT_TAKEN[0]:
            code, colour = HALF_DAY_CODES[status, half], HALF_DAY_FILL
        codes.append(code)
        styles.append(_day_style(colour, status is Status.WORK and code == "W", week_starts))
    put_row(sheet, row, FIRST_DAY_COLUMN, codes, styles)
    for i, words in comments:
        sheet.cell(row, FIRST_DAY_COLUMN + i).comment = Comment(words, "workwell")


@cache
def _day_style(colour: str, quiet: bool, week_starts: bool) -> CellStyle:
    """A person's day: the status's colour, plain working days grey, each week edged."""
    return CellStyle(
        font=QUIET if quiet else Font(),
        fill=PatternFill("solid", fgColor=colour),
        border=WEEK_EDGE if week_starts else Border(left=THIN),
        alignment=Alignment(horizontal="center"),
    )


def _cover_rows(sheet, row: int, problem: Problem, plan: Plan) -> int:
    """Below a team's people: its cover day by day against the minimums, short days red;
    returns the row after them."""
    short = {}
    for shortfall in plan.shortfalls:
        short[shortfall.day] = short.get(shortfall.day, 0) + shortfall.short
    for offset, label in enumerate(COVER_LABELS):
        put_text(sheet.cell(row + offset, 1), problem.team.name)
        put_style(sheet.cell(row + offset, 3, label), BOLD)
    caseload = sum(p.caseload for p in problem.staff)
    days = [
        (FIRST_DAY_COLUMN + i, day)
        for i, day in enumerate(plan.days)
        if day not in problem.bank_holidays
    ]
    figures = [_cover_figures(problem, plan, day, short, caseload) for _, day in days]
    for start, stop in _runs([column for column, _ in days]):  # the days between holidays
        for offset, style in enumerate(COVER_STYLES):
            along = [day_figures[offset] for day_figures in figures[start:stop]]
            put_row(sheet, row + offset, days[start][0], along, [style] * len(along))
    for (column, day), day_figures in zip(days, figures, strict=True):
        in_both, needed, seniors, senior_needed = day_figures[:4]
        if day in short:  # the "Staff short of cover" row
            put_style(sheet.cell(row + 4, column), SHORT_WORDS)
        if in_both < needed:
            put_style(sheet.cell(row, column), SHORT_CELL)
        if seniors < senior_needed:
            put_style(sheet.cell(row + 2, column), SHORT_CELL)
    return row + len(COVER_LABELS)


def _cover_figures(problem: Problem, plan: Plan, day: dt.date, short: dict, caseload: int):
    """One day's figures, in the order of COVER_LABELS."""
    present = [p for p in problem.staff if plan.statuses[p.id, day] in PRESENT]
    absent_cases = caseload - sum(p.caseload for p in present)
    halves = halves_of(problem.staff, day, problem.team.week_letter(day))
    return (
        minimum_present(problem, present, day, halves).present,  # the fewer of two halves
        problem.min_present_on(day),
        minimum_seniors(problem, present, day, halves).present,
        problem.team.min_senior,
        short.get(day, ""),
        duty_words(problem.duty_days, problem.duty_pool, day),
        round(absent_cases / max(len(present), 1), 1),
    )


def _runs(columns: list[int]) -> list[tuple[int, int]]:
    """(start, stop) of each run of consecutive numbers in ``columns``."""
    runs, start = [], 0
    for k in range(1, len(columns) + 1):
        if k == len(columns) or columns[k] != columns[k - 1] + 1:
            runs.append((start, k))
            start = k
    return runs


LEGEND_LINE = 22  # characters of a legend meaning to a line in the Pattern and Standing day columns


def _legend(sheet, row: int) -> None:
    """Below the rota, in the Name and Pattern columns, so no legend row looks like a person."""
    sheet.cell(row, 3, "Legend").font = Font(bold=True)
    entries = [*CODES.values(), NOT_TAKEN, *HALF_DAY_LEGEND]
    entries.append(
        (
            "",
            "FF0000",
            "cover below the minimum (Present: the fewer of morning and "
            "afternoon where someone has a half day off)",
        )
    )
    for offset, (code, colour, meaning) in enumerate(entries, start=1):
        cell = sheet.cell(row + offset, 3, code)
        cell.fill = PatternFill("solid", fgColor=colour)
        cell.alignment = Alignment(horizontal="center", vertical="top")
        # wrapped within the repeated name columns, so later printed pages show it whole
        sheet.cell(row + offset, 4, meaning).alignment = Alignment(vertical="top", wrap_text=True)
        merge_row(sheet, row + offset, 4, 5)
        lines = math.ceil(len(meaning) / LEGEND_LINE)
        if lines > 1:
            sheet.row_dimensions[row + offset].height = 15 * lines


def _layout_for_print(sheet, teams: list[tuple[Problem, Plan]]) -> None:
    """Person columns as wide as what they hold, so a long team name never runs into the
    ID; dates headed on every printed page, people named on every page."""
    people = [person for problem, _ in teams for person in problem.staff]
    widths = (
        min(max(len(problem.team.name) for problem, _ in teams) + 2, TEAM_WIDTH_MOST),
        max(max(len(person.id) for person in people) + 2, 6),
        min(max(max(len(person.name) for person in people) + 2, 16), 34),
        10,
        14,
    )
    for column, width in zip("ABCDE", widths, strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, FIRST_DAY_COLUMN)
    sheet.row_dimensions[HEADER_ROW].height = 46
    print_layout(sheet, f"{HEADER_ROW - 1}:{HEADER_ROW}", "A:E")
    _page_per_weeks(sheet, len(teams[0][1].days) // 5)


def _page_per_weeks(sheet, weeks: int) -> None:
    """A long period prints WEEKS_PER_PAGE weeks to an A4 page, each page fit to its width
    with the names repeated, rather than every week shrunk onto one unreadable page."""
    if weeks <= WEEKS_PER_PAGE:
        return  # one page wide: print_layout's fit to width does it
    for page in range(1, math.ceil(weeks / WEEKS_PER_PAGE)):
        sheet.col_breaks.append(Break(id=FIRST_DAY_COLUMN - 1 + 5 * WEEKS_PER_PAGE * page))
    names = sum(_pixels(sheet.column_dimensions[c].width) for c in "ABCDE")
    page = names + 5 * WEEKS_PER_PAGE * _pixels(DAY_WIDTH)
    sheet.sheet_properties.pageSetUpPr.fitToPage = False  # a scale that fits one page's weeks
    sheet.page_setup.scale = min(100, math.floor(100 * A4_LANDSCAPE_PIXELS / page))


def _pixels(width: float) -> float:
    """Screen pixels of a column ``width`` characters wide: 7 a character in Excel's
    Calibri, taken as 9 so fonts that run wider (LibreOffice's) still fit the page."""
    return width * 9 + 5
