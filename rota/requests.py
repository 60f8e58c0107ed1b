"""Answer a formal flexible-working request: can this standing day be granted without
breaking cover, duty or anyone else's agreed day?

The team is planned twice, as it is and with the request added (the requested day as the
requester's agreed standing day), and the two plans are compared. A request is granted when
the planner keeps the requested day, keeps every agreed day it kept before and moves no
agreed day more often than before, moves the requester's day only where duty, leave or a
bank holiday forces it (never for cover), and the day does not clash with the duty pattern.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from common.errors import InputError
from rota.domain.plan import Plan, Status
from rota.domain.problem import (
    WEEKDAYS,
    BankHolidayRule,
    Pattern,
    Problem,
    StaffMember,
    StandingDay,
)
from rota.domain.rules import (
    buddies_away_with,
    minimum_present,
    minimum_seniors,
    owed_periods,
    preference_penalty,
    standing_slots,
    why_unavailable,
)
from rota.solve.solver import SolveOptions, plan

# A day on duty on more than this share of its dates clashes with the team's duty pattern:
# moving now and then for a duty week is expected, a standing day mostly lost to duty is not.
DUTY_CLASH_SHARE = 0.5
FLEXI_PATTERNS = (Pattern.NINE_DAY_FORTNIGHT, Pattern.FOUR_DAY_WEEK)
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday")


class RequestError(InputError):
    """A request that cannot be judged; ``option`` names the input at fault."""

    def __init__(self, option: str, message: str):
        super().__init__(message)
        self.option = option


@dataclass(frozen=True)
class Move:
    """A date of the requested day on which the day cannot fall, why, and where it went."""

    day: dt.date
    reason: str
    moved_to: dt.date | None  # None: not taken that week or fortnight (or absorbed)


@dataclass(frozen=True)
class CoverChange:
    """The fewest staff present on a weekday, and the least spare over the minimum."""

    weekday: int
    fewest_before: int
    fewest_after: int
    spare_before: int
    spare_after: int


@dataclass(frozen=True)
class Alternative:
    standing_day: StandingDay
    granted: bool
    forced_moves: int  # dates lost to duty, leave or bank holidays
    days_not_taken: int  # owed flexi days not taken across the team
    preference: int  # 0 = the requester's first choice; see rules.preference_penalty
    breaks: tuple[str, ...]


@dataclass(frozen=True)
class RequestAnswer:
    staff_id: str
    name: str
    pattern: Pattern
    standing_day: StandingDay
    week_chosen: bool  # no week was asked for: the better of A and B was judged
    granted: bool
    dates: tuple[dt.date, ...]  # the dates the standing day falls on in the period
    moves: tuple[Move, ...]  # dates where duty, leave or a bank holiday moves it
    breaks: tuple[str, ...]  # why it cannot be granted, in plain words; empty if granted
    cover: tuple[CoverChange, ...]
    not_taken_before: int
    not_taken_after: int
    alternatives: tuple[Alternative, ...] = ()

    def __post_init__(self):
        if self.granted == bool(self.breaks):
            raise ValueError("a request is granted exactly when nothing breaks")
        if self.pattern not in FLEXI_PATTERNS:
            raise ValueError(f"requested pattern must be 9DF or 4DW, got {self.pattern.value}")
        if (self.standing_day.week is None) != (self.pattern is Pattern.FOUR_DAY_WEEK):
            raise ValueError(f"standing day {self.standing_day} does not fit {self.pattern.value}")
        if any(m.day not in self.dates for m in self.moves):
            raise ValueError("every moved date must be one of the standing day's dates")


@dataclass(frozen=True)
class Judgement:
    """One standing day tried for the requester: the plan with it, and what it breaks."""

    standing_day: StandingDay
    problem: Problem
    plan: Plan
    dates: tuple[dt.date, ...]
    moves: tuple[Move, ...]
    breaks: tuple[str, ...]
    preference: int

    @property
    def granted(self) -> bool:
        return not self.breaks

    @property
    def rank(self) -> tuple:
        """Granted first, then fewest breaks, forced moves, days not taken, preference."""
        day = self.standing_day
        return (
            not self.granted,
            len(self.breaks),
            len(self.moves),
            days_not_taken(self.plan),
            self.preference,
            day.weekday,
            day.week or "",
        )

    def as_alternative(self) -> Alternative:
        return Alternative(
            self.standing_day,
            self.granted,
            len(self.moves),
            days_not_taken(self.plan),
            self.preference,
            self.breaks,
        )


# Reading the request.


def parse_pattern(value: Pattern | str) -> Pattern:
    words = value.value if isinstance(value, Pattern) else str(value).strip().upper()
    for pattern in FLEXI_PATTERNS:
        if words == pattern.value:
            return pattern
    raise RequestError("pattern", f"pattern must be 9DF or 4DW, got {words!r}")


def parse_weekday(value: int | str) -> int:
    """0-4 for Monday-Friday, from a number or a name of at least three letters."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 4:
        return value
    words = str(value).strip().lower()
    for number, name in enumerate(WEEKDAY_NAMES):
        if len(words) >= 3 and name.startswith(words):
            return number
    raise RequestError("day", f"day must be one of {', '.join(WEEKDAYS)}, got {value!r}")


