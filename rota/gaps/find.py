"""Cover gaps in a finished rota, for service leads looking across teams.

A gap is one team-day on which the rota leaves cover short: fewer people or seniors in
than the rules require, an absent worker whose cover buddy is also away, a flexi day on a
duty day, a duty slot nobody covers, or the caseload of absent colleagues spread too thinly
over those present (displaced workload). Bank holidays are never gaps. The per-day hard
rules come from :func:`rota.domain.checks.check`, so a gap means what a broken rule means there.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from rota.domain.checks import RULES, check
from rota.domain.plan import Status
from rota.domain.problem import Problem
from rota.domain.rota import Rota, RotaError
from rota.domain.rules import buddies_both_away, group_on_duty
from rota.domain.rules import duty_groups as split_into_groups
from rota.gaps.fit import rota_problems

BELOW_MINIMUM = "below minimum present"
BELOW_SENIOR = "below minimum senior"
BUDDY_ABSENT = "cover buddy also absent"
FLEXI_ON_DUTY = "flexi day on a duty day"
DUTY_UNCOVERED = "duty not covered"
DISPLACED_WORKLOAD = "displaced workload"
KINDS = (
    BELOW_MINIMUM,
    BELOW_SENIOR,
    BUDDY_ABSENT,
    FLEXI_ON_DUTY,
    DUTY_UNCOVERED,
    DISPLACED_WORKLOAD,
)
SERVICE = "Service duty"  # the team named on a duty slot that no team covers
DEFAULT_THRESHOLD = 12.0  # absent colleagues' cases per present worker: near a whole extra caseload
AWAY_WORDS = {
    Status.NON_WORKING_DAY: "flexi day",
    Status.LEAVE: "leave",
    Status.OFF: "part-time day",
    Status.BANK_HOLIDAY: "bank holiday",
}


@dataclass(frozen=True)
class Gap:
    """One shortfall on one team-day, with the people involved and what is wrong, in words."""

    team: str
    date: dt.date
    kind: str
    shortfall: int  # staff short of what is needed; 0 for displaced workload
    people: tuple[str, ...]
    detail: str
    cases_per_present_worker: float | None = None  # displaced workload only

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"gap kind must be one of {', '.join(KINDS)}, got {self.kind!r}")
        if self.shortfall < 0:
            raise ValueError(f"gap shortfall must not be negative, got {self.shortfall}")


@dataclass(frozen=True)
class _TeamRota:
    """One team's rules, with the days its rota shows on duty added, and its statuses."""

    problem: Problem
    statuses: dict[tuple[str, dt.date], Status]
    closed: frozenset[dt.date]  # bank holidays: never gaps

    @property
    def name(self) -> str:
        return self.problem.team.name

    def on_duty(self, day: dt.date) -> list[str]:
        return [p.id for p in self.problem.staff if self.statuses[p.id, day] is Status.DUTY]


def find_gaps(
    grid: Rota,
    rules: list[Problem],
    duty_slots: frozenset[dt.date] | None = None,
    duty_workers: dict[str, int] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    duty_groups: dict[str, int] | None = None,
) -> list[Gap]:
    """Every cover gap in ``grid`` under ``rules`` (one Problem per team, matched by name).

    ``duty_slots``: days on which the service needs some team on duty (default: every
    duty day in the rules). ``duty_workers``: team -> staff needed with status DUTY on that
    team's duty days (default: each team's own setting; 0 needs none). ``threshold``: cases
    of absent colleagues per present worker above which workload counts as displaced.
    ``duty_groups``: team -> duty groups it is split into, as the service workbook says.
    Raises RotaError listing every way the rota does not fit the rules.
    """
    problems = rota_problems(grid, rules)
    if problems:
        raise RotaError(problems)
    teams = team_rotas(grid, rules, duty_groups)
    if duty_slots is None:
        duty_slots = frozenset().union(*(t.problem.duty_days for t in teams))
    workers = {t.name: t.problem.team.duty_workers for t in teams} | (duty_workers or {})
    found = []
    for team in teams:
        found += _rule_gaps(team)
        found += _buddy_gaps(team)
        found += _duty_worker_gaps(team, workers.get(team.name, 0))
        found += _workload_gaps(team, threshold)
    found += _uncovered_slots(teams, duty_slots)
    return sorted(found, key=lambda g: (g.date, g.team, KINDS.index(g.kind), g.people))


