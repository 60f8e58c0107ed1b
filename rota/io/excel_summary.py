"""The rota workbook's Summary, Checks and Changes sheets: per person, per day, per change."""

from __future__ import annotations

import datetime as dt
import math

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from common.sheets import DATE_FORMAT, DATE_WIDTH, print_layout, put_date, put_text, widen
from rota.domain.checks import RULES, check
from rota.domain.plan import Plan, SolveInfo
from rota.domain.problem import WEEKDAYS, Problem, StaffMember
from rota.domain.rules import preference_penalty, shortfall_advice
from rota.domain.seams import service_end_words
from rota.domain.words import hours_and_minutes, plural
from rota.io.duty_summary import duty_summary
from rota.io.hours_sheet import hours_table
from rota.io.layout import TEAM_WIDTH_MOST
from rota.io.styles import CellStyle, merge_row, put_row, put_style

GOAL_WORDS = {  # the solver's name for a goal -> the README's words for it
    "staff-days short of cover": "short cover: the fewest staff-days short",
    "owed days taken": "every owed non-working day is taken",
    "days changed from the previous plan": "re-plan: the fewest days changed",
    "agreed standing days kept": "agreed standing days are kept",
    "most days moved for one person": "moves shared: the most standing days any one "
    "person gives up to keep cover, as few as possible",
    "days moved off a free standing day": "a standing day is moved only where duty, "
    "leave, a bank holiday or cover forces it",
    "preference (worst-off first)": "preferences, fairly: the worst-off worker's rank first",
    "standing days lost to duty, leave or bank holidays": "among equally liked standing "
    "days, the one that duty and leave disturb least",
    "absences spread across each week": "absences spread across each week",
    "largest displaced caseload": "displaced caseload spread",
    "most duty days for one person": "named duty workers: duty days shared out",
}
REASONS_WIDTH = 80
RULE_WIDTH = 26  # each rule's column on the Checks sheet
SERVICE_DUTY = "Service duty"  # the team named on a duty day no team covers
SHORT_FILL = PatternFill("solid", fgColor="FFC7CE")
SUMMARY_HEADERS = (  # header -> width
    ("Team", 16),
    ("ID", 8),
    ("Name", 22),
    ("Pattern", 10),
    ("Hours per week", 10),
    ("Hours per working day", 14),
    ("Standing day", 14),
    ("Preferred days", 14),
    ("Preference met", 16),
    ("Days owed", 9),
    ("Days taken", 9),
    ("On the standing day", 10),
    ("Moved", 9),
    ("Moved to keep cover", 10),
    ("Not taken", 10),
    ("Why moved or not taken", REASONS_WIDTH),
)
TOP = Alignment(wrap_text=True, vertical="top")
MIDDLE = Alignment(wrap_text=True, vertical="top", horizontal="center")
CENTRED = range(5, 16)  # hours and day counts: centred under their headings, with room
HOLDS = CellStyle(fill=PatternFill("solid", fgColor="C6EFCE"))
BROKEN = CellStyle(fill=PatternFill("solid", fgColor="FFC7CE"))
DATE_CELL = CellStyle(
    number_format=DATE_FORMAT, alignment=Alignment(horizontal="left", vertical="top")
)  # put_date's, for the many dates of the Checks sheet
WHOLE_HOURS, TENTHS_OF_HOURS = CellStyle(number_format='0" h"'), CellStyle(number_format='0.0" h"')
SUMMARY_CELLS = [
    CellStyle(alignment=MIDDLE if c in CENTRED else TOP) for c in range(1, len(SUMMARY_HEADERS) + 1)
]


def pattern_words(person: StaffMember) -> str:
    """The pattern as the Staff sheet writes it: Full time, 9DF, 4DW, Part time."""
    return {"FT": "Full time", "PT": "Part time"}.get(person.pattern.value, person.pattern.value)


def solve_words(info: SolveInfo | None) -> str:
    """The one line every sheet gives about the solve: how good, how long."""
    if info is None:
        return ""
    quality = (
        "proven optimal"
        if info.proven_optimal
        else f"best found, within {info.gap:.1%} of the bound on the last goal"
    )
    return f"Plan {quality}; solved in {info.seconds:.1f} s."


