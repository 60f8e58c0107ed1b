"""Rules of flexible working in plain Python, shared by the solver, the checker and the writer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rota.problem import WEEKDAYS, Pattern, Problem, StaffMember, StandingDay


@dataclass(frozen=True)
class OwedPeriod:
    """The week (4DW) or A/B fortnight (9DF) in which one non-working day is owed."""

    start: dt.date
    days: tuple[dt.date, ...]  # weekdays of the period inside the plan, bank holidays included

    def day_of(self, slot: StandingDay, problem: Problem) -> dt.date | None:
        """The date of ``slot`` in this period, or None when it falls outside the plan."""
        for day in self.days:
            if day.weekday() == slot.weekday and (
                slot.week is None or problem.team.week_letter(day) == slot.week
            ):
                return day
        return None


def owed_periods(problem: Problem, person: StaffMember) -> list[OwedPeriod]:
    """The periods owing one day each: every week for 4DW, every A/B fortnight for 9DF."""
    if not person.pattern.is_flexi:
        return []
    key = (
        problem.team.fortnight_of
        if person.pattern is Pattern.NINE_DAY_FORTNIGHT
        else lambda d: (d - problem.team.start).days // 7
    )
    groups: dict[int, list[dt.date]] = {}
    for day in problem.weekdays:
        groups.setdefault(key(day), []).append(day)
    return [
        OwedPeriod(days[0] - dt.timedelta(days=days[0].weekday()), tuple(days))
        for days in groups.values()
    ]


def standing_slots(person: StaffMember) -> list[StandingDay]:
    """Every standing day the worker could hold."""
    if person.pattern is Pattern.FOUR_DAY_WEEK:
        return [StandingDay(d) for d in range(5)]
    if person.pattern is Pattern.NINE_DAY_FORTNIGHT:
        return [StandingDay(d, w) for w in "AB" for d in range(5)]
    return []


def why_unavailable(problem: Problem, person: StaffMember, day: dt.date) -> str | None:
    """Why ``person`` cannot take ``day`` as a non-working day whatever else happens, or None."""
    away = problem.fixed_absence(person, day)
    if away:
        return away
    if problem.in_duty_pool(person.id, day):
        return "team on duty"
    if day.weekday() in person.cannot_take:
        return f"cannot take {WEEKDAYS[day.weekday()]}"
    if person.cover_buddy:
        buddy = problem.member(person.cover_buddy)
        if problem.fixed_absence(buddy, day):
            return f"cover buddy {buddy.name} away"
    return None


def preference_penalty(person: StaffMember, weekday: int) -> int:
    """0 for the first choice, 1 for the second, ...; one past the last for an unranked day."""
    if not person.preferred_days:
        return 0
    if weekday in person.preferred_days:
        return person.preferred_days.index(weekday)
    return len(person.preferred_days)


def describe_day(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"
