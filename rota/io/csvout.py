"""The plan as CSV for other systems: one row per person per weekday of the period.

Written as Excel expects a CSV: UTF-8 with a byte-order mark (so names with accents show
right), the same codes as the Rota sheet (NWD, D, L, BH, PT, NT, W) and the patterns as
the Staff sheet writes them. A cell that a spreadsheet would run as a formula (starting
with =, +, -, @, a tab or a carriage return) is written with a leading apostrophe.
"""

from __future__ import annotations

import csv
from pathlib import Path

from common.files import write_atomically
from rota.domain.halfdays import half_off
from rota.domain.plan import Plan
from rota.domain.problem import Problem
from rota.io.excel import CODES, NOT_TAKEN, not_taken_cells
from rota.io.excel_summary import pattern_words

CSV_COLUMNS = ("team", "staff_id", "name", "pattern", "date", "week", "status", "half_day_off")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The value as text no spreadsheet will run: a formula-like start gets an apostrophe."""
    words = str(value)
    return "'" + words if words.startswith(FORMULA_STARTS) else words


def write_csv(path: str | Path, teams: list[tuple[Problem, Plan]]) -> Path:
    """One row per person per weekday, for every team given."""

    def write(temporary: Path) -> None:
        with temporary.open("w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle)
            writer.writerow(CSV_COLUMNS)
            for problem, plan in teams:
                writer.writerows(_rows(problem, plan))

    return write_atomically(path, write)


def _rows(problem: Problem, plan: Plan):
    """Every cell made safe (the days, weeks and codes are ours, and safe as they are)."""
    not_taken = not_taken_cells(problem, plan)
    days = [(day, day.isoformat(), problem.team.week_letter(day)) for day in plan.days]
    team = safe_cell(problem.team.name)
    for person in problem.staff:
        who = (team, safe_cell(person.id), safe_cell(person.name), pattern_words(person))
        for day, date, week in days:
            code = CODES[plan.status(person.id, day)][0]
            status = NOT_TAKEN[0] if (person.id, day) in not_taken else code
            yield (*who, date, week, status, _half_day_off(problem, plan, person, day))


def _half_day_off(problem: Problem, plan: Plan, person, day) -> str:
    """'AM' or 'PM' on a day the person works with a half day off; else empty. The
    status stays W or D: they are at work for the other half."""
    if not plan.status(person.id, day).present:
        return ""
    return half_off(person, day, problem.team.week_letter(day)) or ""
