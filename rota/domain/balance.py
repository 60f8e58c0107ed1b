"""Each person's hours over a planned period, as HR counts them.

balance = worked + leave + bank holidays + bank holiday credit or debt - contracted

- contracted: hours per week times the weeks of the period;
- worked, leave, bank holidays: the hours of the person's own working day (half of it on
  a half day) on each day the rota shows them working, on leave or on a bank holiday; a
  day their pattern has off (a part-timer's day off, the period's flexi day, a bank
  holiday that *is* the period's flexi day) counts nothing;
- bank holiday credit or debt: for part-timers, bank holidays pro rata (a fifth of the
  weekly hours each, Green Book practice) less the hours of those that fell on their
  working days; for everyone else, under the Team sheet's 'credit' rule, the hours of a
  bank holiday that fell on their standing day (and, under 'credit' or 'move', of a half
  day off that fell on one, since a fixed half day has nowhere to move to).

Pure domain: no openpyxl, ortools or click.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from rota.domain.halfdays import half_off
from rota.domain.hours import bank_holiday_share, clock, default_day, exact
from rota.domain.plan import Plan, Status
from rota.domain.problem import BankHolidayRule, Pattern, Problem, StaffMember
from rota.domain.rules import OwedPeriod, owed_periods
from rota.domain.words import plural

COUNTED_AS = {  # status -> the column its hours count in
    Status.WORK: "worked",
    Status.DUTY: "worked",
    Status.LEAVE: "leave",
    Status.BANK_HOLIDAY: "bank_holidays",
}


@dataclass(frozen=True)
class HoursBalance:
    """One person's hours over the period (exact fractions of an hour) and the notes that
    let HR follow them."""

    staff_id: str
    contracted: Fraction
    worked: Fraction
    leave: Fraction
    bank_holidays: Fraction
    adjustment: Fraction  # bank holiday credit (+) or debt (-)
    notes: tuple[str, ...] = ()

    @property
    def balance(self) -> Fraction:
        """Credit (+) or debt (-) of hours against the contract."""
        accounted = self.worked + self.leave + self.bank_holidays + self.adjustment
        return accounted - self.contracted


def day_length(person: StaffMember) -> Fraction:
    """The person's working day: typed on the Staff sheet, or the pattern's."""
    if person.day_hours is not None:
        return exact(person.day_hours)
    return default_day(person.hours, person.working_days_per_week)


def flexi_bank_holidays(
    problem: Problem, plan: Plan, person: StaffMember, periods: list[OwedPeriod] | None = None
) -> set[dt.date]:
    """Bank holidays that are a 9DF or 4DW worker's flexi day for their week or fortnight:
    on the standing day, under the 'absorb' and 'credit' rules. ``periods``: the person's
    ``owed_periods``, when the caller has them."""
    slot = plan.standing_days.get(person.id)
    if slot is None or not problem.team.bank_holiday_rule.bank_holiday_is_the_day:
        return set()
    if periods is None:
        periods = owed_periods(problem, person)
    days = {period.day_of(slot, problem) for period in periods}
    return {d for d in days if d in problem.bank_holidays}


def scheduled(problem: Problem, plan: Plan, person: StaffMember, day: dt.date) -> Fraction:
    """Hours the person's pattern has them at work on ``day``, were it an ordinary day."""
    flexi_holidays = flexi_bank_holidays(problem, plan, person)
    status = plan.status(person.id, day)
    return day_length(person) * _halves(problem, person, day, status, flexi_holidays) / 2


def _halves(problem, person, day: dt.date, status: Status, flexi_holidays: set[dt.date]) -> int:
    """``scheduled`` in half days (0, 1 or 2), so a period's sum is a count of them, made
    hours once at the end. ``status``: the rota's on ``day``; ``flexi_holidays``: the
    person's ``flexi_bank_holidays``."""
    if day.weekday() in person.fixed_days_off or status is Status.NON_WORKING_DAY:
        return 0
    if day in flexi_holidays:
        return 0
    if person.half_day and half_off(person, day, problem.team.week_letter(day)):
        return 1
    return 2


def hours_balance(problem: Problem, plan: Plan, person: StaffMember) -> HoursBalance:
    """The person's hours over the plan's period, with notes saying how they are counted."""
    periods = owed_periods(problem, person)
    hours = _Hours(day_length(person), flexi_bank_holidays(problem, plan, person, periods))
    halves = dict.fromkeys(("worked", "leave", "bank_holidays"), 0)
    for day in plan.days:
        status = plan.status(person.id, day)
        column = COUNTED_AS.get(status)
        if column:
            halves[column] += _halves(problem, person, day, status, hours.flexi_holidays)
    sums = {column: hours.of(count) for column, count in halves.items()}
    adjustment, bank_notes = _bank_holiday_adjustment(problem, plan, person, hours)
    contracted = exact(person.hours) * problem.team.weeks
    notes = [
        f"{clock(exact(person.hours))} a week for {problem.team.weeks} weeks",
        _day_note(person),
        *_leave_note(problem, plan, person, hours),
        *bank_notes,
        *_owed_notes(problem, plan, person, periods),
    ]
    return HoursBalance(person.id, contracted, **sums, adjustment=adjustment, notes=tuple(notes))


