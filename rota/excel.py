"""Write a planned rota as an Excel workbook a manager can read, and read its Rota sheet back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from rota.checks import RULES, check
from rota.files import put_text, write_atomically
from rota.plan import Plan, SolveInfo, Status
from rota.problem import WEEKDAYS, Problem, StaffMember
from rota.rules import describe_day, preference_penalty, shortfall_advice

CODES = {  # status -> (code, fill colour, meaning)
    Status.WORK: ("W", "FFFFFF", "working"),
    Status.DUTY: ("D", "BDD7EE", "working, team on duty"),
    Status.NON_WORKING_DAY: ("NWD", "70AD47", "flexi non-working day"),
    Status.LEAVE: ("L", "F4B183", "leave"),
    Status.BANK_HOLIDAY: ("BH", "A6A6A6", "bank holiday"),
    Status.OFF: ("PT", "D9D9D9", "part-time day off"),
}
NOT_TAKEN = ("NT", "FF9999", "working: owed flexi day not taken (see Summary)")
SHORT = PatternFill("solid", fgColor="FF0000")
SERVICE_DUTY = "Service duty"  # the team named on a duty day no team covers
FIRST_DAY_COLUMN = 6
PERSON_HEADERS = ("Team", "ID", "Name", "Pattern", "Standing day")
HEADER_ROW = 5
QUIET = Font(color="A6A6A6")  # plain working days recede so days off stand out
THIN = Side(style="thin", color="BFBFBF")
WEEK_EDGE = Border(left=Side(style="medium", color="000000"))


def write_rota(path: str | Path, problem: Problem, plan: Plan) -> Path:
    """Write one team's Rota, Summary and Checks sheets atomically."""
    return write_service_rota(path, [(problem, plan)])


def write_service_rota(
    path: str | Path,
    teams: list[tuple[Problem, Plan]],
    info: SolveInfo | None = None,
    changes: list | None = None,
    service_short: list | None = None,
) -> Path:
    """Write several teams' rotas, one block per team on each sheet, atomically; with
    ``changes`` (from a re-plan), a Changes sheet too; ``service_short`` lists the days
    no team could be on duty (``Shortfall``s, on the Checks sheet and red on the Rota)."""
    book = Workbook()
    _rota_sheet(book.active, teams, info or teams[0][1].info)
    _summary_sheet(book.create_sheet("Summary"), teams)
    _checks_sheet(book.create_sheet("Checks"), teams, service_short or [])
    for shortfall in service_short or []:
        column = FIRST_DAY_COLUMN + teams[0][1].days.index(shortfall.day)
        book["Rota"].cell(HEADER_ROW, column).fill = SHORT
    if changes is not None:
        _changes_sheet(book.create_sheet("Changes", 1), changes)
    return write_atomically(path, book.save)


def _rota_sheet(sheet, teams: list[tuple[Problem, Plan]], info: SolveInfo | None) -> None:
    sheet.title = "Rota"
    first, plan = teams[0]
    names = ", ".join(p.team.name for p, _ in teams) if len(teams) < 4 else f"{len(teams)} teams"
    start, end = describe_day(first.team.start), describe_day(first.team.end)
    sheet["A1"] = f"Rota: {names}, {start} to {end}"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = _solve_words(info)
    for column, header in enumerate(PERSON_HEADERS, start=1):
        sheet.cell(HEADER_ROW, column, header).font = Font(bold=True)
    for i, day in enumerate(plan.days):
        _day_header(sheet, FIRST_DAY_COLUMN + i, day, first)
    row = HEADER_ROW + 1
    for problem, team_plan in teams:
        not_taken = _not_taken_cells(problem, team_plan)
        for person in problem.staff:
            _person_row(sheet, row, problem.team.name, person, team_plan, not_taken)
            row += 1
        row = _cover_rows(sheet, row + 1, problem, team_plan) + 2
    _legend(sheet, row)
    _layout_for_print(sheet)


def _solve_words(info: SolveInfo | None) -> str:
    if info is None:
        return ""
    quality = (
        "proven optimal"
        if info.proven_optimal
        else f"best found, within {info.gap:.1%} of the bound on the last goal"
    )
    return f"Plan {quality}; solved in {info.seconds:.1f} s."