def team_rotas(
    grid: Rota, rules: list[Problem], duty_groups: dict[str, int] | None = None
) -> list[_TeamRota]:
    """The rota's teams in rota order, each with its rules and statuses."""
    by_name = {p.team.name: p for p in rules}
    teams = []
    for name in grid.teams:
        statuses = grid.team_statuses(name)
        groups = split_into_groups(by_name[name], (duty_groups or {}).get(name, 1))
        planned = (grid.planned_duty or {}).get(name, {})
        problem = _with_duty_shown(_with_duty_planned(by_name[name], planned), statuses, groups)
        problem = _with_duty_planned(problem, planned)  # what was planned wins over a guess
        teams.append(_TeamRota(problem, statuses, _closed_days(problem, statuses)))
    return teams


def _with_duty_planned(problem: Problem, planned: dict) -> Problem:
    """Add the duty days (and duty groups) the rota records it was planned with: the team
    was on duty even where nobody of its group could be marked D."""
    if not planned:
        return problem
    pool = dict(problem.duty_pool)
    for day, ids in planned.items():
        if ids is None:
            pool.pop(day, None)
        else:
            pool[day] = ids
    return dataclasses.replace(
        problem, duty_days=problem.duty_days | planned.keys(), duty_pool=pool
    )


def _with_duty_shown(problem: Problem, statuses: dict, groups: list[frozenset[str]]) -> Problem:
    """Add the days the rota shows anyone on duty (D) to the team's duty days.

    Where the team is split into duty groups, the group on duty is the one with people on
    D. Otherwise, when some of those in are not on D (named duty workers, or groups the
    rules do not name), only those on D count as on duty; when all in are, the whole team.
    """
    shown: dict[dt.date, set[str]] = {}
    for (staff_id, day), status in statuses.items():
        if status is Status.DUTY:
            shown.setdefault(day, set()).add(staff_id)
    pool = dict(problem.duty_pool)
    if len(groups) > 1:
        for day in problem.duty_days | shown.keys():
            present = {p.id for p in problem.staff if statuses[p.id, day].present}
            pool[day] = group_on_duty(groups, shown.get(day, set()), present) or pool.get(day)
        pool = {day: ids for day, ids in pool.items() if ids is not None}
    for day in shown.keys() - problem.duty_days - pool.keys():
        present = {p.id for p in problem.staff if statuses[p.id, day].present}
        if shown[day] != present:
            pool[day] = frozenset(shown[day])
    return dataclasses.replace(problem, duty_days=problem.duty_days | shown.keys(), duty_pool=pool)


def closed_team_days(grid: Rota, rules: list[Problem]) -> set[tuple[str, dt.date]]:
    """(team, day) pairs that are bank holidays, where no gap is looked for."""
    return {(t.name, day) for t in team_rotas(grid, rules) for day in t.closed}


def _closed_days(problem: Problem, statuses: dict) -> frozenset[dt.date]:
    """The rules' bank holidays, and any day the rota shows the whole team on a bank holiday."""
    whole_team = {
        day
        for day in problem.weekdays
        if all(statuses[p.id, day] is Status.BANK_HOLIDAY for p in problem.staff)
    }
    return frozenset(problem.bank_holidays) | whole_team


def _name(team: _TeamRota, staff_id: str) -> str:
    return team.problem.member(staff_id).name or staff_id


def _away(team: _TeamRota, day: dt.date, people) -> str:
    """'Ann (flexi day), Bob (leave)' for the people of ``people`` not in on ``day``."""
    return ", ".join(
        f"{p.name or p.id} ({AWAY_WORDS[team.statuses[p.id, day]]})"
        for p in people
        if not team.statuses[p.id, day].present
    )


def _rule_gaps(team: _TeamRota) -> list[Gap]:
    """Minimum present, minimum senior and no flexi day on duty, as the checker judges them."""
    builders = {RULES[0]: _below_minimum, RULES[1]: _below_senior, RULES[2]: _flexi_on_duty}
    return [
        builders[result.rule](team, result.day)
        for result in check(team.problem, team.statuses)
        if result.rule in builders and not result.holds and result.day not in team.closed
    ]


