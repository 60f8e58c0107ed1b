"""Read a team workbook into a Problem, reporting every mistake with sheet, row and column."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from rota.domain.problem import (
    BANK_HOLIDAY_REGIONS,
    WEEKDAYS,
    BankHolidayRule,
    FieldError,
    Leave,
    Problem,
    StaffMember,
    Team,
)
from rota.io import layout
from rota.io.cells import (
    CellError,
    Place,
    Problems,
    choice,
    date,
    number,
    pattern,
    standing_day,
    text,
    weekdays,
    whole_number,
    yes_no,
)
from rota.io.tables import (
    construct,
    parse_cells,
    read_book,
    read_rows,
    read_settings,
    sheets_named,
)
from rota.io.template import example_problem

TEAM_SHEETS = ("Team", "Staff", "Duty", "Leave")


def read_team(path: str | Path, warnings: list[str] | None = None) -> Problem:
    """Read and check a team workbook; raise WorkbookError naming every mistake.
    Warnings (the workbook can be planned, but likely not as meant) go to ``warnings``."""
    path = Path(path)
    problems = Problems(path)
    book = read_book(path, problems, TEAM_SHEETS)
    sheets = sheets_named(book, TEAM_SHEETS, problems)
    if len(sheets) < len(TEAM_SHEETS):
        problems.raise_if_any()
    places: dict[int, Place] = {}
    team, setting_rows = read_team_sheet(sheets["Team"], problems)
    staff = read_rows(sheets["Staff"], layout.STAFF_COLUMNS, staff_member, problems, places)
    duty = read_rows(sheets["Duty"], layout.DUTY_COLUMNS, duty_days, problems, places)
    leave = read_rows(sheets["Leave"], layout.LEAVE_COLUMNS, leave_spell, problems, places)
    if team is None or None in (staff, duty, leave):
        problems.raise_if_any()  # cross-checks on a half-read workbook would only mislead
    problem = Problem(team, staff, frozenset(d for days in duty for d in days), leave)
    place_weeks(duty, places)
    places[id(team)] = Place(
        sheets["Team"].title, setting_rows, dict.fromkeys(setting_rows, 2), SETTING_HEADERS
    )
    unreadable = ids_of_unreadable_rows(sheets["Staff"], staff)
    for issue in [*problem.issues(), *problem.cover_issues()]:
        if issue.refers_to not in unreadable:  # already reported as a bad cell
            report_issue(issue, places, problems)
    warn_of_doubts([problem], duty, places, problems)
    problems.raise_if_any()
    if warnings is not None:
        warnings.extend(problems.warnings)
    return problem


TEAM_PARSERS = {
    "name": text,
    "start": date,
    "weeks": whole_number,
    "week_a_start": date,
    "min_present": whole_number,
    "min_senior": whole_number,
    "min_present_on_duty": whole_number,
    "bank_holiday_region": choice({r: r for r in BANK_HOLIDAY_REGIONS}),
    "bank_holiday_rule": choice({r.value: r for r in BankHolidayRule}),
}


def read_team_sheet(sheet, problems: Problems, said=None) -> tuple[Team | None, dict[str, int]]:
    """The Team sheet's settings as a Team, and the row of each setting. A setting of
    ``said`` (default: all of DEFAULTS_SAID) left empty is warned of with what is used."""
    before = len(problems.found)
    values, rows = read_settings(
        sheet, layout.TEAM_SETTINGS, TEAM_PARSERS, layout.OPTIONAL_SETTINGS, problems
    )
    required = set(layout.TEAM_SETTINGS.values()) - layout.OPTIONAL_SETTINGS
    if len(problems.found) > before or not required <= values.keys():
        return None, rows  # each missing value was reported (or its cell already was)
    try:
        team = Team(**values)
    except FieldError as error:
        problems.add(sheet.title, str(error), rows.get(error.field), 2, "Value")
        return None, rows
    labels = {f: label for label, f in layout.TEAM_SETTINGS.items()}
    said = DEFAULTS_SAID.keys() if said is None else said
    for field_name, used in DEFAULTS_SAID.items():
        if field_name in rows and field_name not in values and field_name in said:
            message = f"no value for {labels[field_name]!r}, so {used(team)} is used"
            problems.warn(sheet.title, message, rows[field_name], 2, "Value")
    return team, rows


DEFAULTS_SAID = {  # settings whose default, when left empty, changes the plan
    "min_senior": lambda team: str(team.min_senior),
    "bank_holiday_region": lambda team: team.bank_holiday_region,
    "bank_holiday_rule": lambda team: f"{team.bank_holiday_rule.value!r}",
}


def staff_member(cells, report) -> StaffMember | None:
    parsers = {
        "id": text,
        "name": text,
        "role": text,
        "senior": yes_no,
        "hours": number,
        "pattern": pattern,
        "fixed_days_off": weekdays,
        "preferred_days": weekdays,
        "cannot_take": weekdays,
        "agreed_day": standing_day,
        "cover_buddy": text,
        "caseload": whole_number,
    }
    values = parse_cells(cells, parsers, report)
    if values is None:
        return None
    values.setdefault("role", "Social worker")
    values.setdefault("senior", layout.normalise(values["role"]) in layout.SENIOR_ROLES)
    return construct(StaffMember, values, report)


class DutyWeek(list):
    """The five days of a 'Week commencing' row: a mistake in them is in that cell."""


def duty_days(cells, report) -> list[dt.date] | None:
    values = parse_cells(cells, {"date": date, "week": date}, report)
    if values is None:
        return None
    if "week" in values and "date" in values:
        report("week", "both a date and a week commencing; give one or the other")
        return None
    if "week" in values:
        monday = values["week"]
        if monday.weekday() != 0:
            report("week", f"found {monday} ({monday:%A}); expected a Monday")
            return None
        return DutyWeek(monday + dt.timedelta(days=i) for i in range(5))
    if "date" in values:
        return [values["date"]]
    report("date", "empty; give a date or a week commencing")
    return None


def place_weeks(duty: list, places: dict) -> None:
    """Point each day of a week row at its 'Week commencing' cell."""
    for days in duty:
        if isinstance(days, DutyWeek):
            for day in days:
                place = places[id(day)]
                columns = {**place.columns, "date": place.columns["week"]}
                headers = {**place.headers, "date": place.headers["week"]}
                places[id(day)] = replace(place, columns=columns, headers=headers)


def leave_spell(cells, report) -> Leave | None:
    parsers = {"staff_id": text, "first_day": date, "last_day": date, "kind": leave_type}
    values = parse_cells(cells, parsers, report)
    if values is None:
        return None
    values.setdefault("kind", "annual leave")  # the Type left empty
    return construct(Leave, values, report)


LEAVE_WORDS = {  # the Type column: the template's four, and the words people type
    **{layout.normalise(kind): kind.lower() for kind in layout.LEAVE_TYPES},
    **dict.fromkeys(("annual", "holiday", "al"), "annual leave"),
    **dict.fromkeys(("sick", "sick leave", "illness"), "sickness"),
}


def leave_type(value) -> str:
    kind = LEAVE_WORDS.get(layout.normalise(value))
    if kind is None:
        raise CellError(f"expected one of {', '.join(layout.LEAVE_TYPES)}")
    return kind


def ids_of_unreadable_rows(sheet, staff: list[StaffMember]) -> set[str]:
    """IDs on Staff rows that failed to parse, so nothing is reported twice."""
    column = next((c.column for c in sheet[1] if layout.normalise(c.value or "") == "id"), 1)
    ids = {text(sheet.cell(row, column).value) for row in range(2, sheet.max_row + 1)}
    return ids - {p.id for p in staff} - {""}


SETTING_HEADERS = dict.fromkeys(layout.TEAM_SETTINGS.values(), "Value")


def report_issue(issue, places, problems: Problems) -> None:
    """Report a cross-record issue at the cell of its record's field, where known."""
    place = None if issue.field == "staff" else places.get(id(issue.record))
    problems.at(place, issue.field, issue.message, "Staff")


