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
from rota.domain.rules import owed_periods
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


def flexi_bank_holidays(problem: Problem, plan: Plan, person: StaffMember) -> set[dt.date]:
    """Bank holidays that are a 9DF or 4DW worker's flexi day for their week or fortnight:
    on the standing day, under the 'absorb' and 'credit' rules."""
    slot = plan.standing_days.get(person.id)
    if slot is None or not problem.team.bank_holiday_rule.bank_holiday_is_the_day:
        return set()
    days = {period.day_of(slot, problem) for period in owed_periods(problem, person)}
    return {d for d in days if d in problem.bank_holidays}


def scheduled(problem: Problem, plan: Plan, person: StaffMember, day: dt.date) -> Fraction:
    """Hours the person's pattern has them at work on ``day``, were it an ordinary day."""
    status = plan.status(person.id, day)
    if day.weekday() in person.fixed_days_off or status is Status.NON_WORKING_DAY:
        return Fraction(0)
    if day in problem.bank_holidays and day in flexi_bank_holidays(problem, plan, person):
        return Fraction(0)
    full = day_length(person)
    return full / 2 if half_off(person, day, problem.team.week_letter(day)) else full


def hours_balance(problem: Problem, plan: Plan, person: StaffMember) -> HoursBalance:
    """The person's hours over the plan's period, with notes saying how they are counted."""
    sums = dict.fromkeys(("worked", "leave", "bank_holidays"), Fraction(0))
    for day in plan.days:
        column = COUNTED_AS.get(plan.status(person.id, day))
        if column:
            sums[column] += scheduled(problem, plan, person, day)
    adjustment, bank_notes = _bank_holiday_adjustment(problem, plan, person)
    contracted = exact(person.hours) * problem.team.weeks
    notes = [
        f"{clock(exact(person.hours))} a week for {problem.team.weeks} weeks",
        _day_note(person),
        *_leave_note(problem, plan, person),
        *bank_notes,
        *_owed_notes(problem, plan, person),
    ]
    return HoursBalance(person.id, contracted, **sums, adjustment=adjustment, notes=tuple(notes))


def _bank_holiday_adjustment(problem, plan, person) -> tuple[Fraction, list[str]]:
    """(credit or debt, one note per bank holiday and one for the total)."""
    holidays = sorted(d for d in problem.bank_holidays if d in plan.days)
    full = day_length(person)
    credit, notes = Fraction(0), []
    for day in holidays:
        hours = scheduled(problem, plan, person, day)
        words, credited = _holiday_words(problem, plan, person, day, hours, full)
        credit += credited
        notes.append(f"{day:%a %d %b}: {words}")
    if person.pattern is Pattern.PART_TIME and holidays:
        share = bank_holiday_share(person.hours)
        used = sum((scheduled(problem, plan, person, d) for d in holidays), Fraction(0))
        notes.append(
            f"pro rata: {plural(len(holidays), 'bank holiday')} x {clock(exact(person.hours))}"
            f" / 5 = {clock(share * len(holidays))}, less {clock(used)} on working days"
        )
        return share * len(holidays) - used, notes
    return credit, notes


def _holiday_words(problem, plan, person, day, hours, full) -> tuple[str, Fraction]:
    """What the bank holiday was for the person, and the hours the rule credits them."""
    rule = problem.team.bank_holiday_rule
    if person.pattern is Pattern.PART_TIME:
        words = f"{clock(hours)} of a working day" if hours else "not a working day"
        return words, Fraction(0)  # pro rata, below
    if day in flexi_bank_holidays(problem, plan, person):
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


def _leave_note(problem: Problem, plan: Plan, person: StaffMember) -> list[str]:
    """Leave hours by kind ('annual leave 14 h 48 min, sickness 7 h 24 min')."""
    kinds: dict[str, Fraction] = {}
    for day, kind in sorted(problem.leave_days[person.id].items()):
        if plan.status(person.id, day) is Status.LEAVE:
            kinds[kind] = kinds.get(kind, Fraction(0)) + scheduled(problem, plan, person, day)
    words = ", ".join(f"{kind} {clock(hours)}" for kind, hours in kinds.items() if hours)
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


def _owed_notes(problem: Problem, plan: Plan, person: StaffMember) -> list[str]:
    """Owed flexi days not taken (worked, so a credit), and a week or fortnight cut by
    the period's start or end (its day falls in this plan, so a debt here)."""
    notes = []
    missed = [o for o in plan.owed_to(person.id) if o.taken is None]
    missed = [o for o in missed if not o.absorbed_by_bank_holiday]
    if missed:
        notes.append(f"{plural(len(missed), 'owed flexi day')} not taken, so worked")
    span = 5 * person.pattern.weeks_per_day_off
    cut = [p for p in owed_periods(problem, person) if len(p.days) < span]
    if cut:
        starts = ", ".join(f"{p.start:%d %b}" for p in cut)
        notes.append(f"fortnight cut by the plan's start or end (from {starts}): its day is here")
    return notes
