"""Random teams and rotas for comparing fast domain code with its plain definition: part-
timers, half days, typed day lengths, every bank holiday rule, leave of several kinds,
duty groups and cover buddies, with statuses mostly as a plan would give them and now and
then wrong (so the checker has breaks to find). No solver: a rota here is drawn, not planned."""

from __future__ import annotations

import datetime as dt
import random

from rota.domain.halfdays import HalfDay
from rota.domain.plan import OwedDay, Plan, Status
from rota.domain.problem import (
    BankHolidayRule,
    LastPart,
    Leave,
    Pattern,
    Problem,
    StaffMember,
    StandingDay,
    Team,
)
from rota.domain.rules import owed_periods

STARTS = (dt.date(2027, 3, 15), dt.date(2027, 4, 26), dt.date(2027, 12, 13), dt.date(2027, 1, 4))
REGIONS = ("England and Wales", "Scotland", "Northern Ireland")
KINDS = ("annual leave", "sickness", "training")


def random_problem(rng: random.Random) -> Problem:
    start = rng.choice(STARTS) + dt.timedelta(weeks=rng.randrange(3))
    staff = [_member(rng, i) for i in range(rng.randint(2, 8))]
    ids = [p.id for p in staff]
    staff = [
        _with(p, cover_buddy=rng.choice([b for b in ids if b != p.id])) if rng.random() < 0.3 else p
        for p in staff
    ]
    team = Team(
        "Random",
        start,
        rng.randint(1, 6),
        start + dt.timedelta(weeks=rng.choice([-1, 0, 1])),
        rng.randint(0, len(staff)),
        rng.randint(0, 2),
        min_present_on_duty=rng.choice([None, 1, 2]),
        bank_holiday_region=rng.choice(REGIONS),
        bank_holiday_rule=rng.choice(list(BankHolidayRule)),
        duty_workers=rng.choice([0, 0, 1]),
        taken_before_start=rng.choice([None, frozenset(), frozenset(ids[:2])]),
        last_part=rng.choice(list(LastPart)),
    )
    weekdays = [
        team.start + dt.timedelta(weeks=w, days=d) for w in range(team.weeks) for d in range(5)
    ]
    duty = frozenset(d for d in weekdays if rng.random() < 0.2)
    pool = {
        d: frozenset(rng.sample(ids, rng.randint(1, len(ids))))
        for d in sorted(duty)
        if rng.random() < 0.5
    }
    leave = []
    for p in staff:
        for _ in range(rng.randint(0, 2)):
            first = rng.choice(weekdays) - dt.timedelta(days=rng.randrange(3))
            last = first + dt.timedelta(days=rng.randrange(8))
            leave.append(Leave(p.id, first, last, rng.choice(KINDS)))
    return Problem(team, staff, duty, leave, pool)


def _member(rng: random.Random, i: int) -> StaffMember:
    pattern = rng.choice(list(Pattern))
    fixed = (
        tuple(sorted(rng.sample(range(5), rng.randint(1, 2))))
        if pattern is Pattern.PART_TIME
        else ()
    )
    part_time = pattern is Pattern.PART_TIME
    hours = rng.choice([22.2, 18.5, 29.6, 14.8] if part_time else [37.0, 36.0, 35.5])
    half_day = None
    if not pattern.is_flexi and rng.random() < 0.4:
        weekday = rng.choice([d for d in range(5) if d not in fixed])
        half_day = HalfDay(weekday, rng.choice(["AM", "PM"]), rng.choice([None, "A", "B"]))
    agreed = None
    if pattern.is_flexi and rng.random() < 0.7:
        week = rng.choice("AB") if pattern is Pattern.NINE_DAY_FORTNIGHT else None
        agreed = StandingDay(rng.randrange(5), week)
    member = StaffMember(
        f"P{i}",
        f"Person {i}",
        "Social worker",
        rng.random() < 0.4,
        hours,
        pattern,
        fixed_days_off=fixed,
        preferred_days=tuple(rng.sample(range(5), rng.randint(0, 2))) if pattern.is_flexi else (),
        cannot_take=(rng.randrange(5),) if pattern.is_flexi and rng.random() < 0.2 else (),
        agreed_day=agreed,
        caseload=rng.randint(0, 20),
        half_day=half_day,
    )
    if rng.random() < 0.3:  # a day length typed on the Staff sheet, within a minute
        member = _with(member, day_hours=round(member.hours_per_working_day, 2))
    return member


def _with(person: StaffMember, **fields) -> StaffMember:
    from dataclasses import replace

    return replace(person, **fields)


def random_plan(rng: random.Random, problem: Problem) -> Plan:
    """A rota for ``problem``: fixed absences kept (nearly always), flexi days drawn."""
    statuses = {}
    for person in problem.staff:
        for day in problem.weekdays:
            statuses[person.id, day] = _status(rng, problem, person, day)
    standing = {}
    for person in problem.staff:
        if person.pattern.is_flexi:
            week = rng.choice("AB") if person.pattern is Pattern.NINE_DAY_FORTNIGHT else None
            standing[person.id] = person.agreed_day or StandingDay(rng.randrange(5), week)
    owed = []
    for person in problem.staff:
        for period in owed_periods(problem, person):
            taken = [d for d in period.days if statuses[person.id, d] is Status.NON_WORKING_DAY]
            slot = standing[person.id]
            owed.append(
                OwedDay(
                    person.id,
                    period.start,
                    taken[0] if taken else None,
                    bool(taken) and period.day_of(slot, problem) == taken[0],
                    None if taken else "cover",
                    absorbed_by_bank_holiday=not taken and rng.random() < 0.3,
                )
            )
    return Plan(problem.team.name, list(problem.weekdays), statuses, standing, owed)


def _status(rng: random.Random, problem: Problem, person: StaffMember, day: dt.date) -> Status:
    if rng.random() < 0.03:
        return rng.choice(list(Status))
    if day in problem.bank_holidays:
        return Status.BANK_HOLIDAY
    if day in problem.leave_days[person.id]:
        return Status.LEAVE
    if day.weekday() in person.fixed_days_off:
        return Status.OFF
    if person.pattern.is_flexi and rng.random() < 0.15:
        return Status.NON_WORKING_DAY
    return Status.DUTY if day in problem.duty_days and rng.random() < 0.5 else Status.WORK


def random_rotas(seed: int, count: int) -> list[tuple[Problem, Plan]]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        problem = random_problem(rng)
        out.append((problem, random_plan(rng, problem)))
    return out
