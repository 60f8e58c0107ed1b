"""Turn solver values into a Plan, and say why each moved or untaken day moved."""

from __future__ import annotations

import datetime as dt

from rota.domain.checks import shortfalls
from rota.domain.plan import OwedDay, Plan, SolveInfo, Status
from rota.domain.problem import BankHolidayRule, Problem, StaffMember, StandingDay
from rota.domain.rules import (
    OwedPeriod,
    buddies_away_with,
    describe_day,
    minimum_present,
    minimum_seniors,
    owed_periods,
    why_unavailable,
)


def statuses_for(problem: Problem, non_working: set, named_duty: set | None = None):
    """Status of every person on every weekday, given the chosen non-working days and,
    where the team names its duty workers, who they are."""
    out = {}
    for person in problem.staff:
        for day in problem.weekdays:
            out[person.id, day] = _status(problem, person, day, non_working, named_duty)
    return out


def _status(problem: Problem, person: StaffMember, day: dt.date, non_working, named_duty) -> Status:
    if day in problem.bank_holidays:
        return Status.BANK_HOLIDAY
    if day in problem.leave_days[person.id]:
        return Status.LEAVE
    if day.weekday() in person.fixed_days_off:
        return Status.OFF
    if (person.id, day) in non_working:
        return Status.NON_WORKING_DAY
    if problem.team.duty_workers:
        return Status.DUTY if (person.id, day) in named_duty else Status.WORK
    return Status.DUTY if problem.in_duty_pool(person.id, day) else Status.WORK


def to_plan(problem: Problem, values: dict, info: SolveInfo) -> Plan:
    """A Plan from the solver's values: {'x': ..., 'standing': ..., 'duty': ...}."""
    non_working = {key for key, on in values["x"].items() if on}
    named_duty = {key for key, on in values.get("duty", {}).items() if on}
    statuses = statuses_for(problem, non_working, named_duty)
    chosen = {pid: slot for (pid, slot), on in values["standing"].items() if on}
    plan = Plan(problem.team.name, problem.weekdays, statuses, chosen, [], info)
    plan.shortfalls = shortfalls(problem, statuses)
    for person in problem.staff:
        for period in owed_periods(problem, person):
            plan.owed.append(_owed_day(problem, plan, person, period, chosen[person.id]))
    return plan


def _owed_day(problem, plan, person, period: OwedPeriod, slot: StandingDay) -> OwedDay:
    taken = next(
        (d for d in period.days if plan.status(person.id, d) is Status.NON_WORKING_DAY), None
    )
    standing_date = period.day_of(slot, problem)
    absorbed = (
        problem.team.bank_holiday_rule is BankHolidayRule.ABSORB
        and standing_date in problem.bank_holidays
    )
    on_standing = absorbed or (taken is not None and taken == standing_date)
    reason = None
    if not on_standing:
        reason = (
            _why_moved(problem, plan, person, standing_date)
            if taken
            else _why_not_taken(problem, person, period)
        )
    return OwedDay(person.id, period.start, taken, on_standing, reason, absorbed)


def _why_moved(problem, plan, person, standing_date) -> str:
    if standing_date is None:
        return "standing day's week falls outside the period"
    fixed = why_unavailable(problem, person, standing_date)
    where = describe_day(standing_date)
    return f"{fixed} on {where}" if fixed else f"{_cover_on(problem, plan, person, standing_date)}"


def _why_not_taken(problem, person, period: OwedPeriod) -> str:
    why = [why_unavailable(problem, person, d) for d in period.days]
    if all(why):
        return "no day possible: " + ", ".join(sorted(set(why)))
    return "cover: every possible day would leave the team short"


def _cover_on(problem: Problem, plan: Plan, person: StaffMember, day: dt.date) -> str:
    """Which cover rule taking ``day`` off would break, judged on the finished plan."""
    present = [p for p in problem.staff if plan.status(p.id, day).present]
    without = [p for p in present if p.id != person.id]  # in on ``day``: the day was not taken
    where = describe_day(day)
    cover = minimum_present(problem, without, day)
    if not cover.holds:
        return f"cover on {where}: {len(present)} present, minimum {cover.needed}"
    if person.senior and not minimum_seniors(problem, without, day).holds:
        return f"senior cover on {where}"
    off = [p.name for p in buddies_away_with(problem, plan.statuses, person, day)]
    if off:
        return f"cover buddy {', '.join(off)} off on {where}"
    return f"spreading absences across the week ({where})"
