"""Room for more flexi days: for each weekday of week A and week B, how many more people
could take that day off before cover breaks, on the tightest of its dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rota.domain.plan import Plan
from rota.domain.problem import WEEKDAYS, Problem


@dataclass(frozen=True)
class SlotCapacity:
    """One weekday of one week letter. ``spare`` is the fewest more people who could be off
    on any of its dates (0 if any is a duty day); ``senior_spare`` the same for seniors;
    ``spare_off_duty`` the fewest over its dates that are not duty days. None: no dates."""

    weekday: int
    week: str
    spare: int | None
    senior_spare: int | None
    spare_off_duty: int | None
    tightest: dt.date | None  # the first date where ``spare`` is reached
    dates: int  # dates of this weekday and week in the period, bank holidays left out
    duty_dates: int

    def __post_init__(self):
        if not 0 <= self.weekday <= 4:
            raise ValueError(f"weekday must be 0-4, got {self.weekday}")
        if self.week not in ("A", "B"):
            raise ValueError(f"week must be A or B, got {self.week!r}")
        if (self.spare is None) != (self.dates == 0):
            raise ValueError(f"{WEEKDAYS[self.weekday]} {self.week}: spare needs dates")
        if self.spare is not None and (
            self.senior_spare is None or not 0 <= self.senior_spare <= self.spare
        ):
            raise ValueError(f"{WEEKDAYS[self.weekday]} {self.week}: senior spare > spare")


@dataclass(frozen=True)
class CapacityTable:
    team: str
    slots: tuple[SlotCapacity, ...]

    def __post_init__(self):
        keys = [(s.weekday, s.week) for s in self.slots]
        if sorted(keys) != [(d, w) for d in range(5) for w in "AB"]:
            raise ValueError("a capacity table has one slot per weekday and week A/B")

    def __getitem__(self, key: tuple[int, str]) -> SlotCapacity:
        weekday, week = key
        return next(s for s in self.slots if s.weekday == weekday and s.week == week)


def capacity(problem: Problem, plan: Plan) -> CapacityTable:
    """How many more could be off on each weekday of weeks A and B without breaking the
    minimum present (or, for seniors, the minimum of seniors); a duty day counts as 0
    (unless the team is split into duty groups and some are off duty that day)."""
    by_slot: dict[tuple[int, str], list[tuple[dt.date, int, int]]] = {}
    for day in problem.working_days:
        spare, senior_spare = spare_on(problem, plan, day)
        key = (day.weekday(), problem.team.week_letter(day))
        by_slot.setdefault(key, []).append((day, spare, senior_spare))
    slots = tuple(
        _slot(problem, weekday, week, by_slot.get((weekday, week), []))
        for weekday in range(5)
        for week in "AB"
    )
    return CapacityTable(problem.team.name, slots)


def spare_on(problem: Problem, plan: Plan, day: dt.date) -> tuple[int, int]:
    """(more people, more seniors) who could be off on ``day``. Nobody on duty may take a
    flexi day, so on a duty day only those outside that day's duty group count."""
    present = [p for p in problem.staff if plan.status(p.id, day).present]
    free = [p for p in present if not problem.in_duty_pool(p.id, day)]
    spare = min(max(len(present) - problem.min_present_on(day), 0), len(free))
    seniors = sum(p.senior for p in present) - problem.team.min_senior
    return spare, min(max(seniors, 0), sum(p.senior for p in free), spare)


def _slot(problem: Problem, weekday: int, week: str, found) -> SlotCapacity:
    if not found:
        return SlotCapacity(weekday, week, None, None, None, None, 0, 0)
    tightest = min(found, key=lambda f: (f[1], f[0]))
    off_duty = [spare for day, spare, _ in found if day not in problem.duty_days]
    return SlotCapacity(
        weekday,
        week,
        tightest[1],
        min(senior for _, _, senior in found),
        min(off_duty) if off_duty else None,
        tightest[0],
        len(found),
        len(found) - len(off_duty),
    )
