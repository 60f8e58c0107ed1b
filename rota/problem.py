"""The rota problem in the team's own words: staff, patterns, duty, leave and cover rules.

Plain dataclasses that check their own fields on construction; ``Problem.validate``
checks what spans several of them and reports every problem at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property

import holidays

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri")
POPULAR_WEEKDAYS = (0, 4)  # Monday and Friday lengthen the weekend
BANK_HOLIDAY_REGIONS = {
    "England and Wales": "ENG",
    "Scotland": "SCT",
    "Northern Ireland": "NIR",
}


class Pattern(Enum):
    FULL_TIME = "FT"
    NINE_DAY_FORTNIGHT = "9DF"
    FOUR_DAY_WEEK = "4DW"
    PART_TIME = "PT"

    @property
    def is_flexi(self) -> bool:
        return self in (Pattern.NINE_DAY_FORTNIGHT, Pattern.FOUR_DAY_WEEK)

    @property
    def weeks_per_day_off(self) -> int:
        """How many weeks each owed non-working day is spread over."""
        return 2 if self is Pattern.NINE_DAY_FORTNIGHT else 1


class BankHolidayRule(Enum):
    """What happens when a bank holiday falls on a worker's standing day."""

    MOVE = "move"  # the non-working day moves to another day of the week or fortnight
    ABSORB = "absorb"  # the bank holiday counts as that period's non-working day


