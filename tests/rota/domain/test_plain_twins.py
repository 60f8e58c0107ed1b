"""The checker and the hours balance sort each day once and count in half days, for
speed: on drawn rotas of random teams and of the shipped fixtures, they must give exactly
what the plain definitions give, day by day and person by person."""

import datetime as dt
import importlib.util
import random
from fractions import Fraction
from pathlib import Path

import pytest

from rota.domain.balance import day_length, flexi_bank_holidays, hours_balance, scheduled
from rota.domain.checks import RULES, check
from rota.domain.hours import bank_holiday_share
from rota.domain.plan import Status
from rota.domain.problem import Pattern, Problem
from rota.domain.rules import (
    cannot_take_days,
    cover_buddy_present,
    minimum_present,
    minimum_seniors,
    owed_periods,
)
from rota.domain.seams import days_owed

from .random_rotas import random_plan, random_rotas


def _fixture_problems() -> list[Problem]:
    path = Path(__file__).parents[3] / "fixtures" / "make_rota.py"
    spec = importlib.util.spec_from_file_location("make_rota", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [module.team_problem(), *module.service().teams]


def _cases():
    rng = random.Random(13)
    fixtures = [(p, random_plan(rng, p)) for p in _fixture_problems() for _ in range(3)]
    return fixtures + random_rotas(2026, 120)


CASES = _cases()


def plain_holds(problem: Problem, statuses: dict, day: dt.date) -> list[bool]:
    """Whether each rule of ``RULES`` holds on ``day``, each worked out on its own from
    the statuses, as a person would check it."""
    present = [p for p in problem.staff if statuses[p.id, day].present]
    off = [p for p in problem.staff if statuses[p.id, day] is Status.NON_WORKING_DAY]
    holiday = day in problem.bank_holidays
    return [
        holiday or minimum_present(problem, present, day).holds,
        holiday or minimum_seniors(problem, present, day).holds,
        not any(problem.in_duty_pool(p.id, day) for p in off),
        not cover_buddy_present(problem, statuses, day),
        not any(cannot_take_days(problem, p, day) for p in off),
        all(_period_kept(problem, statuses, p, day) for p in off),
        all(p.pattern.is_flexi for p in off),
        all(_fixed_kept(problem, statuses[p.id, day], p, day) for p in problem.staff),
    ]


def _period_kept(problem, statuses, person, day) -> bool:
    for period in owed_periods(problem, person):
        if day in period.days:
            taken = sum(statuses[person.id, d] is Status.NON_WORKING_DAY for d in period.days)
            return taken <= days_owed(problem, person, period)
    return True


def _fixed_kept(problem, shown: Status, person, day) -> bool:
    if day in problem.bank_holidays:
        return shown is Status.BANK_HOLIDAY
    if day in problem.leave_days[person.id]:
        return shown is Status.LEAVE
    if person.pattern is Pattern.PART_TIME and day.weekday() in person.fixed_days_off:
        return shown is Status.OFF
    return shown not in (Status.LEAVE, Status.OFF, Status.BANK_HOLIDAY)


@pytest.mark.parametrize("case", range(len(CASES)))
def test_the_checker_finds_what_each_rule_plainly_says(case):
    problem, plan = CASES[case]
    results = check(problem, plan.statuses)
    assert [r.rule for r in results] == list(RULES) * len(problem.weekdays)
    for i, day in enumerate(problem.weekdays):
        day_results = results[i * len(RULES) : (i + 1) * len(RULES)]
        assert {r.day for r in day_results} == {day}
        assert [r.holds for r in day_results] == plain_holds(problem, plan.statuses, day), day
        present = [p for p in problem.staff if plan.statuses[p.id, day].present]
        cover = minimum_present(problem, present, day)
        if day not in problem.bank_holidays:  # the count shown is the plain count
            assert day_results[0].detail.startswith(f"{cover.present} present")


def plain_hours(problem: Problem, plan, person) -> dict[str, Fraction]:
    """Worked, leave and bank holiday hours summed day by day in exact fractions, as the
    balance module's docstring defines them."""
    columns = {
        Status.WORK: "worked",
        Status.DUTY: "worked",
        Status.LEAVE: "leave",
        Status.BANK_HOLIDAY: "bank_holidays",
    }
    sums = dict.fromkeys(("worked", "leave", "bank_holidays"), Fraction(0))
    flexi_holidays = flexi_bank_holidays(problem, plan, person)
    for day in plan.days:
        column = columns.get(plan.status(person.id, day))
        if column is None or day.weekday() in person.fixed_days_off or day in flexi_holidays:
            continue
        half = person.half_day and person.half_day.off_on(day, problem.team.week_letter(day))
        sums[column] += day_length(person) / 2 if half else day_length(person)
    return sums


@pytest.mark.parametrize("case", range(len(CASES)))
def test_the_hours_balance_is_the_plain_sum_to_the_second(case):
    problem, plan = CASES[case]
    for person in problem.staff:
        counted = hours_balance(problem, plan, person)
        sums = plain_hours(problem, plan, person)
        assert (counted.worked, counted.leave, counted.bank_holidays) == (
            sums["worked"],
            sums["leave"],
            sums["bank_holidays"],
        ), person.id
        for day in plan.days:  # the one-day figure agrees with the sums
            shown = plan.status(person.id, day)
            if shown is Status.NON_WORKING_DAY or day.weekday() in person.fixed_days_off:
                assert scheduled(problem, plan, person, day) == 0
        holidays = [d for d in sorted(problem.bank_holidays) if d in plan.days]
        if person.pattern is Pattern.PART_TIME and holidays:
            used = sum((scheduled(problem, plan, person, d) for d in holidays), Fraction(0))
            expected = bank_holiday_share(person.hours) * len(holidays) - used
            assert counted.adjustment == expected, person.id


def test_the_drawn_rotas_reach_the_cases_that_matter():
    """Guard the generator: part-timers on bank holidays, half days, every bank holiday
    rule with a standing day on a bank holiday, and broken rules of every kind."""
    notes = [n for p, plan in CASES for s in p.staff for n in hours_balance(p, plan, s).notes]
    for words in ("pro rata", "half day off on a bank holiday", "no hours credited", "(move)"):
        assert any(words in n for n in notes), words
    assert any("(credit): " in n and "no hours" not in n for n in notes)
    broken = {r.rule for p, plan in CASES for r in check(p, plan.statuses) if not r.holds}
    assert broken == set(RULES)