def warn_of_doubts(teams: list[Problem], duty_rows: list, places, problems: Problems) -> None:
    """Warn of what plans but is probably not meant, each at its cell: the template's
    example person left in, cover minimums all 0 or lower on duty days, a preferred or
    standing day that is also a day the person cannot take, duty typed on a bank holiday,
    and one person's leave typed twice over the same days."""
    for problem in teams:
        _example_left_in(problem.staff, places, problems)
        _cover_doubts(problem.team, places, problems)
        for person in problem.staff:
            _day_doubts(person, places.get(id(person)), problems)
        _overlapping_leave(problem.leave, places, problems)
    holidays = teams[0].bank_holidays if teams else {}
    for row in duty_rows:
        if len(row) == 1 and row[0] in holidays:  # a Date row, not a whole week
            message = (
                f"duty on {row[0]}, a bank holiday ({holidays[row[0]]}): nobody works that "
                "day, so it is not a duty day"
            )
            problems.at(places.get(id(row[0])), "date", message, "Duty", warn=True)


def _example_left_in(staff, places, problems: Problems) -> None:
    example = example_problem().staff[0]
    for person in staff:
        if (person.id, person.name) == (example.id, example.name):
            message = (
                f"the template's example person {example.name} ({example.id}) is still here; "
                "delete the row (and their leave) unless they are on the team"
            )
            problems.at(places.get(id(person)), "name", message, "Staff", warn=True)