class ProblemError(ValueError):
    """Input that cannot make a rota; ``problems`` lists every one found."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class StandingDay:
    """A regular non-working day: a weekday (0 = Monday) and, for 9DF, week 'A' or 'B'."""

    weekday: int
    week: str | None = None

    def __post_init__(self):
        if not 0 <= self.weekday <= 4:
            raise ValueError(f"standing day weekday must be 0-4 (Mon-Fri), got {self.weekday}")
        if self.week not in (None, "A", "B"):
            raise ValueError(f"standing day week must be A, B or empty, got {self.week!r}")

    def __str__(self) -> str:
        name = WEEKDAYS[self.weekday]
        return f"{name} (week {self.week})" if self.week else f"every {name}"


@dataclass(frozen=True)
class StaffMember:
    id: str
    name: str
    role: str
    senior: bool
    hours: float
    pattern: Pattern
    fixed_days_off: tuple[int, ...] = ()
    preferred_days: tuple[int, ...] = ()
    cannot_take: tuple[int, ...] = ()
    agreed_day: StandingDay | None = None
    cover_buddy: str | None = None
    caseload: int = 0

    def __post_init__(self):
        if not self.id:
            raise ValueError("staff id must not be empty")
        if not 0 < self.hours <= 60:
            raise ValueError(f"hours for {self.id} must be between 0 and 60, got {self.hours}")
        if self.caseload < 0:
            raise ValueError(f"caseload for {self.id} must not be negative, got {self.caseload}")
        for name in ("fixed_days_off", "preferred_days", "cannot_take"):
            days = getattr(self, name)
            if any(not 0 <= d <= 4 for d in days) or len(set(days)) != len(days):
                raise ValueError(f"{name} for {self.id} must be distinct weekdays, got {days}")
        if self.pattern is Pattern.PART_TIME and not self.fixed_days_off:
            raise ValueError(f"part-timer {self.id} needs fixed non-working days")
        if self.pattern is not Pattern.PART_TIME and self.fixed_days_off:
            raise ValueError(f"only part-timers have fixed non-working days ({self.id})")
        if self.agreed_day and not self.pattern.is_flexi:
            raise ValueError(f"only 9DF and 4DW workers have a standing day ({self.id})")
        if self.agreed_day and (self.agreed_day.week is not None) != (
            self.pattern is Pattern.NINE_DAY_FORTNIGHT
        ):
            raise ValueError(
                f"standing day for {self.id}: 9DF needs week A or B, 4DW needs no week"
            )
        if self.cover_buddy == self.id:
            raise ValueError(f"{self.id} cannot be their own cover buddy")

    @property
    def working_days_per_week(self) -> float:
        if self.pattern is Pattern.FOUR_DAY_WEEK:
            return 4
        if self.pattern is Pattern.NINE_DAY_FORTNIGHT:
            return 4.5
        return 5 - len(self.fixed_days_off)

    @property
    def hours_per_working_day(self) -> float:
        return self.hours / self.working_days_per_week


@dataclass(frozen=True)
class Leave:
    staff_id: str
    first_day: dt.date
    last_day: dt.date
    kind: str = "annual leave"

    def __post_init__(self):
        if self.last_day < self.first_day:
            raise ValueError(
                f"leave for {self.staff_id} ends ({self.last_day}) before it starts "
                f"({self.first_day})"
            )

    def days(self) -> list[dt.date]:
        n = (self.last_day - self.first_day).days + 1
        return [self.first_day + dt.timedelta(days=i) for i in range(n)]


@dataclass(frozen=True)
class Team:
    name: str
    start: dt.date
    weeks: int
    week_a_start: dt.date
    min_present: int
    min_senior: int = 1
    min_present_on_duty: int | None = None
    bank_holiday_region: str = "England and Wales"
    bank_holiday_rule: BankHolidayRule = BankHolidayRule.MOVE
    duty_workers: int = 0  # named duty workers per duty day; 0: everyone in the duty pool

    def __post_init__(self):
        if self.duty_workers < 0:
            raise ValueError(f"duty workers must not be negative, got {self.duty_workers}")
        if self.start.weekday() != 0:
            raise ValueError(f"period start {self.start} is a {self.start:%A}, not a Monday")
        if self.week_a_start.weekday() != 0:
            raise ValueError(f"week A start {self.week_a_start} is a {self.week_a_start:%A}")
        if not 1 <= self.weeks <= 53:
            raise ValueError(f"weeks must be between 1 and 53, got {self.weeks}")
        if self.min_present < 0 or self.min_senior < 0:
            raise ValueError("minimum cover must not be negative")
        if self.bank_holiday_region not in BANK_HOLIDAY_REGIONS:
            raise ValueError(
                f"bank holiday region {self.bank_holiday_region!r} is not one of "
                f"{', '.join(BANK_HOLIDAY_REGIONS)}"
            )

    @property
    def end(self) -> dt.date:
        """The Friday of the last week."""
        return self.start + dt.timedelta(weeks=self.weeks, days=-3)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def week_letter(self, day: dt.date) -> str:
        """'A' or 'B': the week of the organisation's fortnight that ``day`` falls in."""
        return "AB"[((day - self.week_a_start).days // 7) % 2]

    def fortnight_of(self, day: dt.date) -> int:
        """Index of the A/B fortnight, counted from the first week A."""
        return ((day - self.week_a_start).days // 7) // 2


@dataclass
class Problem:
    team: Team
    staff: list[StaffMember]
    duty_days: frozenset[dt.date] = frozenset()
    leave: list[Leave] = field(default_factory=list)
    duty_pool: dict[dt.date, frozenset[str]] = field(default_factory=dict)  # a duty group's day

    @cached_property
    def bank_holidays(self) -> dict[dt.date, str]:
        years = range(self.team.start.year, self.team.end.year + 1)
        region = BANK_HOLIDAY_REGIONS[self.team.bank_holiday_region]
        calendar = holidays.UK(subdiv=region, years=years)
        return {d: name for d, name in calendar.items() if self.team.contains(d)}

    @cached_property
    def weekdays(self) -> list[dt.date]:
        """Every Monday-Friday of the period, bank holidays included."""
        return [
            self.team.start + dt.timedelta(weeks=w, days=d)
            for w in range(self.team.weeks)
            for d in range(5)
        ]

    @cached_property
    def working_days(self) -> list[dt.date]:
        return [d for d in self.weekdays if d not in self.bank_holidays]

    @cached_property
    def leave_days(self) -> dict[str, dict[dt.date, str]]:
        """Staff id -> working day -> kind of leave."""
        out: dict[str, dict[dt.date, str]] = {p.id: {} for p in self.staff}
        for spell in self.leave:
            for day in spell.days():
                if self.team.contains(day) and day.weekday() < 5:
                    out.setdefault(spell.staff_id, {})[day] = spell.kind
        return out

    def member(self, staff_id: str) -> StaffMember:
        return next(p for p in self.staff if p.id == staff_id)

    def fixed_absence(self, person: StaffMember, day: dt.date) -> str | None:
        """Why ``person`` is away on ``day`` whatever the plan says, or None."""
        if day in self.bank_holidays:
            return "bank holiday"
        if day in self.leave_days[person.id]:
            return self.leave_days[person.id][day]
        if day.weekday() in person.fixed_days_off:
            return "part-time day off"
        return None

    def in_duty_pool(self, staff_id: str, day: dt.date) -> bool:
        """On duty that day: the team is on duty, and the person is in that day's duty group."""
        return day in self.duty_days and (
            day not in self.duty_pool or staff_id in self.duty_pool[day]
        )

    def min_present_on(self, day: dt.date) -> int:
        if day in self.duty_days and self.team.min_present_on_duty is not None:
            return self.team.min_present_on_duty
        return self.team.min_present

    def issues(self) -> list[Issue]:
        """Every problem that spans several records, each tied to the record at fault."""
        found = []
        seen: set[str] = set()
        for person in self.staff:
            if person.id in seen:
                found.append(Issue(person, "id", f"staff id {person.id!r} appears more than once"))
            seen.add(person.id)
        found += [
            Issue(
                p,
                "cover_buddy",
                f"cover buddy {p.cover_buddy!r} of {p.id} is not on the team",
                refers_to=p.cover_buddy,
            )
            for p in self.staff
            if p.cover_buddy and p.cover_buddy not in seen
        ]
        for spell in self.leave:
            if spell.staff_id not in seen:
                found.append(
                    Issue(
                        spell,
                        "staff_id",
                        f"leave for {spell.staff_id!r}, who is not on the team",
                        refers_to=spell.staff_id,
                    )
                )
            if spell.last_day < self.team.start or spell.first_day > self.team.end:
                found.append(
                    Issue(
                        spell,
                        "first_day",
                        f"leave for {spell.staff_id} ({spell.first_day} to {spell.last_day}) lies "
                        f"outside the period {self.team.start} to {self.team.end}",
                    )
                )
        for day in sorted(self.duty_days):
            if day.weekday() > 4 or not self.team.contains(day):
                found.append(
                    Issue(
                        day,
                        "date",
                        f"duty date {day} is not a weekday of the period "
                        f"{self.team.start} to {self.team.end}",
                    )
                )
        if not self.staff:
            found.append(Issue(self.team, "staff", "the team has no staff"))
        return found

    def validate(self) -> None:
        """Raise ProblemError listing every cross-record problem."""
        found = self.issues()
        if found:
            raise ProblemError([i.message for i in found])


@dataclass(frozen=True)
class Issue:
    """A cross-record problem: the record at fault, its field, and what is wrong."""

    record: object
    field: str
    message: str
    refers_to: str | None = None  # a staff id the record names but the team lacks