def summary_sheet(sheet, teams: list[tuple[Problem, Plan]], solved: str) -> None:
    for column, (header, width) in enumerate(SUMMARY_HEADERS, start=1):
        cell = sheet.cell(1, column, header)
        cell.font, cell.alignment = Font(bold=True), MIDDLE if column in CENTRED else TOP
        sheet.column_dimensions[get_column_letter(column)].width = width
    row = 2
    for problem, plan in teams:
        for person in problem.staff:
            _summary_row(sheet, row, problem.team.name, person, plan)
            row += 1
    longest = max(len(p.team.name) for p, _ in teams)
    sheet.column_dimensions["A"].width = min(max(16, longest + 2), TEAM_WIDTH_MOST)
    sheet.freeze_panes = "D2"
    sheet.row_dimensions[1].height = 45
    print_layout(sheet, "1:1", "A:C")
    row = _seam_lines(sheet, row + 1, teams)
    row = hours_table(sheet, row, teams, len(SUMMARY_HEADERS)) + 1
    _goals(sheet, row + 1, teams, solved)
    duty_summary(sheet, sheet.max_row + 2, teams)


def _summary_row(sheet, row: int, team: str, person: StaffMember, plan: Plan) -> None:
    values = [team, *_summary_values(person, plan)]
    put_row(sheet, row, 1, values, SUMMARY_CELLS)
    whole = float(person.hours).is_integer()
    put_style(sheet.cell(row, 5), WHOLE_HOURS if whole else TENTHS_OF_HOURS)
    lines = sum(  # the reasons, one per line, long ones wrapped
        math.ceil(max(len(line), 1) / (REASONS_WIDTH * 1.15)) for line in values[-1].split("\n")
    )
    sheet.row_dimensions[row].height = 15 * max(lines, 1)


def _seam_lines(sheet, row: int, teams: list[tuple[Problem, Plan]]) -> int:
    """Say where a plan ends inside a fortnight, and what it does with that fortnight's
    day; returns the next free row."""
    said = service_end_words([problem for problem, _ in teams])
    for offset, words in enumerate(said):
        put_text(sheet.cell(row + offset, 1), words)
        sheet.cell(row + offset, 1).font = Font(bold=True)
    return row + len(said) + (1 if said else 0)


def _goals(sheet, row: int, teams: list[tuple[Problem, Plan]], solved: str) -> None:
    """The solve once, then each team's goals in priority order, in the README's words."""
    sheet.cell(row, 1, solved).font = Font(bold=True)
    row += 1
    for problem, plan in teams:
        goals = plan.info.objectives if plan.info else {}
        if not goals:
            continue
        put_text(sheet.cell(row, 1), f"{problem.team.name}: goals in priority order (score)")
        sheet.cell(row, 1).font = Font(italic=True)
        for number, (goal, value) in enumerate(goals.items(), start=1):
            words = GOAL_WORDS.get(goal, goal)
            sheet.cell(row + number, 1, f"  {number}. {words}: {value}")
        row += 1 + len(goals)