def _day_header(sheet, column: int, day: dt.date, problem: Problem) -> None:
    letter = problem.team.week_letter(day)
    if day.weekday() == 0:
        week = (day - problem.team.start).days // 7 + 1
        cell = sheet.cell(HEADER_ROW - 1, column, f"Week {week} ({letter})  w/c {day:%d %b}")
        cell.font = Font(bold=True)
        sheet.merge_cells(
            start_row=HEADER_ROW - 1,
            start_column=column,
            end_row=HEADER_ROW - 1,
            end_column=column + 4,
        )
    cell = sheet.cell(HEADER_ROW, column, day)
    cell.number_format = "ddd d"
    cell.font = Font(bold=True)
    cell.alignment = Alignment(horizontal="center", text_rotation=90)
    if day.weekday() == 0:
        cell.border = WEEK_EDGE
    sheet.column_dimensions[get_column_letter(column)].width = 5.5


def _not_taken_cells(problem: Problem, plan: Plan) -> dict[tuple[str, dt.date], str]:
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


def _person_row(sheet, row: int, team: str, person: StaffMember, plan: Plan, not_taken) -> None:
    standing = plan.standing_days.get(person.id)
    words = (team, person.id, person.name, _pattern_words(person), str(standing or ""))
    for column, value in enumerate(words, start=1):
        put_text(sheet.cell(row, column), value)
    for i, day in enumerate(plan.days):
        status = plan.status(person.id, day)
        code, colour, _ = CODES[status]
        if (person.id, day) in not_taken:
            code, colour, _ = NOT_TAKEN
            sheet.cell(row, FIRST_DAY_COLUMN + i).comment = Comment(
                f"Flexi day not taken: {not_taken[person.id, day]}", "workwell"
            )
        cell = sheet.cell(row, FIRST_DAY_COLUMN + i, code)
        cell.fill = PatternFill("solid", fgColor=colour)
        cell.alignment = Alignment(horizontal="center")
        cell.font = QUIET if status is Status.WORK and code == "W" else Font()
        cell.border = WEEK_EDGE if day.weekday() == 0 else Border(left=THIN)


def _pattern_words(person: StaffMember) -> str:
    return {"FT": "Full time", "PT": "Part time"}.get(person.pattern.value, person.pattern.value)


def _cover_rows(sheet, row: int, problem: Problem, plan: Plan) -> int:
    labels = (
        "Present",
        "Required",
        "Senior present",
        "Senior required",
        "Absent caseload per present worker",
        "Staff short of cover (see Checks)",
    )
    short = {}
    for shortfall in plan.shortfalls:
        short[shortfall.day] = short.get(shortfall.day, 0) + shortfall.short
    for offset, label in enumerate(labels):
        sheet.cell(row + offset, 3, f"{problem.team.name}: {label}").font = Font(bold=True)
    for i, day in enumerate(plan.days):
        if day in problem.bank_holidays:
            continue
        column = FIRST_DAY_COLUMN + i
        present = [p for p in problem.staff if plan.status(p.id, day).present]
        seniors = sum(p.senior for p in present)
        absent_cases = sum(p.caseload for p in problem.staff if p not in present)
        values = (
            len(present),
            problem.min_present_on(day),
            seniors,
            problem.team.min_senior,
            round(absent_cases / max(len(present), 1), 1),
            short.get(day, ""),
        )
        for offset, value in enumerate(values):
            sheet.cell(row + offset, column, value).alignment = Alignment(horizontal="center")
        if day in short:
            sheet.cell(row + len(values) - 1, column).fill = SHORT
            sheet.cell(row + len(values) - 1, column).font = Font(bold=True, color="FFFFFF")
        if len(present) < problem.min_present_on(day):
            sheet.cell(row, column).fill = SHORT
        if seniors < problem.team.min_senior:
            sheet.cell(row + 2, column).fill = SHORT
    return row + len(labels)


