"""Synthetic teams of any size with the pilot's mix, for benchmarks and demonstrations."""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import replace

from rota.domain.problem import Leave, Pattern, Problem, StaffMember, Team
from rota.domain.service import DutyRules, DutyUnit, Service

START = dt.date(2027, 4, 5)  # a 13-week period from here holds two Monday bank holidays


def synthetic_team(
    size: int,
    weeks: int = 13,
    seed: int = 0,
    name: str = "Team",
    duty_every: int = 4,
    duty_offset: int = 1,
) -> Problem:
    """A team like the pilot's: mostly 9DF on Mondays and Fridays, some 4DW, part-timers,
    seniors, cover buddies, a duty week every ``duty_every`` weeks and a week's leave each."""
    rng = random.Random(seed)
    staff = [_member(rng, i, size) for i in range(size)]
    for a, b in zip(staff[1::4], staff[2::4], strict=False):  # some pairs cover each other
        staff[staff.index(a)] = _with_buddy(a, b.id)
    team = Team(name, START, weeks, START, min_present=math.ceil(0.6 * size), min_senior=1)
    duty = {
        START + dt.timedelta(weeks=w, days=d)
        for w in range(duty_offset, weeks, duty_every)
        for d in range(5)
    }
    leave = []
    for i, person in enumerate(staff):  # staggered, so cover can always be met
        if rng.random() < 0.8:
            monday = START + dt.timedelta(weeks=(i * 5 + seed) % weeks)
            leave.append(Leave(person.id, monday, monday + dt.timedelta(days=4)))
    return Problem(team, staff, frozenset(duty), leave)


def _member(rng: random.Random, i: int, size: int) -> StaffMember:
    senior = i < max(2, size // 5)
    pattern = rng.choices(
        [Pattern.NINE_DAY_FORTNIGHT, Pattern.FULL_TIME, Pattern.FOUR_DAY_WEEK, Pattern.PART_TIME],
        weights=[50, 30, 10, 0 if senior else 10],
    )[0]
    fixed = (
        tuple(sorted(rng.sample(range(5), rng.choice([1, 2]))))
        if pattern is Pattern.PART_TIME
        else ()
    )
    favourites = rng.choice([(4, 0), (0, 4), (4,), (0,), (2, 3), (1, 4)])
    return StaffMember(
        f"S{i + 1:03d}",
        f"Staff {i + 1}",
        "Senior practitioner" if senior else "Social worker",
        senior,
        37.0 - 7.4 * len(fixed),
        pattern,
        fixed_days_off=fixed,
        preferred_days=favourites if pattern.is_flexi else (),
        cannot_take=(rng.randrange(5),) if rng.random() < 0.1 and pattern.is_flexi else (),
        caseload=rng.randint(8, 20),
    )


def _with_buddy(person: StaffMember, buddy: str) -> StaffMember:
    return replace(person, cover_buddy=buddy)


def synthetic_service(teams: int, team_size: int = 10, weeks: int = 13, seed: int = 0):
    """A service of ``teams`` synthetic teams sharing a generated daily duty rota."""
    problems = []
    for t in range(teams):
        problem = synthetic_team(
            team_size, weeks, seed=seed + t, name=f"Team {t + 1:03d}", duty_every=weeks + 1
        )  # no given duty: it is generated
        staff = [_renamed(p, f"T{t + 1:03d}-{p.id}") for p in problem.staff]
        leave = [
            Leave(f"T{t + 1:03d}-{s.staff_id}", s.first_day, s.last_day, s.kind)
            for s in problem.leave
        ]
        problems.append(Problem(problem.team, staff, frozenset(), leave))
    names = frozenset(p.team.name for p in problems)
    return Service(
        "Synthetic service",
        problems,
        names,
        {},
        DutyRules(generate=True, unit=DutyUnit.DAY, most_in_a_row=1),
    )


def _renamed(person: StaffMember, new_id: str) -> StaffMember:
    prefix = new_id.split("-")[0]
    buddy = f"{prefix}-{person.cover_buddy}" if person.cover_buddy else None
    return replace(person, id=new_id, cover_buddy=buddy)
