"""The plan as CSV for other systems: one row per person per weekday of the period."""

from __future__ import annotations

import csv
from pathlib import Path

from rota.files import write_atomically
from rota.plan import Plan
from rota.problem import Problem

CSV_COLUMNS = ("team", "staff_id", "name", "pattern", "date", "week", "status")


def write_csv(path: str | Path, teams: list[tuple[Problem, Plan]]) -> Path:
    """One row per person per weekday, for every team given."""

    def write(temporary: Path) -> None:
        with temporary.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(CSV_COLUMNS)
            for problem, plan in teams:
                _write_team(writer, problem, plan)

    return write_atomically(path, write)


def _write_team(writer, problem: Problem, plan: Plan) -> None:
    for person in problem.staff:
        for day in plan.days:
            writer.writerow(
                [
                    problem.team.name,
                    person.id,
                    person.name,
                    person.pattern.value,
                    day.isoformat(),
                    problem.team.week_letter(day),
                    plan.status(person.id, day).value,
                ]
            )
