"""Before looking for gaps: check a rota fits its rules, or make minimal rules from the rota.

Every mistake is reported at once, each naming the rota file, sheet, row or column.
"""

from __future__ import annotations

import datetime as dt

from rota.domain.plan import Status
from rota.domain.problem import Pattern, Problem, ProblemError, StaffMember, Team
from rota.domain.rota import Rota, RotaPerson
from rota.domain.rules import describe_day
from rota.io.layout import PATTERN_WORDS, normalise

MAX_LISTED = 5  # dates named in one message before "and N more"
HOURS = 37.0  # full-time hours; the gaps checker never uses hours


def rota_problems(grid: Rota, rules: list[Problem], sheet: str | None = None) -> list[str]:
    """Every way the rota does not fit the rules: teams, people and dates (``sheet``: the
    sheet to name, if not the one the rota was read from)."""
    where = f"{grid.source}: {sheet or grid.sheet}"
    by_name: dict[str, Problem] = {}
    found = []
    for problem in rules:
        if problem.team.name in by_name:
            found.append(f"the rules hold team {problem.team.name!r} more than once")
        by_name[problem.team.name] = problem
    for name in grid.teams:
        people = [p for p in grid.staff if p.team == name]
        if name not in by_name:
            found.append(_unknown_team(where, name, people, by_name))
            continue
        found += _staff_mismatches(where, people, by_name[name], by_name)
        found += _date_mismatches(where, grid, by_name[name])
    return list(dict.fromkeys(found))


def _unknown_team(where: str, name: str, people: list[RotaPerson], by_name: dict) -> str:
    others = f" (and {len(people) - 1} more rows)" if len(people) > 1 else ""
    known = ", ".join(repr(n) for n in by_name) or "none"
    return (
        f"{where}, row {people[0].row}{others}, column Team: team {name!r} is not in the "
        f"rules; teams there: {known}"
    )


def _staff_mismatches(where: str, people: list[RotaPerson], problem: Problem, by_name) -> list:
    team = problem.team.name
    in_rules = {p.id for p in problem.staff}
    found = []
    for person in people:
        if person.id in in_rules:
            continue
        elsewhere = [n for n, p in by_name.items() if any(s.id == person.id for s in p.staff)]
        why = (
            f"is on team {elsewhere[0]!r} in the rules, not {team!r}"
            if elsewhere
            else f"is not on the rules' staff list for {team!r}"
        )
        found.append(f"{where}, row {person.row}, column ID: staff id {person.id!r} {why}")
    in_rota = {p.id for p in people}
    found += [
        f"{where}: {p.id} ({p.name}) is on team {team!r} in the rules but has no row in the rota"
        for p in problem.staff
        if p.id not in in_rota
    ]
    return found


def _date_mismatches(where: str, grid: Rota, problem: Problem) -> list[str]:
    team, period = problem.team, set(problem.weekdays)
    span = f"{describe_day(team.start)} to {describe_day(team.end)}"
    found = []
    for day in grid.days:
        column = f"{where}, column {grid.day_columns[day]}"
        if day.weekday() > 4:
            found.append(f"{column}: {describe_day(day)} is a {day:%A}; the rota holds weekdays")
        elif day not in period:
            found.append(
                f"{column}: {describe_day(day)} lies outside the period of {team.name!r} ({span})"
            )
    missing = [d for d in problem.weekdays if d not in grid.day_columns]
    if missing:
        listed = ", ".join(describe_day(d) for d in missing[:MAX_LISTED])
        more = f" and {len(missing) - MAX_LISTED} more" if len(missing) > MAX_LISTED else ""
        found.append(
            f"{where}: no column for {len(missing)} weekday(s) of the period of "
            f"{team.name!r} ({span}): {listed}{more}"
        )
    return found


def rules_from_rota(
    grid: Rota,
    min_present: int,
    min_senior: int = 0,
    seniors: tuple[str, ...] = (),
) -> list[Problem]:
    """Minimal rules for each rota team: its period and people from the rota, no buddies,
    no caseloads, no duty days (the gaps checker takes duty from the D codes of the rota)."""
    ids = {p.id for p in grid.staff}
    found = [f"senior staff id {s!r} is not in the rota" for s in seniors if s not in ids]
    if min_senior and not seniors:
        found.append(
            f"a minimum of {min_senior} senior staff needs the senior staff named: the rota "
            "does not say who is senior"
        )
    if found:
        raise ProblemError(found)
    start, weeks = _period(grid.days)
    problems = []
    for name in grid.teams:
        team = Team(name, start, weeks, start, min_present, min_senior)
        people = [p for p in grid.staff if p.team == name]
        staff = [_member(grid, p, p.id in seniors) for p in people]
        problems.append(Problem(team, staff))
    return problems


def _period(days: list[dt.date]) -> tuple[dt.date, int]:
    """The Monday of the first date, and the whole weeks up to the last date."""
    start = days[0] - dt.timedelta(days=days[0].weekday())
    last_monday = days[-1] - dt.timedelta(days=days[-1].weekday())
    weeks = (last_monday - start).days // 7 + 1
    if weeks > 53:
        raise ProblemError([f"the rota spans {weeks} weeks; at most 53 can be checked at once"])
    return start, weeks


def _member(grid: Rota, person: RotaPerson, senior: bool) -> StaffMember:
    pattern = PATTERN_WORDS.get(normalise(person.pattern), Pattern.FULL_TIME)
    fixed = ()
    if pattern is Pattern.PART_TIME:
        fixed = tuple(
            sorted(
                {d.weekday() for d in grid.days if grid.statuses[person.id, d] is Status.OFF}
                - {5, 6}
            )
        )
        pattern = pattern if fixed else Pattern.FULL_TIME
    role = "Senior" if senior else ""
    return StaffMember(person.id, person.name or person.id, role, senior, HOURS, pattern, fixed)
