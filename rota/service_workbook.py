"""The service workbook: the team workbook's sheets with a Team column, plus a Teams sheet.

Team (service-wide settings and the duty rules), Teams (one row per team: cover minimums,
whether it shares duty, duty groups, named duty workers), Staff, Duty and Leave with a
Team column. Read into a Service; written for the template and the shipped example.
"""

from __future__ import annotations

from pathlib import Path

from rota import layout, workbook
from rota.cells import (
    Problems,
    choice,
    construct,
    open_workbook,
    parse_cells,
    read_book,
    read_rows,
    read_settings,
    sheets_named,
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
SERVICE_SHEETS = ("Team", "Teams", "Staff", "Duty", "Leave")


def is_service_workbook(path: str | Path) -> bool:
    """A Teams sheet, or a Team column on Staff: a service workbook whose Teams sheet was
    deleted must not be read as one big team."""
    sheets = {layout.normalise(s.title): s for s in open_workbook(Path(path))}
    staff = sheets.get("staff")
    return "teams" in sheets or (
        staff is not None and "team" in {layout.normalise(c.value or "") for c in staff[1]}
    )


def read_any(path: str | Path, warnings: list[str] | None = None) -> Service:
    """A service workbook as it is; a team workbook as a service of one team.
    Warnings (the workbook can be planned, but likely not as meant) go to ``warnings``."""
    if is_service_workbook(path):
        return read_service(path, warnings)
    problem = workbook.read_team(path, warnings)
    return Service(problem.team.name, [problem])


def read_service(path: str | Path, warnings: list[str] | None = None) -> Service:
    """Read and check a service workbook; raise WorkbookError naming every mistake."""
    path = Path(path)
    problems = Problems(path)
    book = read_book(path, problems)
    sheets = sheets_named(book, SERVICE_SHEETS, problems)
    if len(sheets) < len(SERVICE_SHEETS):
        problems.raise_if_any()
    base, setting_rows = workbook.read_team_sheet(sheets["Team"], problems)
    duty_rules = _duty_rules(sheets["Team"], problems)
    places: dict = {}
    rows = read_rows(sheets["Teams"], TEAMS_COLUMNS, _team_row, problems, places)
    staff, duty, leave, teams_of = _read_team_tables(sheets, problems, places)
    if None in (base, duty_rules, rows, staff, duty, leave):
        problems.raise_if_any()
    service = _assemble(base, rows, staff, duty, leave, teams_of, duty_rules, places, problems)
    problems.raise_if_any()
    workbook.warn_of_leftovers(staff, [p.team for p in service.teams], places, problems)
    if warnings is not None:
        warnings.extend(problems.warnings)
    return service


def _duty_rules(sheet, problems: Problems) -> DutyRules | None:
    values, rows = read_settings(
        sheet, SERVICE_SETTINGS, DUTY_PARSERS, set(SERVICE_SETTINGS.values()), problems
    )
    return construct(
        DutyRules, values, lambda f, m: problems.add(sheet.title, m, rows.get(f), 2, "Value")
    )


def _team_row(cells, report) -> dict | None:
    values = parse_cells(cells, TEAMS_PARSERS, report)
    if values is not None and not values.get("name"):
        report("name", "empty; a team name is required")
        return None
    return values


def _read_team_tables(sheets: dict, problems: Problems, places: dict):
    teams_of: dict[int, str] = {}

    def read(name, columns, build):
        columns = {**WITH_TEAM, **columns}
        return read_rows(sheets[name], columns, build, problems, places, teams_of)

    staff = read("Staff", layout.STAFF_COLUMNS, workbook.staff_member)
    duty = read("Duty", layout.DUTY_COLUMNS, workbook.duty_days)
    leave = read("Leave", layout.LEAVE_COLUMNS, workbook.leave_spell)
    return staff, duty, leave, teams_of


def _assemble(base: Team, rows, staff, duty, leave, teams_of, duty_rules, places, problems):
    teams = _teams(base, rows, places, problems)
    _check_teams_named(teams, [*staff, *duty, *leave], teams_of, places, problems)
    team_of_staff: dict[str, str] = {}
    for person in staff:
        team_of_staff.setdefault(person.id, teams_of[id(person)])
    problems_by_team = {
        name: Problem(
            rules,
            [p for p in staff if teams_of[id(p)] == name],
            frozenset(d for days in duty if teams_of[id(days)] == name for d in days),
            [s for s in leave if team_of_staff.get(s.staff_id) == name],
        )
        for name, rules in teams.items()
    }
    for spell in leave:
        named, actual = teams_of[id(spell)], team_of_staff.get(spell.staff_id)
        if actual is None:
            message = f"leave for {spell.staff_id!r}, who is not on the Staff sheet"
            _report(places, spell, "staff_id", message, problems)
        elif named != actual and named and actual:
            message = f"leave for {spell.staff_id} is under team {named!r}; they are in {actual}"
            _report(places, spell, "team", message, problems)
    service = Service(
        base.name,
        list(problems_by_team.values()),
        frozenset(r["name"] for r in rows if r.get("shares_duty")),
        {r["name"]: r.get("duty_groups", 1) for r in rows},
        duty_rules,
    )
    for issue in [*service.issues(), *service.cover_issues()]:
        _report(places, issue.record, issue.field, issue.message, problems)
    return service


def _teams(base: Team, rows: list[dict], places, problems: Problems) -> dict[str, Team]:
    """Each Teams row as a Team: the service's settings with the row's cover minimums."""
    teams = {}
    for row in rows:
        if row["name"] in teams:
            _report(places, row, "name", f"team {row['name']!r} is listed twice", problems)
            continue
        fields = {
            k: row[k]
            for k in ("min_present", "min_senior", "min_present_on_duty", "duty_workers")
            if k in row
        }
        team = construct(
            Team,
            {**vars(base), "name": row["name"], **fields},
            lambda f, m, row=row: _report(places, row, f, m, problems),
        )
        if team is not None:
            teams[row["name"]] = team
            places[id(team)] = places[id(row)]
    return teams


def _check_teams_named(teams, records, teams_of, places, problems: Problems) -> None:
    for record in records:
        name = teams_of[id(record)]
        if name not in teams:
            message = (
                f"team {name!r} is not on the Teams sheet" if name else "empty; a value is required"
            )
            _report(places, record, "team", message, problems)


def _report(places, record, field_name, message, problems: Problems) -> None:
    problems.at(places.get(id(record)), field_name, message, "Teams")


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