def _summary_values(person: StaffMember, plan: Plan) -> list:
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
            sum(o.off_a_free_standing_day for o in owed),
            sum(o.taken is None and not o.absorbed_by_bank_holiday for o in owed),
        ]
        if owed
        else [""] * 6
    )
    reasons += [words for pid, words in plan.elsewhere if pid == person.id]
    return [
        person.id,
        person.name,
        pattern_words(person),
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


def checks_sheet(
    sheet, teams: list[tuple[Problem, Plan]], solved: str, service_short: list = ()
) -> None:
    """Every hard rule on every day. Days short of cover (``Plan.shortfalls`` and
    ``service_short``, the duty days no team could cover) come first, named in A2 and
    listed above the rules, so a manager sees them before anything else."""
    results = [(p.team.name, r) for p, plan in teams for r in check(p, plan.statuses)]
    broken = [r for _, r in results if not r.holds]
    sheet["A1"] = (
        "All hard rules hold on every day."
        if not broken
        else f"{plural(len(broken), 'rule break')}: see the red cells."
    )
    sheet["A1"].font = Font(bold=True, size=12)
    sheet["A2"] = solved
    short = [(p.team.name, s) for p, plan in teams for s in plan.shortfalls]
    short += [(SERVICE_DUTY, s) for s in service_short]
    header = 3
    if short:
        sheet["A2"] = f"{_shortfall_words(short)} {solved}"
        sheet["A2"].font = Font(bold=True, color="C00000")
        header = _shortfall_list(sheet, short, header) + 2
    _rules_table(sheet, results, header)
    longest = max(len(p.team.name) for p, _ in teams)
    sheet.column_dimensions["A"].width = min(max(12, longest + 2), TEAM_WIDTH_MOST)
    sheet.column_dimensions["B"].width = DATE_WIDTH
    # a long list of short days would fill the screen if frozen: then freeze the columns only
    sheet.freeze_panes = f"C{header + 1}" if len(short) <= 5 else "C1"
    sheet.row_dimensions[header].height = 45
    print_layout(sheet, f"{header}:{header}", "A:B")


def _rules_table(sheet, results: list, header: int) -> None:
    """One row per team-day from ``header``: each rule holds or is BROKEN (red), and why."""
    for column, words in enumerate(("Team", "Date", *RULES), start=1):
        cell = sheet.cell(header, column, words)
        cell.font, cell.alignment = Font(bold=True), TOP
        sheet.column_dimensions[get_column_letter(column)].width = RULE_WIDTH
    by_day: dict[tuple[str, dt.date], list] = {}
    for team, result in results:
        by_day.setdefault((team, result.day), []).append(result)
    for row, ((team, day), day_results) in enumerate(by_day.items(), start=header + 1):
        words = [
            ("holds" if r.holds else "BROKEN") + (f": {r.detail}" if r.detail else "")
            for r in day_results
        ]
        styles = [HOLDS if r.holds else BROKEN for r in day_results]
        put_row(sheet, row, 1, [team, day, *words], [None, DATE_CELL, *styles])
    if by_day:
        widen(sheet, 2, DATE_WIDTH)  # as put_date does


def _shortfall_list(sheet, short: list, row: int) -> int:
    """List (team, ``Shortfall``) pairs from ``row``: the day, the minimum short, by how
    many, and who is away and why (across the rules' columns, which are wide enough to read
    it). Returns the last row written."""
    last_column = 2 + len(RULES)
    headers = ("Team", "Date", "Short of", "Staff short", "Who is away")
    for column, words in enumerate(headers, start=1):
        sheet.cell(row, column, words).font = Font(bold=True)
    for offset, (team, shortfall) in enumerate(short, start=1):
        at = row + offset
        cells = [sheet.cell(at, column) for column in range(1, last_column + 1)]
        put_text(cells[0], team)
        put_text(cells[2], shortfall.rule)
        put_text(cells[4], shortfall.detail)
        for cell in cells:
            cell.fill, cell.alignment = SHORT_FILL, TOP
        cells[3].value, cells[3].alignment = shortfall.short, MIDDLE
        put_date(cells[1], shortfall.day)
        merge_row(sheet, at, 5, last_column)
        lines = math.ceil(len(shortfall.detail) / (RULE_WIDTH * (last_column - 4)))
        sheet.row_dimensions[at].height = 15 * max(lines, 1)
    return row + len(short)


def _shortfall_words(short: list) -> str:
    """'Cover short on 2 team-days, 3 staff-days in all', with advice for the cause."""
    days = len({(team, s.day) for team, s in short})
    staff_days = sum(s.short for _, s in short)
    advice = " ".join(shortfall_advice([s for _, s in short]))
    return (
        f"Cover short on {plural(days, 'team-day')}, {plural(staff_days, 'staff-day')} in all "
        f"(listed below). {advice}"
    )


CHANGE_HEADERS = (  # header -> width
    ("Team", 18),
    ("ID", 8),
    ("Name", 22),
    ("What", 16),
    ("From", DATE_WIDTH),
    ("To", DATE_WIDTH),
    ("Why", 60),
)


def changes_sheet(sheet, changes: list, solved: str) -> None:
    """Who, from which date to which, and why: one row per moved day."""
    for column, (header, width) in enumerate(CHANGE_HEADERS, start=1):
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
            if isinstance(value, dt.date):
                put_date(sheet.cell(row, column), value)
            else:
                put_text(sheet.cell(row, column), value)
                sheet.cell(row, column).alignment = TOP
    if not changes:
        sheet["A2"] = "Nothing had to change."
    last = max(len(changes), 1) + 1
    sheet.cell(last + 2, 1, f"{plural(len(changes), 'change')}. {solved}").font = Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:G{last}"
    print_layout(sheet, "1:1")