def parse_week(value: str | None, pattern: Pattern) -> str | None:
    if value is None or str(value).strip() == "":
        return None
    week = str(value).strip().upper()
    if pattern is Pattern.FOUR_DAY_WEEK:
        raise RequestError("week", "a 4DW day off falls every week: give no week A or B")
    if week not in ("A", "B"):
        raise RequestError("week", f"week must be A or B, got {value!r}")
    return week


def _requester(problem: Problem, staff_id: str, weekday: int) -> StaffMember:
    ids = [p.id for p in problem.staff]
    if staff_id not in ids:
        raise RequestError(
            "staff", f"no staff member with id {staff_id!r}; the team's ids are {', '.join(ids)}"
        )
    person = problem.member(staff_id)
    if weekday in person.cannot_take:
        raise RequestError(
            "day",
            f"{person.name} ({person.id}) cannot take {WEEKDAYS[weekday]} (see the Staff "
            "sheet): ask for another day or change that first",
        )
    return person


def with_request(problem: Problem, staff_id: str, pattern: Pattern, slot: StandingDay):
    """The problem with the requester on ``pattern`` and ``slot`` as their agreed day."""
    staff = [
        dataclasses.replace(p, pattern=pattern, agreed_day=slot, fixed_days_off=())
        if p.id == staff_id
        else p
        for p in problem.staff
    ]
    return dataclasses.replace(problem, staff=staff)


# Judging it.


def answer_request(
    problem: Problem,
    staff_id: str,
    pattern: Pattern | str,
    weekday: int | str,
    week: str | None = None,
    options: SolveOptions = SolveOptions(),
    alternatives: int = 3,
) -> RequestAnswer:
    """Judge the request against the plan without it; offer ranked alternatives if refused.
    With no week given for 9DF, both weeks are judged and the better one answered."""
    pattern = parse_pattern(pattern)
    weekday = parse_weekday(weekday)
    week = parse_week(week, pattern)
    person = _requester(problem, staff_id, weekday)
    options = options.started()  # every plan below shares the one time limit
    baseline = plan(problem, options)
    weeks = ("A", "B") if pattern is Pattern.NINE_DAY_FORTNIGHT and week is None else (week,)
    asked = [StandingDay(weekday, w) for w in weeks]
    judged = [judge(problem, baseline, person, pattern, slot, options) for slot in asked]
    judged.sort(key=lambda j: j.rank)
    best, others = judged[0], judged[1:]
    if not best.granted and alternatives > 0:
        others += [
            judge(problem, baseline, person, pattern, slot, options)
            for slot in _other_slots(person, pattern, asked)
        ]
    ranked = sorted(others, key=lambda j: j.rank)[:alternatives] if not best.granted else []
    return _answer(problem, baseline, person, best, len(asked) > 1, ranked)


def _answer(problem, baseline, person, best: Judgement, chosen: bool, ranked) -> RequestAnswer:
    return RequestAnswer(
        person.id,
        person.name,
        best.problem.member(person.id).pattern,
        best.standing_day,
        chosen,
        best.granted,
        best.dates,
        best.moves,
        best.breaks,
        cover_change(problem, baseline, best.problem, best.plan),
        days_not_taken(baseline),
        days_not_taken(best.plan),
        tuple(j.as_alternative() for j in ranked),
    )


def _other_slots(person: StaffMember, pattern: Pattern, asked) -> list[StandingDay]:
    trial = dataclasses.replace(person, pattern=pattern, agreed_day=None, fixed_days_off=())
    return [
        s for s in standing_slots(trial) if s not in asked and s.weekday not in person.cannot_take
    ]


def judge(
    problem: Problem,
    baseline: Plan,
    person: StaffMember,
    pattern: Pattern,
    slot: StandingDay,
    options: SolveOptions,
) -> Judgement:
    """Plan the team with ``slot`` as the requester's agreed day and list what it breaks."""
    asked = with_request(problem, person.id, pattern, slot)
    result = plan(asked, options)
    requester = asked.member(person.id)
    dates, moves, breaks = [], [], []
    if result.standing_days.get(person.id) != slot:
        breaks.append(f"the planner cannot keep {slot} as {person.name}'s standing day")
    for period in owed_periods(asked, requester):
        day = period.day_of(slot, asked)
        if day is None:
            continue
        dates.append(day)
        taken = next(
            (d for d in period.days if result.status(person.id, d) is Status.NON_WORKING_DAY), None
        )
        forced = why_unavailable(asked, requester, day)
        if forced:
            moves.append(Move(day, _forced_words(asked, forced), taken))
        elif taken != day:
            breaks.append(f"{short_day(day)}: {cover_words(asked, result, requester, day)}")
    breaks += duty_clash(asked, person.id, dates)
    breaks += others_agreed_days(problem, baseline, asked, result, person.id)
    preference = preference_penalty(person, slot.weekday)
    return Judgement(slot, asked, result, tuple(dates), tuple(moves), tuple(breaks), preference)


