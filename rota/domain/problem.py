"""The rota problem in the team's own words: staff, patterns, duty, leave and cover rules.

Plain dataclasses that check their own fields on construction; ``Problem.validate``
checks what spans several of them and reports every problem at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property

from common.errors import InputError
from rota.domain.bank_holidays import bank_holidays
from rota.domain.halfdays import HalfDay, weekly_half_day
from rota.domain.hours import day_problem

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
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


COVER_WORDS = {  # a Team's cover fields, as the workbook names them
    "min_present": "minimum staff present",
    "min_senior": "minimum senior staff present",
    "min_present_on_duty": "minimum present on duty days",
    "duty_workers": "duty workers per duty day",
}


class BankHolidayRule(Enum):
    """What happens when a bank holiday falls on a worker's non-working day (a 9DF or 4DW
    standing day, or a half day off); the council's choice, on the Team sheet."""

    MOVE = "move"  # the non-working day moves to another day of the week or fortnight
    ABSORB = "absorb"  # the bank holiday counts as that period's non-working day
    CREDIT = "credit"  # as absorb on the rota, and the day's hours are credited to take later

    @property
    def bank_holiday_is_the_day(self) -> bool:
        """Whether a bank holiday on the standing day is that period's non-working day."""
        return self in (BankHolidayRule.ABSORB, BankHolidayRule.CREDIT)


class LastPart(Enum):
    """A plan that ends in week A of a 9DF fortnight: whose is that fortnight's day?"""

    NEXT_PLAN = "next plan"  # left to the plan that starts with week B
    THIS_PLAN = "this plan"  # given in the last week A of this plan


class SickDay(Enum):
    """Sickness reported on a worker's non-working day (a replan's --absent)."""

    LOST = "lost"  # the day stays their non-working day: most councils' flexi schemes
    GIVEN_BACK = "given back"  # another day within the same week or fortnight


class ProblemError(InputError):
    """Input that cannot make a rota; ``problems`` lists every one found."""


class FieldError(InputError):
    """A field whose value cannot be right; ``field`` names it, so a reader can point at
    the cell that holds it."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name


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
    day_hours: float | None = None  # length of a working day; None: the pattern's
    half_day: HalfDay | None = None  # a morning or afternoon off, weekly or fortnightly

    def __post_init__(self):
        if not self.id:
            raise FieldError("id", "staff id must not be empty")
        if not 0 < self.hours <= 60:
            fortnight = " (74 h is a 9DF fortnight: give 37)" if self.hours == 74 else ""
            raise FieldError(
                "hours",
                f"hours for {self.id} must be more than 0 and at most 60, got {self.hours:g}"
                + fortnight,
            )
        if self.caseload < 0:
            raise FieldError(
                "caseload", f"caseload for {self.id} must not be negative, got {self.caseload}"
            )
        for name, words in (
            ("fixed_days_off", "fixed days off"),
            ("preferred_days", "preferred days"),
            ("cannot_take", "days they cannot take"),
        ):
            days = getattr(self, name)
            if any(not 0 <= d <= 4 for d in days) or len(set(days)) != len(days):
                named = ", ".join(WEEKDAYS[d] if 0 <= d <= 4 else str(d) for d in days)
                raise FieldError(name, f"{words} for {self.id} repeat a weekday: {named}")
        self._pattern_fits()
        if self.cover_buddy == self.id:
            raise FieldError("cover_buddy", f"{self.id} cannot be their own cover buddy")
        self._half_day_fits()
        found = day_problem(
            self.hours, self.working_days_per_week, self.pattern.value, self.day_hours
        )
        if found:
            raise FieldError(found[0], f"{self.id}: {found[1]}")

    def _half_day_fits(self) -> None:
        if self.half_day is None:
            return
        if self.pattern.is_flexi:
            raise FieldError(
                "half_day",
                f"{self.id} works {self.pattern.value}: a half day off as well is not a "
                "pattern the planner knows; give Full time or Part time with the half day",
            )
        if self.half_day.weekday in self.fixed_days_off:
            raise FieldError(
                "half_day",
                f"half day {self.half_day} of {self.id} falls on a fixed day off "
                f"({WEEKDAYS[self.half_day.weekday]})",
            )

    def _pattern_fits(self) -> None:
        if self.pattern is Pattern.PART_TIME and not self.fixed_days_off:
            raise FieldError(
                "fixed_days_off", f"part-timer {self.id} needs their fixed days off, e.g. 'Wed'"
            )
        if self.pattern is not Pattern.PART_TIME and self.fixed_days_off:
            raise FieldError("fixed_days_off", f"only part-timers have fixed days off ({self.id})")
        if self.agreed_day and not self.pattern.is_flexi:
            raise FieldError(
                "agreed_day", f"only 9DF and 4DW workers have a standing day ({self.id})"
            )
        if self.agreed_day and (self.agreed_day.week is not None) != (
            self.pattern is Pattern.NINE_DAY_FORTNIGHT
        ):
            raise FieldError(
                "agreed_day",
                f"standing day for {self.id}: 9DF needs week A or B (e.g. 'Fri A'), "
                "4DW needs no week (e.g. 'Fri')",
            )

    @property
    def working_days_per_week(self) -> float:
        """Days worked a week on average; a half day off counts as half a day."""
        half = self.half_day.per_week if self.half_day else 0
        if self.pattern is Pattern.FOUR_DAY_WEEK:
            return 4
        if self.pattern is Pattern.NINE_DAY_FORTNIGHT:
            return 4.5
        return 5 - len(self.fixed_days_off) - half

    @property
    def hours_per_working_day(self) -> float:
        """The Staff sheet's day length, or the weekly hours spread over the days worked."""
        if self.day_hours is not None:
            return self.day_hours
        return self.hours / self.working_days_per_week


