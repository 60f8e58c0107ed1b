"""Check every hard rule on a finished rota, in plain Python, independently of the solver."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from rota.domain.plan import Shortfall, Status
from rota.domain.problem import WEEKDAYS, Pattern, Problem
from rota.domain.rules import (
    Cover,
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
    per_period = _days_off_per_period(problem, statuses)
    results = []
    for day in problem.weekdays:
        results += [
            _minimum_present(problem, statuses, day),
            _minimum_senior(problem, statuses, day),
            _no_flexi_on_duty(problem, statuses, day),
            _buddies_present(problem, statuses, day),
            _cannot_take_respected(problem, statuses, day),
            _one_per_period(problem, statuses, day, per_period),
            _flexi_only(problem, statuses, day),
            _fixed_absences_kept(problem, statuses, day),
        ]
    return results


def _off(problem: Problem, statuses: dict, day: dt.date) -> list:
    return [p for p in problem.staff if statuses[p.id, day] is Status.NON_WORKING_DAY]


def _minimum_present(problem, statuses, day) -> CheckResult:
    if day in problem.bank_holidays:
        return CheckResult(day, RULES[0], True, "bank holiday")
    cover = minimum_present(problem, _present(problem, statuses, day), day)
    return _cover_result(day, RULES[0], cover)


def _minimum_senior(problem, statuses, day) -> CheckResult:
    if day in problem.bank_holidays:
        return CheckResult(day, RULES[1], True, "bank holiday")
    cover = minimum_seniors(problem, _present(problem, statuses, day), day)
    return _cover_result(day, RULES[1], cover)


def _present(problem: Problem, statuses: dict, day: dt.date) -> list:
    return [p for p in problem.staff if statuses[p.id, day].present]


def _cover_result(day: dt.date, rule: str, cover: Cover) -> CheckResult:
    return CheckResult(day, rule, cover.holds, f"{cover.present} present, {cover.needed} needed")


def _no_flexi_on_duty(problem, statuses, day) -> CheckResult:
    off = [p for p in _off(problem, statuses, day) if no_flexi_day_on_duty(problem, p, day)]
    return CheckResult(day, RULES[2], not off, ", ".join(p.name for p in off))


def _buddies_present(problem, statuses, day) -> CheckResult:
    broken = [
        f"{p.name} and cover buddy {buddy.name} both away"
        for p, buddy in cover_buddy_present(problem, statuses, day)
    ]
    return CheckResult(day, RULES[3], not broken, "; ".join(broken))


def _cannot_take_respected(problem, statuses, day) -> CheckResult:
    broken = [p.name for p in _off(problem, statuses, day) if cannot_take_days(problem, p, day)]
    detail = f"{', '.join(broken)} cannot take {WEEKDAYS[day.weekday()]}" if broken else ""
    return CheckResult(day, RULES[4], not broken, detail)


def _days_off_per_period(problem, statuses) -> dict[tuple[str, dt.date], bool]:
    """(staff id, day) -> whether the week or fortnight holding that day keeps to one flexi day."""
    kept = {}
    for person in problem.staff:
        for period in owed_periods(problem, person):
            holds = one_day_per_period(statuses, person, period)
            kept.update({(person.id, d): holds for d in period.days})
    return kept


def _one_per_period(problem, statuses, day, per_period) -> CheckResult:
    broken = [p.name for p in _off(problem, statuses, day) if not per_period.get((p.id, day), True)]
    return CheckResult(day, RULES[5], not broken, ", ".join(broken))


def _flexi_only(problem, statuses, day) -> CheckResult:
    broken = [p.name for p in _off(problem, statuses, day) if not p.pattern.is_flexi]
    return CheckResult(day, RULES[6], not broken, ", ".join(broken))


def _fixed_absences_kept(problem, statuses, day) -> CheckResult:
    wrong = []
    for person in problem.staff:
        expected = _expected_fixed(problem, person, day)
        if expected is not None and statuses[person.id, day] is not expected:
            wrong.append(
                f"{person.name} shows {statuses[person.id, day].value}, expected {expected.value}"
            )
        if expected is None and statuses[person.id, day] in (
            Status.LEAVE,
            Status.OFF,
            Status.BANK_HOLIDAY,
        ):
            wrong.append(f"{person.name} shows {statuses[person.id, day].value} unexpectedly")
    return CheckResult(day, RULES[7], not wrong, "; ".join(wrong))


def _expected_fixed(problem, person, day) -> Status | None:
    if day in problem.bank_holidays:
        return Status.BANK_HOLIDAY
    if day in problem.leave_days[person.id]:
        return Status.LEAVE
    if person.pattern is Pattern.PART_TIME and day.weekday() in person.fixed_days_off:
        return Status.OFF
    return None


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
    words = ", ".join(f"{name} ({why})" for name, why in away.items())
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
