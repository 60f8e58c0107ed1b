"""Re-plan a written rota when someone is off sick or duty moves.

Days before the re-plan date never change; standing days stay; the previous rota is the
solver's hint and the fewest other non-working days move. Every change is listed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from rota.domain.plan import Plan, Status
from rota.domain.problem import WEEKDAYS, Leave, Problem, ProblemError, StandingDay
from rota.domain.rota import Rota
from rota.domain.rules import describe_day, duty_groups, group_on_duty, owed_periods
from rota.domain.service import DutyRules, Service
from rota.solve.duty import with_duty
from rota.solve.solver import SolveOptions, plan


@dataclass(frozen=True)
class Absence:
    staff_id: str
    first_day: dt.date
    last_day: dt.date

    def __post_init__(self):
        if self.last_day < self.first_day:
            raise ValueError(
                f"absence of {self.staff_id} ends {self.last_day} before it starts {self.first_day}"
            )


@dataclass(frozen=True)
class Change:
    team: str
    staff_id: str
    name: str
    what: str  # "non-working day", "duty"
    before: dt.date | None
    after: dt.date | None
    why: str


@dataclass
class Replan:
    teams: list[tuple[Problem, Plan]]
    changes: list[Change]
    replan_from: dt.date


def replan(
    service: Service,
    grid: Rota,
    absences: list[Absence] = (),
    duty_swaps: list[tuple[dt.date, dt.date]] = (),
    replan_from: dt.date | None = None,
    options: SolveOptions = SolveOptions(),
) -> Replan:
    """Re-plan every team from ``replan_from`` (default: the first absence or swap).

    Sickness may leave cover short: cover minimums are soft here, so the re-plan is the
    rota fewest staff-days short, and each plan's ``shortfalls`` names the days.
    ``options.time_limit`` bounds the whole re-plan, every team included."""
    problems = check_inputs(service, grid, absences, duty_swaps, replan_from)
    if problems:
        raise ProblemError(problems)
    options = options.started()
    starts = [a.first_day for a in absences] + [min(s) for s in duty_swaps]
    replan_from = replan_from or min(starts, default=service.teams[0].team.start)
    duty_days = {p.team.name: _swapped(_duty_days_from(grid, p), duty_swaps) for p in service.teams}
    pools = {p.team.name: _pools_from(grid, p, service, duty_swaps) for p in service.teams}
    fixed = replace(service, duty=DutyRules(generate=False))
    problems = [_with_absences(p, absences) for p in with_duty(fixed, duty_days, pools)]
    teams, changes = [], []
    for problem in problems:
        previous = _previous_plan(problem, grid)
        new = plan(problem, options, previous=previous, frozen_before=replan_from, allow_short=True)
        teams.append((problem, new))
        changes += _changes(problem, previous, new, absences, duty_swaps)
    return Replan(teams, changes, replan_from)


def _pools_from(grid: Rota, problem: Problem, service: Service, swaps):
    """The duty group on duty each day (teams split into groups only): as the rota records
    it was planned, else as its D codes show; a swapped duty day takes the group of the
    day it came from."""
    groups = duty_groups(problem, service.duty_groups.get(problem.team.name, 1))
    if len(groups) < 2:
        return {}
    shown: dict[dt.date, set[str]] = {}
    for person in problem.staff:
        for day in grid.days:
            if grid.statuses[person.id, day] is Status.DUTY:
                shown.setdefault(day, set()).add(person.id)
    pools = {day: group_on_duty(groups, ids, ids) for day, ids in shown.items()}
    recorded = _recorded_duty(grid, problem)
    pools |= {day: ids for day, ids in recorded.items() if ids is not None}
    on_duty = shown.keys() | recorded.keys()
    for first, second in swaps:
        for old, new in ((first, second), (second, first)):
            if old in pools and new not in on_duty:
                pools[new] = pools[old]
    return pools


def _recorded_duty(grid: Rota, problem: Problem) -> dict:
    """The team's duty days (and groups) the rota records it was planned with; {} for a
    hand-made rota."""
    return (grid.planned_duty or {}).get(problem.team.name, {})


def check_inputs(service, grid, absences, duty_swaps, replan_from=None) -> list[str]:
    """Every problem with a re-plan request, in plain words."""
    known = {p.id for problem in service.teams for p in problem.staff}
    period = service.teams[0]
    problems = [
        f"absence for {a.staff_id!r}, who is not in the rules"
        for a in absences
        if a.staff_id not in known
    ]
    days = [d for a in absences for d in (a.first_day, a.last_day)]
    days += [d for swap in duty_swaps for d in swap]
    problems += [
        f"{d} is not a weekday of the period {period.team.start} to {period.team.end}"
        for d in days
        if d not in period.weekdays
    ]
    problems += [
        f"the absence of {a.staff_id} starts on {a.first_day}, before --from {replan_from}: "
        "days before --from never change, so re-plan from the first day of the absence"
        for a in absences
        if replan_from and a.first_day < replan_from
    ]
    missing = sorted(known - {p.id for p in grid.staff})
    problems += [f"{staff_id} is in the rules but not in the rota" for staff_id in missing]
    if sorted(grid.days) != period.weekdays:
        problems.append(
            f"the rota's dates ({min(grid.days)} to {max(grid.days)}) are not the "
            f"rules' period ({period.team.start} to {period.team.end})"
        )
    return problems


def _duty_days_from(grid: Rota, problem: Problem) -> frozenset[dt.date]:
    """The days the rota shows the team on duty (D), and those it records it was planned
    on duty (where everyone of the group on duty may be away, so nobody is on D)."""
    ids = {p.id for p in problem.staff}
    shown = {d for (pid, d), s in grid.statuses.items() if pid in ids and s is Status.DUTY}
    return frozenset(shown | _recorded_duty(grid, problem).keys())


def _swapped(days: frozenset[dt.date], swaps) -> frozenset[dt.date]:
    out = set(days)
    for first, second in swaps:
        if (first in out) != (second in out):
            out ^= {first, second}
    return frozenset(out)


def _with_absences(problem: Problem, absences: list[Absence]) -> Problem:
    ids = {p.id for p in problem.staff}
    extra = [
        Leave(a.staff_id, a.first_day, a.last_day, "sickness")
        for a in absences
        if a.staff_id in ids
    ]
    return replace(problem, leave=[*problem.leave, *extra])


def _previous_plan(problem: Problem, grid: Rota) -> Plan:
    statuses = {(p.id, d): grid.statuses[p.id, d] for p in problem.staff for d in grid.days}
    standing = {}
    for person in grid.staff:
        slot = _standing_from_words(person.standing)
        if slot is not None:
            standing[person.id] = slot
    return Plan(problem.team.name, problem.weekdays, statuses, standing)


def _standing_from_words(words: str) -> StandingDay | None:
    """Reverse of ``str(StandingDay)``: 'Fri (week A)' or 'every Wed'."""
    parts = words.replace("(", " ").replace(")", " ").split()
    days = [WEEKDAYS.index(p) for p in parts if p in WEEKDAYS]
    if not days:
        return None
    week = parts[-1] if parts[-1] in ("A", "B") else None
    return StandingDay(days[0], week)


def _changes(problem, previous: Plan, new: Plan, absences, swaps) -> list[Change]:
    """Every moved day off and every changed duty day, except duty the request itself
    explains: the absent person's own duty days, and a whole team's duty day moved (listed
    once for the team)."""
    out = _team_duty_changes(problem, previous)
    team_moved = _team_duty_days_moved(problem, previous)
    for person in problem.staff:
        sick = {d for a in absences if a.staff_id == person.id for d in _days(a)}
        for period in owed_periods(problem, person) or [None]:
            days = period.days if period else problem.weekdays
            out += _person_changes(problem, person, days, previous, new, absences, swaps)
        duty_days = [d for d in problem.weekdays if d not in sick | team_moved]
        out += _person_changes(
            problem, person, duty_days, previous, new, absences, swaps, Status.DUTY
        )
    return out


def _days(absence: Absence) -> set[dt.date]:
    n = (absence.last_day - absence.first_day).days + 1
    return {absence.first_day + dt.timedelta(days=i) for i in range(n)}


def _person_changes(
    problem, person, days, previous, new, absences, swaps, status=Status.NON_WORKING_DAY
) -> list[Change]:
    def moved():
        before = [
            d
            for d in days
            if previous.statuses[person.id, d] is status
            and new.statuses[person.id, d] is not status
        ]
        after = [
            d
            for d in days
            if new.statuses[person.id, d] is status
            and previous.statuses[person.id, d] is not status
        ]
        return before, after

    out = []
    what = "non-working day" if status is Status.NON_WORKING_DAY else "duty"
    before, after = moved()
    for i in range(max(len(before), len(after))):
        old = before[i] if i < len(before) else None
        now = after[i] if i < len(after) else None
        why = _why(problem, person, old, now, new, absences, swaps)
        out.append(Change(problem.team.name, person.id, person.name, what, old, now, why))
    return out


def _team_duty_days_moved(problem: Problem, previous: Plan) -> set[dt.date]:
    before = {d for (_, d), s in previous.statuses.items() if s is Status.DUTY}
    return before ^ set(problem.duty_days)


def _team_duty_changes(problem: Problem, previous: Plan) -> list[Change]:
    """Whole-team duty moves, listed once for the team rather than once per person."""
    before = {d for (_, d), s in previous.statuses.items() if s is Status.DUTY}
    gone, added = sorted(before - problem.duty_days), sorted(problem.duty_days - before)
    return [
        Change(problem.team.name, "", "(whole team)", "duty", old, now, "duty moved")
        for old, now in zip(gone, added, strict=False)
    ]


def _why(problem, person, old, now, new, absences, swaps) -> str:
    mine = [
        a
        for a in absences
        if a.staff_id == person.id and any(a.first_day <= d <= a.last_day for d in (old, now) if d)
    ]
    if mine:
        return f"off sick {describe_day(mine[0].first_day)} to {describe_day(mine[0].last_day)}"
    if any(d in swap for swap in swaps for d in (old, now) if d):
        return "duty moved"
    day = old or now
    away = [
        p.name
        for p in problem.staff
        if p.id != person.id and new.statuses[p.id, day] is Status.LEAVE
    ]
    if away:
        return f"cover on {describe_day(day)}: {', '.join(away)} away"
    return "cover after the changes"