def _legend(sheet, row: int) -> None:
    """Below the rota, in the Name and Pattern columns, so no legend row looks like a person."""
    sheet.cell(row, 3, "Legend").font = Font(bold=True)
    entries = [*CODES.values(), NOT_TAKEN, ("", "FF0000", "cover below the minimum")]
    for offset, (code, colour, meaning) in enumerate(entries, start=1):
        cell = sheet.cell(row + offset, 3, code)
        cell.fill = PatternFill("solid", fgColor=colour)
        cell.alignment = Alignment(horizontal="center")
        sheet.cell(row + offset, 4, meaning)


def _layout_for_print(sheet) -> None:
    for column, width in zip("ABCDE", (18, 8, 24, 10, 16), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, FIRST_DAY_COLUMN)
    sheet.row_dimensions[HEADER_ROW].height = 46
    _landscape_fit_to_width(sheet, sheet.PAPERSIZE_A3)
    sheet.print_title_rows = f"{HEADER_ROW - 1}:{HEADER_ROW}"
    sheet.print_title_cols = "A:E"


def _landscape_fit_to_width(sheet, paper) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = paper
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def hours_and_minutes(hours: float) -> str:
    minutes = round(hours * 60)
    return f"{minutes // 60} h {minutes % 60:02d} min"


SUMMARY_HEADERS = (
    "Team",
    "ID",
    "Name",
    "Pattern",
    "Hours per week",
    "Hours per working day",
    "Standing day",
    "Preferred days",
    "Preference met",
    "Days owed",
    "Days taken",
    "On the standing day",
    "Moved",
    "Not taken",
    "Why moved or not taken",
)