def _below_minimum(team: _TeamRota, day: dt.date) -> Gap:
    staff = team.problem.staff
    present = sum(team.statuses[p.id, day].present for p in staff)
    needed = team.problem.min_present_on(day)
    absent = tuple(p.name or p.id for p in staff if not team.statuses[p.id, day].present)
    detail = f"{present} present, {needed} needed; away: {_away(team, day, staff)}"
    return Gap(team.name, day, BELOW_MINIMUM, needed - present, absent, detail)


def _below_senior(team: _TeamRota, day: dt.date) -> Gap:
    seniors = [p for p in team.problem.staff if p.senior]
    present = sum(team.statuses[p.id, day].present for p in seniors)
    needed = team.problem.team.min_senior
    away = _away(team, day, seniors)
    absent = tuple(p.name or p.id for p in seniors if not team.statuses[p.id, day].present)
    detail = f"{present} senior present, {needed} needed" + (f"; away: {away}" if away else "")
    return Gap(team.name, day, BELOW_SENIOR, needed - present, absent, detail)


def _flexi_on_duty(team: _TeamRota, day: dt.date) -> Gap:
    off = [
        p
        for p in team.problem.staff
        if team.statuses[p.id, day] is Status.NON_WORKING_DAY
        and team.problem.in_duty_pool(p.id, day)
    ]
    names = tuple(p.name or p.id for p in off)
    detail = f"{', '.join(names)} on a flexi day while the team is on duty"
    return Gap(team.name, day, FLEXI_ON_DUTY, len(off), names, detail)


def _buddy_gaps(team: _TeamRota) -> list[Gap]:
    """An absent worker whose cover buddy is away too: nobody named holds their cases
    (the cover-buddy rule of :mod:`rota.domain.rules`, on any kind of absence)."""
    found = []
    for day in team.problem.weekdays:
        if day in team.closed:
            continue
        for person, buddy in buddies_both_away(team.problem, team.statuses, day):
            detail = (
                f"{_away(team, day, [person])} is away; their cover buddy "
                f"{_away(team, day, [buddy])} is away too"
            )
            names = (person.name or person.id, buddy.name or buddy.id)
            found.append(Gap(team.name, day, BUDDY_ABSENT, 1, names, detail))
    return found


def _duty_worker_gaps(team: _TeamRota, required: int) -> list[Gap]:
    """A team's duty day with fewer staff marked on duty (D) than it must name."""
    found = []
    for day in sorted(team.problem.duty_days - team.closed):
        on_duty = team.on_duty(day)
        if len(on_duty) < required:
            names = tuple(_name(team, i) for i in on_duty)
            detail = f"{len(on_duty)} on duty (D), {required} needed on the team's duty day"
            short = required - len(on_duty)
            found.append(Gap(team.name, day, DUTY_UNCOVERED, short, names, detail))
    return found


def _uncovered_slots(teams: list[_TeamRota], duty_slots: frozenset[dt.date]) -> list[Gap]:
    """A day the service needs a team on duty and no team shows anyone on duty (D)."""
    found = []
    for day in sorted(duty_slots):
        open_teams = [t for t in teams if t.problem.team.contains(day) and day not in t.closed]
        if not open_teams or any(t.on_duty(day) for t in open_teams):
            continue
        assigned = [t.name for t in open_teams if day in t.problem.duty_days]
        for name in assigned or [SERVICE]:
            detail = (
                f"duty day for {name}, but nobody on the rota is marked on duty (D)"
                if assigned
                else "the service needs a team on duty and no team is on duty"
            )
            found.append(Gap(name, day, DUTY_UNCOVERED, 1, (), detail))
    return found


def _workload_gaps(team: _TeamRota, threshold: float) -> list[Gap]:
    """Team-days where absent colleagues' cases per present worker exceed ``threshold``."""
    found = []
    for day in team.problem.weekdays:
        if day in team.closed:
            continue
        present = [p for p in team.problem.staff if team.statuses[p.id, day].present]
        absent = [p for p in team.problem.staff if p not in present]
        cases = sum(p.caseload for p in absent)
        per_worker = cases / max(len(present), 1)
        if cases and per_worker > threshold:
            carriers = tuple(p.name or p.id for p in present)
            spread = f"over {len(present)} present" if present else "and nobody present"
            detail = (
                f"{cases} cases of {_away(team, day, absent)} {spread}: "
                f"{per_worker:.1f} each, above {threshold:g}"
            )
            gap = Gap(team.name, day, DISPLACED_WORKLOAD, 0, carriers, detail, round(per_worker, 2))
            found.append(gap)
    return found