@dataclass(frozen=True)
class Leave:
    staff_id: str
    first_day: dt.date
    last_day: dt.date
    kind: str = "annual leave"

    def __post_init__(self):
        if self.last_day < self.first_day:
            raise FieldError(
                "last_day",
                f"leave for {self.staff_id} ends ({self.last_day}) before it starts "
                f"({self.first_day})",
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
    # Continuity between plans (see rota.domain.seams): the 9DF workers who took the day of a
    # fortnight begun before the start (None: not said), who gets the day of a fortnight
    # the plan ends inside, and what sickness on a non-working day does.
    taken_before_start: frozenset[str] | None = None
    last_part: LastPart = LastPart.NEXT_PLAN
    sick_on_non_working_day: SickDay = SickDay.LOST

    def __post_init__(self):
        for field_name, value in (
            ("min_present", self.min_present),
            ("min_senior", self.min_senior),
            ("min_present_on_duty", self.min_present_on_duty or 0),
            ("duty_workers", self.duty_workers),
        ):
            if value < 0:
                words = COVER_WORDS[field_name]
                raise FieldError(field_name, f"{words} must be 0 or more, got {value}")
        if self.start.weekday() != 0:
            raise FieldError(
                "start", f"period start {self.start} is a {self.start:%A}, not a Monday"
            )
        if self.week_a_start.weekday() != 0:
            raise FieldError(
                "week_a_start",
                f"week A start {self.week_a_start} is a {self.week_a_start:%A}, not a Monday",
            )
        if not 1 <= self.weeks <= 53:
            raise FieldError("weeks", f"number of weeks must be 1 to 53, got {self.weeks}")
        if self.bank_holiday_region not in BANK_HOLIDAY_REGIONS:
            raise FieldError(
                "bank_holiday_region",
                f"bank holiday region {self.bank_holiday_region!r} is not one of "
                f"{', '.join(BANK_HOLIDAY_REGIONS)}",
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
    # (staff id, date): non-working days that must stay so, as when sickness loses them
    kept_off: frozenset[tuple[str, dt.date]] = frozenset()

    @cached_property
    def bank_holidays(self) -> dict[dt.date, str]:
        years = range(self.team.start.year, self.team.end.year + 1)
        region = BANK_HOLIDAY_REGIONS[self.team.bank_holiday_region]
        calendar = bank_holidays(region, years)
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
        start, end = self.team.start, self.team.end  # Team.contains, once for every day
        for spell in self.leave:
            for day in spell.days():
                if start <= day <= end and day.weekday() < 5:
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
            found.append(Issue(self.team, "staff", f"team {self.team.name} has no staff"))
        return found

    def cover_issues(self) -> list[Issue]:
        """Cover minimums the team can never supply, even with nobody off. The readers
        report them before any solving, so the manager hears which number is wrong rather
        than "no rota"; a Problem built in code is left to the solver to explain."""
        if not self.staff:
            return []
        on_duty = self.team.min_present_on_duty
        duty = [d for d in self.working_days if d in self.duty_days]
        everyday = [d for d in self.working_days if on_duty is None or d not in self.duty_days]
        seniors = [p for p in self.staff if p.senior]
        found = []
        for field_name, needed, pool, who, days in (
            ("min_present", self.team.min_present, self.staff, "staff", everyday),
            ("min_senior", self.team.min_senior, seniors, "senior staff", self.working_days),
            ("min_present_on_duty", on_duty or 0, self.staff, "staff", duty),
            ("duty_workers", self.team.duty_workers, self.staff, "staff", duty),
        ):
            found += self._beyond_team(field_name, needed, pool, who, days)
        return found

    def _beyond_team(self, field_name, needed: int, pool, who: str, days) -> list[Issue]:
        """``needed`` of ``pool`` every day of ``days``: more than the pool, or than the
        pool minus the part-timers off on some weekday."""
        words = f"{COVER_WORDS[field_name]} is {needed}, but"
        if needed > len(pool):
            return [Issue(self.team, field_name, f"{words} the team has only {len(pool)} {who}")]
        found = []
        for weekday in sorted({d.weekday() for d in days}):
            for half, words_of_half in ((None, "s"), ("AM", " mornings"), ("PM", " afternoons")):
                working = [
                    p
                    for p in pool
                    if weekday not in p.fixed_days_off and not weekly_half_day(p, weekday, half)
                ]
                if needed > len(working):
                    message = (
                        f"{words} only {len(working)} {who} work on {DAY_NAMES[weekday]}"
                        f"{words_of_half} (the others are part-timers with that day off"
                        + (" or have that half day off)" if half else ")")
                    )
                    found.append(Issue(self.team, field_name, message))
                    break
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