@dataclass(frozen=True)
class _Hours:
    """What turns a person's half days into hours: their day, and the bank holidays that
    are their flexi day (worked out once per person, not once per day)."""

    day: Fraction
    flexi_holidays: set[dt.date]

    def of(self, halves: int) -> Fraction:
        return self.day * halves / 2


def _bank_holiday_adjustment(problem, plan, person, hours: _Hours) -> tuple[Fraction, list[str]]:
    """(credit or debt, one note per bank holiday and one for the total)."""
    holidays = sorted(d for d in problem.bank_holidays if d in plan.days)
    scheduled_on = {
        d: hours.of(_halves(problem, person, d, plan.status(person.id, d), hours.flexi_holidays))
        for d in holidays
    }
    credit, notes = Fraction(0), []
    for day in holidays:
        words, credited = _holiday_words(problem, plan, person, day, scheduled_on[day], hours)
        credit += credited
        notes.append(f"{day:%a %d %b}: {words}")
    if person.pattern is Pattern.PART_TIME and holidays:
        share = bank_holiday_share(person.hours)
        used = sum(scheduled_on.values(), Fraction(0))
        notes.append(
            f"pro rata: {plural(len(holidays), 'bank holiday')} x {clock(exact(person.hours))}"
            f" / 5 = {clock(share * len(holidays))}, less {clock(used)} on working days"
        )
        return share * len(holidays) - used, notes
    return credit, notes


def _holiday_words(problem, plan, person, day, hours, counted: _Hours) -> tuple[str, Fraction]:
    """What the bank holiday was for the person, and the hours the rule credits them
    (``hours``: those their pattern has them at work that day)."""
    full = counted.day
    rule = problem.team.bank_holiday_rule
    if person.pattern is Pattern.PART_TIME:
        words = f"{clock(hours)} of a working day" if hours else "not a working day"
        return words, Fraction(0)  # pro rata, below
    if day in counted.flexi_holidays:
        slot = plan.standing_days[person.id]
        agreed = "agreed " if person.agreed_day == slot else ""
        span = "fortnight" if person.pattern.weeks_per_day_off == 2 else "week"
        credited = full if rule is BankHolidayRule.CREDIT else Fraction(0)
        what = f"{clock(full)} credited" if credited else "no hours credited"
        return (
            f"bank holiday on the {agreed}standing day {slot}, so it is that {span}'s "
            f"day off ({rule.value}): {what}"
        ), credited
    if hours < full:
        if rule is BankHolidayRule.ABSORB:
            return "half day off on a bank holiday: not credited (absorb)", Fraction(0)
        return f"half day off on a bank holiday: {clock(full - hours)} credited", full - hours
    slot = plan.standing_days.get(person.id)
    if (
        slot
        and slot.weekday == day.weekday()
        and slot.week in (None, problem.team.week_letter(day))
    ):
        return f"bank holiday on the standing day {slot}; the day off moved (move)", Fraction(0)
    return f"a working day of {clock(hours)}", Fraction(0)


def _leave_note(problem: Problem, plan: Plan, person: StaffMember, hours: _Hours) -> list[str]:
    """Leave hours by kind ('annual leave 14 h 48 min, sickness 7 h 24 min')."""
    kinds: dict[str, int] = {}  # half days
    for day, kind in sorted(problem.leave_days[person.id].items()):
        if plan.status(person.id, day) is Status.LEAVE:
            halves = _halves(problem, person, day, Status.LEAVE, hours.flexi_holidays)
            kinds[kind] = kinds.get(kind, 0) + halves
    words = ", ".join(f"{kind} {clock(hours.of(n))}" for kind, n in kinds.items() if n)
    return [f"leave: {words}"] if words else []


def _day_note(person: StaffMember) -> str:
    if person.day_hours is not None:
        return f"working day {clock(day_length(person))} (Staff sheet)"
    days = f"{person.working_days_per_week:g} days a week"
    if person.pattern is Pattern.NINE_DAY_FORTNIGHT:
        days = "9 days a fortnight (9DF)"
    elif person.pattern is Pattern.FOUR_DAY_WEEK:
        days = "4 days a week (4DW)"
    half = f", half day {person.half_day.words()}" if person.half_day else ""
    return f"working day {clock(day_length(person))}: the hours over {days}{half}"


def _owed_notes(problem: Problem, plan: Plan, person: StaffMember, periods) -> list[str]:
    """Owed flexi days not taken (worked, so a credit), and a week or fortnight cut by
    the period's start or end (its day falls in this plan, so a debt here)."""
    notes = []
    missed = [o for o in plan.owed_to(person.id) if o.taken is None]
    missed = [o for o in missed if not o.absorbed_by_bank_holiday]
    if missed:
        notes.append(f"{plural(len(missed), 'owed flexi day')} not taken, so worked")
    span = 5 * person.pattern.weeks_per_day_off
    cut = [p for p in periods if len(p.days) < span]
    if cut:
        starts = ", ".join(f"{p.start:%d %b}" for p in cut)
        notes.append(f"fortnight cut by the plan's start or end (from {starts}): its day is here")
    return notes