def _cover_doubts(team: Team, places, problems: Problems) -> None:
    place = places.get(id(team))
    if team.min_present == team.min_senior == (team.min_present_on_duty or 0) == 0:
        message = (
            f"every cover minimum of {team.name} is 0, so the plan may leave nobody in; "
            "give the minimum staff present"
        )
        problems.at(place, "min_present", message, "Team", warn=True)
    elif (team.min_present_on_duty or team.min_present) < team.min_present:
        message = (
            f"minimum present on duty days ({team.min_present_on_duty}) is below the minimum "
            f"staff present ({team.min_present}), so duty days need fewer people than others"
        )
        problems.at(place, "min_present_on_duty", message, "Team", warn=True)


def _day_doubts(person: StaffMember, place, problems: Problems) -> None:
    never = set(person.cannot_take)
    clash = [WEEKDAYS[d] for d in person.preferred_days if d in never]
    if clash:
        message = (
            f"{', '.join(clash)} is both preferred and a day {person.id} cannot take; "
            "it will never be given"
        )
        problems.at(place, "preferred_days", message, "Staff", warn=True)
    if person.agreed_day and person.agreed_day.weekday in never:
        message = (
            f"standing day {person.agreed_day} of {person.id} is a day they cannot take, "
            "so it will be moved every time"
        )
        problems.at(place, "agreed_day", message, "Staff", warn=True)


def _overlapping_leave(leave: list[Leave], places, problems: Problems) -> None:
    latest: dict[str, Leave] = {}
    for spell in sorted(leave, key=lambda s: (s.staff_id, s.first_day)):
        before = latest.get(spell.staff_id)
        if before and spell.first_day <= before.last_day:
            place = places.get(id(before))
            row = f" (row {place.row})" if place else ""
            message = (
                f"leave for {spell.staff_id} from {spell.first_day} overlaps their leave from "
                f"{before.first_day} to {before.last_day}{row}; check which is right"
            )
            problems.at(places.get(id(spell)), "first_day", message, "Leave", warn=True)
        if before is None or spell.last_day > before.last_day:
            latest[spell.staff_id] = spell
