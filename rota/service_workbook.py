"""The service workbook: the team workbook's sheets with a Team column, plus a Teams sheet.

Team (service-wide settings and the duty rules), Teams (one row per team: cover minimums,
whether it shares duty, duty groups, named duty workers), Staff, Duty and Leave with a
Team column. Read into a Service; written for the template and the shipped example.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from rota import layout, workbook
from rota.cells import (
    Problems,
    choice,
    open_workbook,
    parse_cells,
    read_rows,
    read_settings,
    text,
    whole_number,
    yes_no,
)
from rota.files import write_atomically
from rota.problem import Problem, Team
from rota.service import DutyRules, DutyUnit, Service

SERVICE_SETTINGS = {
    "Generate duty": "generate",
    "Duty by": "unit",
    "Most duty periods in a row": "most_in_a_row",
}
DUTY_PARSERS = {
    "generate": yes_no,
    "unit": choice({u.value: u for u in DutyUnit}),
    "most_in_a_row": whole_number,
}
TEAMS_COLUMNS = {
    "Team": "name",
    "Minimum staff present": "min_present",
    "Minimum senior staff present": "min_senior",
    "Minimum present on duty days": "min_present_on_duty",
    "Shares duty": "shares_duty",
    "Duty groups": "duty_groups",
    "Duty workers per duty day": "duty_workers",
}
TEAMS_PARSERS = {
    "name": text,
    "min_present": whole_number,
    "min_senior": whole_number,
    "min_present_on_duty": whole_number,
    "shares_duty": yes_no,
    "duty_groups": whole_number,
    "duty_workers": whole_number,
}
WITH_TEAM = {"Team": "team"}


def is_service_workbook(path: str | Path) -> bool:
    return "Teams" in open_workbook(Path(path)).sheetnames


def read_any(path: str | Path) -> Service:
    """A service workbook as it is; a team workbook as a service of one team."""
    if is_service_workbook(path):
        return read_service(path)
    problem = workbook.read_team(path)
    return Service(problem.team.name, [problem])


def read_service(path: str | Path) -> Service:
    """Read and check a service workbook; raise WorkbookError naming every mistake."""
    path = Path(path)
    problems = Problems(path)
    book = open_workbook(path)
    for name in ("Team", "Teams", "Staff"):
        if name not in book.sheetnames:
            problems.add(name, f"missing sheet; the workbook has {', '.join(book.sheetnames)}")
    problems.raise_if_any()
    base = workbook.read_team_sheet(book["Team"], problems)
    duty_values, _ = read_settings(
        book["Team"], SERVICE_SETTINGS, DUTY_PARSERS, set(SERVICE_SETTINGS.values()), problems
    )
    places: dict = {}
    rows = read_rows(book["Teams"], TEAMS_COLUMNS, ("name",), _team_row, problems, places)
    staff, duty, leave, teams_of = _read_team_tables(book, problems, places)
    if base is None or None in (rows, staff, duty, leave):
        problems.raise_if_any()
    service = _assemble(base, rows, staff, duty, leave, teams_of, duty_values, places, problems)
    problems.raise_if_any()
    return service


def _team_row(cells, report) -> dict | None:
    values = parse_cells(cells, TEAMS_PARSERS, report)
    if values is not None and not values.get("name"):
        report("name", "empty; a team name is required")
        return None
    return values


def _read_team_tables(book, problems: Problems, places: dict):
    teams_of: dict[int, str] = {}

    def read(name, columns, required, build):
        if name not in book.sheetnames:
            return []
        return read_rows(
            book[name], {**WITH_TEAM, **columns}, required, build, problems, places, teams_of
        )

    staff = read(
        "Staff", layout.STAFF_COLUMNS, (*layout.REQUIRED_STAFF, "team"), workbook.staff_member
    )
    duty = read("Duty", layout.DUTY_COLUMNS, ("team",), workbook.duty_days)
    leave = read("Leave", layout.LEAVE_COLUMNS, layout.REQUIRED_LEAVE, workbook.leave_spell)
    return staff, duty, leave, teams_of


def _assemble(base: Team, rows, staff, duty, leave, teams_of, duty_values, places, problems):
    teams = {row["name"]: _team_rules(base, row) for row in rows}
    for record in [*staff, *duty]:
        if teams_of[id(record)] not in teams:
            _report(
                places,
                record,
                "team",
                f"team {teams_of[id(record)]!r} is not on the Teams sheet",
                problems,
            )
    team_of_staff = {p.id: teams_of[id(p)] for p in staff}
    problems_by_team = {
        name: Problem(
            rules,
            [p for p in staff if team_of_staff[p.id] == name],
            frozenset(d for days in duty if teams_of[id(days)] == name for d in days),
            [s for s in leave if team_of_staff.get(s.staff_id) == name],
        )
        for name, rules in teams.items()
    }
    for spell in leave:
        if spell.staff_id not in team_of_staff:
            _report(
                places,
                spell,
                "staff_id",
                f"leave for {spell.staff_id!r}, who is not on the Staff sheet",
                problems,
            )
    service = Service(
        base.name,
        list(problems_by_team.values()),
        frozenset(r["name"] for r in rows if r.get("shares_duty")),
        {r["name"]: r.get("duty_groups", 1) for r in rows},
        DutyRules(**duty_values),
    )
    for issue in service.issues():
        _report(places, issue.record, issue.field, issue.message, problems)
    return service


def _team_rules(base: Team, row: dict) -> Team:
    fields = {
        k: row[k]
        for k in ("min_present", "min_senior", "min_present_on_duty", "duty_workers")
        if k in row
    }
    return replace(base, name=row["name"], **fields)


def _report(places, record, field_name, message, problems: Problems) -> None:
    place = places.get(id(record))
    if place is None:
        problems.add("Teams", message)
        return
    sheet, row, columns = place
    headers = {
        f: h
        for h, f in {
            **TEAMS_COLUMNS,
            **WITH_TEAM,
            **layout.STAFF_COLUMNS,
            **layout.LEAVE_COLUMNS,
            **layout.DUTY_COLUMNS,
        }.items()
    }
    problems.add(sheet, message, row, columns.get(field_name), headers.get(field_name))


def write_service_workbook(path: str | Path, service: Service | None = None) -> Path:
    """Write ``service`` as a service workbook, or a template with one example team."""
    from rota.template import service_book

    return write_atomically(path, service_book(service or example_service()).save)


def example_service() -> Service:
    from rota.template import example_problem

    problem = example_problem()
    return Service(
        "Children's services (example)",
        [problem],
        frozenset({problem.team.name}),
        {problem.team.name: 1},
        DutyRules(generate=True, unit=DutyUnit.WEEK),
    )
