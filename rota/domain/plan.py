"""The answer: a solver-free rota, a status per person per weekday."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum

from rota.domain.problem import StandingDay


class Status(Enum):
    WORK = "work"
    DUTY = "duty"
    NON_WORKING_DAY = "nwd"
    LEAVE = "leave"
    BANK_HOLIDAY = "bank_holiday"
    OFF = "off"  # a part-timer's fixed day

    @property
    def present(self) -> bool:
        return self in PRESENT


PRESENT = frozenset((Status.WORK, Status.DUTY))  # the statuses that count as in


@dataclass(frozen=True)
class OwedDay:
    """One non-working day owed to a flexi worker for one week (4DW) or fortnight (9DF)."""

    staff_id: str
    period_start: dt.date
    taken: dt.date | None
    on_standing_day: bool
    reason: str | None = None  # why it was moved or not taken
    absorbed_by_bank_holiday: bool = False
    off_a_free_standing_day: bool = False  # moved (or not taken) though the day was free

    @property
    def moved(self) -> bool:
        return self.taken is not None and not self.on_standing_day


@dataclass(frozen=True)
class SolveInfo:
    status: str  # OPTIMAL, FEASIBLE
    seconds: float
    gap: float  # relative gap of the last objective level, 0 when proven optimal
    objectives: dict[str, int] = field(default_factory=dict)  # goals reached, in order
    goals: int = 0  # goals attempted; fewer reached means time ran out first

    @property
    def proven_optimal(self) -> bool:
        return self.status == "OPTIMAL"


@dataclass(frozen=True)
class Shortfall:
    """A day the rota cannot give the cover the rules ask for, and who is away behind it."""

    day: dt.date
    rule: str  # "staff present", "senior staff present", "duty", "cover buddy"
    short: int  # staff short of the minimum
    detail: str
    causes: frozenset[str] = frozenset()  # kinds of absence behind it: sickness, leave, ...

    def __post_init__(self):
        if self.short < 1:
            raise ValueError(f"a shortfall is at least 1, got {self.short}")


@dataclass
class Plan:
    team_name: str
    days: list[dt.date]
    statuses: dict[tuple[str, dt.date], Status]
    standing_days: dict[str, StandingDay] = field(default_factory=dict)
    owed: list[OwedDay] = field(default_factory=list)
    info: SolveInfo | None = None
    shortfalls: list[Shortfall] = field(default_factory=list)  # cover the rota cannot give
    # (staff id, words): part fortnights whose day another plan gives (rota.domain.seams)
    elsewhere: list[tuple[str, str]] = field(default_factory=list)

    def status(self, staff_id: str, day: dt.date) -> Status:
        return self.statuses[staff_id, day]

    def non_working_days(self, staff_id: str) -> list[dt.date]:
        return [d for d in self.days if self.statuses[staff_id, d] is Status.NON_WORKING_DAY]

    def owed_to(self, staff_id: str) -> list[OwedDay]:
        return [o for o in self.owed if o.staff_id == staff_id]
