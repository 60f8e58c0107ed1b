"""Check every hard rule on a finished rota, in plain Python, independently of the solver."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from rota.domain.halfdays import half_off, half_words, halves_of
from rota.domain.plan import PRESENT, Shortfall, Status
from rota.domain.problem import WEEKDAYS, Pattern, Problem, StaffMember
from rota.domain.rules import (
    Cover,
    OwedPeriod,
    buddies_both_away,
    cannot_take_days,
    cover_buddy_present,
    flexi_in,
    minimum_present,
    minimum_seniors,
    no_flexi_day_on_duty,
    one_day_per_period,
    owed_periods,
)
from rota.domain.seams import days_owed

RULES = (
    "minimum staff present",
    "minimum senior staff present",
    "no flexi day on a duty day",
    "cover buddy present",
    "no flexi day on a day the worker cannot take",
    "at most one flexi day per week (4DW) or fortnight (9DF)",
    "only 9DF and 4DW workers take flexi days",
    "leave, bank holidays and part-time days kept",
)


@dataclass(frozen=True)
class CheckResult:
    day: dt.date
    rule: str
    holds: bool
    detail: str = ""


def check(problem: Problem, statuses: dict) -> list[CheckResult]:
    """One result per rule per weekday of the period."""
    per_period, fixed = _days_off_per_period(problem, statuses), _fixed_days(problem)
    half_days = [p for p in problem.staff if p.half_day]  # only they can split a day
    results = []
    for day in problem.weekdays:
        today = _Day.of(problem, statuses, day, half_days)
        results += [
            _minimum_present(problem, today),
            _minimum_senior(problem, today),
            _no_flexi_on_duty(problem, today),
            _buddies_present(problem, statuses, today),
            _cannot_take_respected(problem, today),
            _one_per_period(today, per_period),
            _flexi_only(today),
            _fixed_absences_kept(problem, today, fixed),
        ]
    return results


@dataclass(frozen=True)
class _Day:
    """One day of a rota, sorted once for every rule checked on it: who is in, who has a
    flexi day off, and the parts of the day cover is counted in (``halves_of``)."""

    day: dt.date
    bank_holiday: bool
    shown: list[Status]  # each person's status, in the order of ``problem.staff``
    present: list[StaffMember]
    off: list[StaffMember]  # a flexi (non-working) day
    halves: tuple[str | None, ...]

    @classmethod
    def of(cls, problem: Problem, statuses: dict, day: dt.date, half_days: list) -> _Day:
        """The day, ``half_days`` being the staff with a half day off in their pattern."""
        shown = [statuses[person.id, day] for person in problem.staff]
        present, off = [], []
        for person, status in zip(problem.staff, shown, strict=True):
            if status in PRESENT:
                present.append(person)
            elif status is Status.NON_WORKING_DAY:
                off.append(person)
        halves = halves_of(half_days, day, problem.team.week_letter(day))
        return cls(day, day in problem.bank_holidays, shown, present, off, halves)


def _minimum_present(problem, today: _Day) -> CheckResult:
    if today.bank_holiday:
        return CheckResult(today.day, RULES[0], True, "bank holiday")
    cover = minimum_present(problem, today.present, today.day, today.halves)
    return _cover_result(today.day, RULES[0], cover)


def _minimum_senior(problem, today: _Day) -> CheckResult:
    if today.bank_holiday:
        return CheckResult(today.day, RULES[1], True, "bank holiday")
    cover = minimum_seniors(problem, today.present, today.day, today.halves)
    return _cover_result(today.day, RULES[1], cover)


def _present(problem: Problem, statuses: dict, day: dt.date) -> list:
    return [p for p in problem.staff if statuses[p.id, day].present]


def _cover_result(day: dt.date, rule: str, cover: Cover) -> CheckResult:
    words = f"{cover.present} present{half_words(cover.half)}, {cover.needed} needed"
    return CheckResult(day, rule, cover.holds, words)


def _no_flexi_on_duty(problem, today: _Day) -> CheckResult:
    off = [p for p in today.off if no_flexi_day_on_duty(problem, p, today.day)]
    return CheckResult(today.day, RULES[2], not off, ", ".join(p.name for p in off))


def _buddies_present(problem, statuses, today: _Day) -> CheckResult:
    # a pair breaks the rule only through a flexi day, so a day nobody takes one holds
    pairs = cover_buddy_present(problem, statuses, today.day) if today.off else []
    broken = [f"{p.name} and cover buddy {buddy.name} both away" for p, buddy in pairs]
    return CheckResult(today.day, RULES[3], not broken, "; ".join(broken))


def _cannot_take_respected(problem, today: _Day) -> CheckResult:
    day = today.day
    broken = [p.name for p in today.off if cannot_take_days(problem, p, day)]
    detail = f"{', '.join(broken)} cannot take {WEEKDAYS[day.weekday()]}" if broken else ""
    return CheckResult(day, RULES[4], not broken, detail)


def _days_off_per_period(problem, statuses) -> set[tuple[str, dt.date]]:
    """(staff id, day) for each day of a week or fortnight that breaks the flexi days it
    owes (one, or none in a part fortnight whose day is another plan's)."""
    broken: set[tuple[str, dt.date]] = set()
    periods: dict[Pattern, list[OwedPeriod]] = {}  # the same for everyone on a pattern
    for person in problem.staff:
        if person.pattern not in periods:
            periods[person.pattern] = owed_periods(problem, person)
        for period in periods[person.pattern]:
            owed = days_owed(problem, person, period)
            if not one_day_per_period(statuses, person, period, owed):
                broken.update((person.id, d) for d in period.days)
    return broken


def _one_per_period(today: _Day, per_period: set) -> CheckResult:
    day = today.day
    broken = [p.name for p in today.off if (p.id, day) in per_period]
    return CheckResult(day, RULES[5], not broken, ", ".join(broken))


def _flexi_only(today: _Day) -> CheckResult:
    broken = [p.name for p in today.off if not p.pattern.is_flexi]
    return CheckResult(today.day, RULES[6], not broken, ", ".join(broken))


def _fixed_absences_kept(problem, today: _Day, fixed: dict) -> CheckResult:
    wrong = []
    for person, shown in zip(problem.staff, today.shown, strict=True):
        expected = Status.BANK_HOLIDAY if today.bank_holiday else fixed.get((person.id, today.day))
        if expected is not None and shown is not expected:
            wrong.append(f"{person.name} shows {shown.value}, expected {expected.value}")
        if expected is None and shown in _FIXED:
            wrong.append(f"{person.name} shows {shown.value} unexpectedly")
    return CheckResult(today.day, RULES[7], not wrong, "; ".join(wrong))


_FIXED = frozenset((Status.LEAVE, Status.OFF, Status.BANK_HOLIDAY))


def _fixed_days(problem: Problem) -> dict[tuple[str, dt.date], Status]:
    """(staff id, day) -> what leave or a part-timer's fixed day off makes the rota show
    (leave first); on a bank holiday everyone shows a bank holiday instead."""
    fixed = {}
    for person in problem.staff:
        if person.pattern is Pattern.PART_TIME:
            days = [d for d in problem.weekdays if d.weekday() in person.fixed_days_off]
            fixed.update(dict.fromkeys(((person.id, d) for d in days), Status.OFF))
        fixed.update(
            dict.fromkeys(((person.id, d) for d in problem.leave_days[person.id]), Status.LEAVE)
        )
    return fixed


def failures(results: list[CheckResult]) -> list[CheckResult]:
    return [r for r in results if not r.holds]


def summary(results: list[CheckResult]) -> Counter:
    """Rule -> number of days on which it fails."""
    return Counter(r.rule for r in failures(results))


def shortfalls(problem: Problem, statuses: dict) -> list[Shortfall]:
    """Every day the rota gives less cover than the rules ask, in plain Python: too few in,
    too few seniors, too few on duty, or a worker and their cover buddy both away on leave.
    (A flexi day never causes one: those are rule breaks, see ``check``.)"""
    found = []
    for day in problem.working_days:
        present = _present(problem, statuses, day)
        staff = minimum_present(problem, present, day)
        seniors = minimum_seniors(problem, present, day)
        wanted = [
            ("staff present", problem.staff, staff.present, staff.needed),
            (
                "senior staff present",
                [p for p in problem.staff if p.senior],
                seniors.present,
                seniors.needed,
            ),
        ]
        if day in problem.duty_days:
            on_duty = sum(statuses[p.id, day] is Status.DUTY for p in problem.staff)
            pool = [p for p in problem.staff if problem.in_duty_pool(p.id, day)]
            wanted.append(("duty", pool, on_duty, max(1, problem.team.duty_workers)))
        for rule, people, count, needed in wanted:
            if count < needed:
                found.append(_shortfall(problem, statuses, day, rule, needed - count, people))
        for pair in buddies_both_away(problem, statuses, day):
            if not flexi_in(pair, statuses, day):
                found.append(_shortfall(problem, statuses, day, "cover buddy", 1, pair))
    return found


def _shortfall(problem, statuses, day, rule: str, short: int, people) -> Shortfall:
    found = {p.name: _why_away(problem, statuses, p, day) for p in people}
    away = {name: why for name, why in found.items() if why}
    letter = problem.team.week_letter(day)
    halves = {  # in for half the day: named, but not a cause to act on
        p.name: f"{half_words(half).strip()} off"
        for p in people
        if statuses[p.id, day].present and (half := half_off(p, day, letter))
    }
    words = ", ".join(f"{name} ({why})" for name, why in {**away, **halves}.items())
    detail = f"away: {words}" if words else f"only {len(people)} on the team"
    return Shortfall(day, rule, short, f"{short} short; {detail}", frozenset(away.values()))


def _why_away(problem: Problem, statuses: dict, person, day: dt.date) -> str | None:
    status = statuses[person.id, day]
    if status.present:
        return None
    if status is Status.LEAVE:
        return problem.leave_days[person.id].get(day, "leave")
    return {Status.OFF: "part-time day off", Status.NON_WORKING_DAY: "flexi day"}.get(
        status, "bank holiday"
    )
