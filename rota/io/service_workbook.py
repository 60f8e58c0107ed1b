"""The service workbook: the team workbook's sheets with a Team column, plus a Teams sheet.

Team (service-wide settings and the duty rules), Teams (one row per team: cover minimums,
whether it shares duty, duty groups, named duty workers), Staff, Duty and Leave with a
Team column. Read into a Service; written for the template and the shipped example.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from common.files import write_atomically
from rota.domain.problem import Problem, Team
from rota.domain.service import DutyRules, DutyUnit, Service
from rota.io import layout, workbook
from rota.io.cells import Problems, choice, open_workbook, text, whole_number, yes_no
from rota.io.tables import construct, parse_cells, read_book, read_rows, read_settings, sheets_named
from rota.io.template import example_problem, service_book

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
NO_TEAMS_SHEET = (
    "missing sheet 'Teams': the Staff sheet has a Team column, so this is read as a service "
    "workbook; add the Teams sheet back, or delete the Team column for one team"
)


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
    book = read_book(path, problems, SERVICE_SHEETS)
    sheets = sheets_named(book, SERVICE_SHEETS, problems, {"Teams": NO_TEAMS_SHEET})
    if len(sheets) < len(SERVICE_SHEETS):
        problems.raise_if_any()
    # the cover minimums of each team are on the Teams sheet; region and rule are shared
    said = ("bank_holiday_region", "bank_holiday_rule")
    base, _ = workbook.read_team_sheet(sheets["Team"], problems, said)
    duty_rules = _duty_rules(sheets["Team"], problems)
    tables = Tables(places={})
    rows = read_rows(sheets["Teams"], layout.TEAMS_COLUMNS, _team_row, problems, tables.places)
    _read_team_tables(sheets, problems, tables)
    if None in (base, duty_rules, rows, *tables.lists()):
        problems.raise_if_any()
    workbook.place_weeks(tables.duty, tables.places)
    service = _assemble(base, rows, tables, duty_rules, problems)
    workbook.warn_of_doubts(service.teams, tables.duty, tables.places, problems)
    problems.raise_if_any()
    if warnings is not None:
        warnings.extend(problems.warnings)
    return service


@dataclass
class Tables:
    """The Staff, Duty and Leave rows as read, with each record's Team cell and place."""

    places: dict
    staff: list | None = None
    duty: list | None = None
    leave: list | None = None
    teams_of: dict[int, str] = field(default_factory=dict)  # id(record) -> its Team cell
    unreadable: set[str] = field(default_factory=set)  # ids on Staff rows that failed

    def lists(self) -> tuple:
        return self.staff, self.duty, self.leave


def _duty_rules(sheet, problems: Problems) -> DutyRules | None:
    values, rows = read_settings(
        sheet, SERVICE_SETTINGS, DUTY_PARSERS, set(SERVICE_SETTINGS.values()), problems
    )
    return construct(
        DutyRules, values, lambda f, m: problems.add(sheet.title, m, rows.get(f), 2, "Value")
    )


def _team_row(cells, report) -> dict | None:
    """A Teams row's values; a row with a bad cell keeps only its name (marked unreadable),
    so its staff are not also reported as in a team missing from the sheet."""
    values = parse_cells(cells, TEAMS_PARSERS, report)
    name = text(cells.get("name"))
    if not name:
        report("name", "empty; a team name is required")
        return None
    return values if values is not None else {"name": name, "unreadable": True}


def _read_team_tables(sheets: dict, problems: Problems, tables: Tables) -> None:
    def read(name, columns, build):
        columns = {**WITH_TEAM, **columns}
        return read_rows(sheets[name], columns, build, problems, tables.places, tables.teams_of)

    tables.staff = read("Staff", layout.STAFF_COLUMNS, workbook.staff_member)
    tables.duty = read("Duty", layout.DUTY_COLUMNS, workbook.duty_days)
    tables.leave = read("Leave", layout.LEAVE_COLUMNS, workbook.leave_spell)
    if tables.staff is not None:
        tables.unreadable = workbook.ids_of_unreadable_rows(sheets["Staff"], tables.staff)


def _assemble(base: Team, rows, tables: Tables, duty_rules, problems: Problems) -> Service:
    places, teams_of = tables.places, tables.teams_of
    teams = _teams(base, rows, places, problems)
    records = [*tables.staff, *tables.duty, *tables.leave]
    _check_teams_named({r["name"] for r in rows}, records, tables, problems)
    team_of_staff: dict[str, str] = {}
    for person in tables.staff:
        team_of_staff.setdefault(person.id, teams_of[id(person)])
    service = Service(
        base.name,
        [
            Problem(
                rules,
                [p for p in tables.staff if teams_of[id(p)] == name],
                frozenset(d for days in tables.duty if teams_of[id(days)] == name for d in days),
                [s for s in tables.leave if team_of_staff.get(s.staff_id) == name],
            )
            for name, rules in teams.items()
        ],
        frozenset(r["name"] for r in rows if r.get("shares_duty")),
        {r["name"]: r.get("duty_groups", 1) for r in rows},
        duty_rules,
    )
    _check_leave_teams(tables, team_of_staff, set(teams), problems)
    for issue in [*service.issues(), *service.cover_issues()]:
        if issue.refers_to not in tables.unreadable:  # already reported as a bad cell
            _report(places, issue.record, issue.field, issue.message, problems)
    return service


def _check_leave_teams(tables: Tables, team_of_staff: dict, teams: set, problems) -> None:
    for spell in tables.leave:
        named, actual = tables.teams_of[id(spell)], team_of_staff.get(spell.staff_id)
        if actual is None and spell.staff_id not in tables.unreadable:
            message = f"leave for {spell.staff_id!r}, who is not on the Staff sheet"
            _report(tables.places, spell, "staff_id", message, problems)
        elif named != actual and named and actual in teams:
            message = f"leave for {spell.staff_id} is under team {named!r}; they are in {actual}"
            _report(tables.places, spell, "team", message, problems)


def _teams(base: Team, rows: list[dict], places, problems: Problems) -> dict[str, Team]:
    """Each Teams row as a Team: the service's settings with the row's cover minimums."""
    teams = {}
    for row in rows:
        if row["name"] in teams:
            _report(places, row, "name", f"team {row['name']!r} is listed twice", problems)
            continue
        if row.get("unreadable"):
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


def _check_teams_named(teams, records, tables: Tables, problems: Problems) -> None:
    for record in records:
        name = tables.teams_of[id(record)]
        if name not in teams:
            message = (
                f"team {name!r} is not on the Teams sheet" if name else "empty; a value is required"
            )
            _report(tables.places, record, "team", message, problems)


def _report(places, record, field_name, message, problems: Problems) -> None:
    problems.at(places.get(id(record)), field_name, message, "Teams")


def write_service_workbook(path: str | Path, service: Service | None = None) -> Path:
    """Write ``service`` as a service workbook, or a template with one example team."""
    return write_atomically(path, service_book(service or example_service()).save)


def example_service() -> Service:
    problem = example_problem()
    return Service(
        "Children's services (example)",
        [problem],
        frozenset({problem.team.name}),
        {problem.team.name: 1},
        DutyRules(generate=True, unit=DutyUnit.WEEK),
    )