def _summary_sheet(sheet, teams: list[tuple[Problem, Plan]]) -> None:
    for column, header in enumerate(SUMMARY_HEADERS, start=1):
        cell = sheet.cell(1, column, header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    row = 2
    for problem, plan in teams:
        for person in problem.staff:
            values = [problem.team.name, *_summary_row(person, plan)]
            for column, value in enumerate(values, start=1):
                put_text(sheet.cell(row, column), value)
                sheet.cell(row, column).alignment = Alignment(wrap_text=True, vertical="top")
            lines = str(values[-1]).count("\n") + 1  # the reasons, one per line
            sheet.row_dimensions[row].height = 15 * max(lines, 1)
            row += 1
    widths = (16, 8, 22, 10, 9, 12, 14, 14, 14, 8, 8, 10, 8, 8, 95)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "D2"
    sheet.row_dimensions[1].height = 45
    _landscape_fit_to_width(sheet, sheet.PAPERSIZE_A4)
    for problem, plan in teams:
        row += 1
        sheet.cell(row, 1, f"{problem.team.name}: {_solve_words(plan.info)}").font = Font(bold=True)
        for number, (goal, value) in enumerate(plan.info.objectives.items() if plan.info else []):
            sheet.cell(row + 1 + number, 1, f"Goal {number + 1}: {goal} = {value}")
        row += 1 + len(plan.info.objectives if plan.info else [])


def _summary_row(person: StaffMember, plan: Plan) -> list:
    owed = plan.owed_to(person.id)
    standing = plan.standing_days.get(person.id)
    span = "Fortnight" if person.pattern.weeks_per_day_off == 2 else "Week"
    reasons = [
        f"{span} from {o.period_start:%a %d %b}: "
        + (f"moved to {o.taken:%a %d %b}" if o.taken else "not taken")
        + f" ({o.reason})"
        for o in owed
        if o.reason
    ]
    counts = (
        [
            len(owed),
            sum(o.taken is not None or o.absorbed_by_bank_holiday for o in owed),
            sum(o.on_standing_day for o in owed),
            sum(o.moved for o in owed),
            sum(o.taken is None and not o.absorbed_by_bank_holiday for o in owed),
        ]
        if owed
        else [""] * 5
    )
    return [
        person.id,
        person.name,
        _pattern_words(person),
        person.hours,
        hours_and_minutes(person.hours_per_working_day),
        str(standing) if standing else "",
        ", ".join(WEEKDAYS[d] for d in person.preferred_days),
        _preference_met(person, standing),
        *counts,
        "\n".join(reasons),
    ]


def _preference_met(person: StaffMember, standing) -> str:
    if standing is None or not person.preferred_days:
        return ""
    rank = preference_penalty(person, standing.weekday)
    return (
        ("1st", "2nd", "3rd", "4th", "5th")[rank] + " choice"
        if rank < len(person.preferred_days)
        else "not a preferred day"
    )


def _checks_sheet(sheet, teams: list[tuple[Problem, Plan]], service_short: list) -> None:
    results = [(p.team.name, r) for p, plan in teams for r in check(p, plan.statuses)]
    broken = [r for _, r in results if not r.holds]
    sheet["A1"] = (
        "All hard rules hold on every day."
        if not broken
        else f"{len(broken)} rule breaks: see the red cells."
    )
    sheet["A1"].font = Font(bold=True, size=12)
    for column, header in enumerate(("Team", "Date", *RULES), start=1):
        cell = sheet.cell(3, column, header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(column)].width = 16 if column <= 2 else 26
    by_day: dict[tuple[str, dt.date], list] = {}
    for team, result in results:
        by_day.setdefault((team, result.day), []).append(result)
    for row, ((team, day), day_results) in enumerate(by_day.items(), start=4):
        put_text(sheet.cell(row, 1), team)
        sheet.cell(row, 2, day).number_format = "ddd d mmm yyyy"
        for column, result in enumerate(day_results, start=3):
            words = ("holds" if result.holds else "BROKEN") + (
                f": {result.detail}" if result.detail else ""
            )
            cell = sheet.cell(row, column)
            put_text(cell, words)
            cell.fill = PatternFill("solid", fgColor="C6EFCE" if result.holds else "FFC7CE")
    _shortfall_list(sheet, teams, service_short, len(by_day) + 5)
    sheet.freeze_panes = "C4"
    sheet.row_dimensions[3].height = 45
    _landscape_fit_to_width(sheet, sheet.PAPERSIZE_A4)


def _shortfall_list(sheet, teams: list[tuple[Problem, Plan]], service_short, row: int) -> None:
    """Days short of cover, named in A2 and listed below the table with the shortfall."""
    short = [(p.team.name, s) for p, plan in teams for s in plan.shortfalls]
    short += [(SERVICE_DUTY, s) for s in service_short]
    if not short:
        return
    days, staff_days = len({(t, s.day) for t, s in short}), sum(s.short for _, s in short)
    sheet["A2"] = (
        f"Cover short on {_count(days, 'team-day')}, {_count(staff_days, 'staff-day')} in all "
        f"(listed from row {row}). " + " ".join(shortfall_advice([s for _, s in short]))
    )
    sheet["A2"].font = Font(bold=True, color="C00000")
    headers = ("Team", "Date", "Short of", "Staff short", "Who is away")
    for column, header in enumerate(headers, start=1):
        sheet.cell(row, column, header).font = Font(bold=True)
    for offset, (team, shortfall) in enumerate(short, start=1):
        values = (team, shortfall.day, shortfall.rule, shortfall.short, shortfall.detail)
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row + offset, column)
            if isinstance(value, str):
                put_text(cell, value)
            else:
                cell.value = value
            cell.fill = PatternFill("solid", fgColor="FFC7CE")
        sheet.cell(row + offset, 2).number_format = "ddd d mmm yyyy"


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}{'' if n == 1 else 's'}"


CHANGE_HEADERS = ("Team", "ID", "Name", "What", "From", "To", "Why")


def _changes_sheet(sheet, changes: list) -> None:
    """Who, from which date to which, and why: one row per moved day."""
    for column, (header, width) in enumerate(
        zip(CHANGE_HEADERS, (18, 8, 22, 16, 16, 16, 60), strict=True), start=1
    ):
        sheet.cell(1, column, header).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
    for row, change in enumerate(changes, start=2):
        values = (
            change.team,
            change.staff_id,
            change.name,
            change.what,
            change.before or "not taken",
            change.after or "not taken",
            change.why,
        )
        for column, value in enumerate(values, start=1):
            put_text(sheet.cell(row, column), value)
            if isinstance(value, dt.date):
                sheet.cell(row, column).number_format = "ddd d mmm yyyy"
    if not changes:
        sheet["A2"] = "Nothing had to change."
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:G{max(len(changes), 1) + 1}"