def _forced_words(problem: Problem, reason: str) -> str:
    if reason == "bank holiday" and problem.team.bank_holiday_rule is BankHolidayRule.ABSORB:
        return "bank holiday (counts as the day off)"
    return reason


def cover_words(problem: Problem, result: Plan, person: StaffMember, day: dt.date) -> str:
    """Which rule taking ``day`` off would break, judged against everyone else's plan."""
    others = [p for p in problem.staff if p.id != person.id]
    present = [p for p in others if result.status(p.id, day).present]
    off = [p.name for p in others if result.status(p.id, day) is Status.NON_WORKING_DAY]
    also = f" ({names(off)} off)" if off else ""
    cover = minimum_present(problem, present, day)
    if not cover.holds:
        return f"cover would fall to {cover.present} of {cover.needed} needed{also}"
    seniors = minimum_seniors(problem, present, day)
    if person.senior and not seniors.holds:
        return f"senior cover would fall to {seniors.present} of {seniors.needed} needed{also}"
    off = [p.name for p in buddies_away_with(problem, result.statuses, person, day)]
    if off:
        return (
            f"cover buddy {names(off)} is off (a worker and their cover buddy are never both away)"
        )
    return "the planner places the day elsewhere to keep other days off"


def duty_clash(problem: Problem, staff_id: str, dates: list[dt.date]) -> list[str]:
    on_duty = [d for d in dates if problem.in_duty_pool(staff_id, d)]
    if not dates or len(on_duty) <= DUTY_CLASH_SHARE * len(dates):
        return []
    return [
        f"{', '.join(short_day(d) for d in on_duty)}: team on duty ({len(on_duty)} of the "
        f"{len(dates)} dates, so the day clashes with the duty pattern)"
    ]


def others_agreed_days(
    before_problem: Problem, before: Plan, after_problem: Problem, after: Plan, requester: str
) -> list[str]:
    """Agreed days of others that the request would lose, or move more often for cover."""
    breaks = []
    for person in after_problem.staff:
        if person.id == requester or person.agreed_day is None:
            continue
        agreed = person.agreed_day
        kept_before = before.standing_days.get(person.id) == agreed
        if kept_before and after.standing_days.get(person.id) != agreed:
            breaks.append(f"would move {person.name}'s agreed {agreed}")
            continue
        moved_before = agreed_day_moves(before_problem, before, before_problem.member(person.id))
        moved_after = agreed_day_moves(after_problem, after, person)
        if len(moved_after) > len(moved_before):
            breaks += [
                f"{short_day(d)}: would move {person.name}'s agreed {agreed}"
                for d in sorted(moved_after - moved_before)
            ]
    return breaks


def agreed_day_moves(problem: Problem, result: Plan, person: StaffMember) -> set[dt.date]:
    """Dates on which a kept agreed day was free of duty, leave and bank holiday but not taken."""
    slot = person.agreed_day
    if slot is None or result.standing_days.get(person.id) != slot:
        return set()
    moved = set()
    for period in owed_periods(problem, person):
        day = period.day_of(slot, problem)
        if day is None or why_unavailable(problem, person, day):
            continue
        if result.status(person.id, day) is not Status.NON_WORKING_DAY:
            moved.add(day)
    return moved


def days_not_taken(result: Plan) -> int:
    return sum(o.taken is None and not o.absorbed_by_bank_holiday for o in result.owed)


def cover_change(
    before_problem: Problem, before: Plan, after_problem: Problem, after: Plan
) -> tuple[CoverChange, ...]:
    was = cover_by_weekday(before_problem, before)
    now = cover_by_weekday(after_problem, after)
    return tuple(
        CoverChange(weekday, was[weekday][0], now[weekday][0], was[weekday][1], now[weekday][1])
        for weekday in sorted(was.keys() & now.keys())
    )


def cover_by_weekday(problem: Problem, result: Plan) -> dict[int, tuple[int, int]]:
    """Weekday -> (fewest present, least spare over the minimum), over working days."""
    out: dict[int, tuple[int, int]] = {}
    for day in problem.working_days:
        cover = minimum_present(
            problem, [p for p in problem.staff if result.status(p.id, day).present], day
        )
        present, spare = cover.present, cover.spare
        fewest, least = out.get(day.weekday(), (present, spare))
        out[day.weekday()] = (min(fewest, present), min(least, spare))
    return out


def short_day(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def names(people: list[str]) -> str:
    return people[0] if len(people) == 1 else ", ".join(people[:-1]) + " and " + people[-1]
