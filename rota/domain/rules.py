"""Rules of flexible working in plain Python, shared by the solver, the checker and the writer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rota.domain.halfdays import halves_of, in_for_half
from rota.domain.plan import Status
from rota.domain.problem import WEEKDAYS, Pattern, Problem, StaffMember, StandingDay


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
    return (
        no_flexi_day_when_away(problem, person, day)
        or no_flexi_day_on_duty(problem, person, day)
        or cannot_take_days(problem, person, day)
        or cover_buddy_away(problem, person, day)
    )


# The hard rules, each stated once here; the checker (``checks.py``), the plan's reasons
# (``solve/result.py``) and the request answers call these, and the CP-SAT model states
# each in the method of the same name with a leading underscore (a constraint, or for a
# rule that closes a day, no day-off literal on it).
HARD_RULES = (
    "minimum_present",
    "minimum_seniors",
    "cover_buddy_present",
    "one_day_per_period",
    "no_flexi_day_on_duty",
    "no_flexi_day_when_away",
    "cannot_take_days",
)


@dataclass(frozen=True)
class Cover:
    """How many of those a cover rule counts are in on a day, and how many it needs."""

    present: int
    needed: int
    half: str | None = None  # 'AM' or 'PM' when that half of the day has fewer in

    @property
    def holds(self) -> bool:
        return self.present >= self.needed

    @property
    def spare(self) -> int:
        return self.present - self.needed


def minimum_present(
    problem: Problem, present: list[StaffMember], day: dt.date, halves: tuple | None = None
) -> Cover:
    """At least the team's minimum in on a working day (its duty minimum on a duty day),
    in the morning and in the afternoon apart where someone has a half day off.
    ``halves``: the day's ``halves_of``, when the caller has already worked it out."""
    return Cover(*_fewest_in(problem, present, day, problem.min_present_on(day), halves))


def minimum_seniors(
    problem: Problem, present: list[StaffMember], day: dt.date, halves: tuple | None = None
) -> Cover:
    """At least the team's minimum of senior staff in on a working day (per half, as
    ``minimum_present``)."""
    seniors = [p for p in present if p.senior]
    return Cover(*_fewest_in(problem, seniors, day, problem.team.min_senior, halves))


def _fewest_in(
    problem: Problem, present: list[StaffMember], day: dt.date, needed: int, halves=None
) -> tuple[int, int, str | None]:
    """(how many of ``present`` are in, needed, the half when one half has fewer): a
    half day off counts its person out of that half only."""
    letter = problem.team.week_letter(day)
    if halves is None:
        halves = halves_of(problem.staff, day, letter)
    if halves == (None,):  # nobody has half of this day off: everyone present is in
        return len(present), needed, None
    counts = {half: len(in_for_half(present, day, letter, half)) for half in halves}
    fewest = min(counts.values())
    fewer = [half for half, count in counts.items() if count == fewest]
    return fewest, needed, fewer[0] if len(fewer) == 1 else None


def cover_buddy_present(problem: Problem, statuses: dict, day: dt.date) -> list[tuple]:
    """No flexi day leaves a worker and their cover buddy both away: the pairs it breaks."""
    return [
        pair for pair in buddies_both_away(problem, statuses, day) if flexi_in(pair, statuses, day)
    ]


def buddies_away_with(
    problem: Problem, statuses: dict, person: StaffMember, day: dt.date
) -> list[StaffMember]:
    """The partners with whom a flexi day of ``person`` on ``day`` would break
    ``cover_buddy_present``, judged on everyone else's ``statuses``."""
    taking = {(p.id, day): statuses[p.id, day] for p in problem.staff}
    taking[person.id, day] = Status.NON_WORKING_DAY
    broken = {
        p.id
        for pair in cover_buddy_present(problem, taking, day)
        if person.id in {q.id for q in pair}
        for p in pair
    }
    return [p for p in buddy_partners(problem, person) if p.id in broken]


def one_day_per_period(
    statuses: dict, person: StaffMember, period: OwedPeriod, owed: int = 1
) -> bool:
    """At most one flexi day in each week (4DW) or A/B fortnight (9DF); ``owed`` is 0 for a
    part fortnight whose day is another plan's (``rota.domain.seams.days_owed``)."""
    return sum(statuses[person.id, d] is Status.NON_WORKING_DAY for d in period.days) <= owed


def no_flexi_day_on_duty(problem: Problem, person: StaffMember, day: dt.date) -> str | None:
    """No flexi day while the worker's duty group is on duty: why the day is closed, or None."""
    return "team on duty" if problem.in_duty_pool(person.id, day) else None


def no_flexi_day_when_away(problem: Problem, person: StaffMember, day: dt.date) -> str | None:
    """No flexi day on leave, a bank holiday or a part-time day off: why, or None."""
    return problem.fixed_absence(person, day)


def cannot_take_days(problem: Problem, person: StaffMember, day: dt.date) -> str | None:
    """No flexi day on a weekday the worker cannot take: why the day is closed, or None."""
    return f"cannot take {WEEKDAYS[day.weekday()]}" if day.weekday() in person.cannot_take else None


# The cover-buddy rule, stated once for the planner, the checker and the gaps finder: a
# worker and their cover buddy are never both away. No flexi day may break it (a rule
# break); when leave, sickness or part-time days alone break it, the rota reports it as a
# shortfall of cover.


def buddy_partners(problem: Problem, person: StaffMember) -> list[StaffMember]:
    """Everyone paired with ``person`` by the rule: their cover buddy, and those they cover."""
    ids = [person.cover_buddy] if person.cover_buddy else []
    ids += [p.id for p in problem.staff if p.cover_buddy == person.id and p.id not in ids]
    return [problem.member(i) for i in ids]


def buddies_both_away(problem: Problem, statuses: dict, day: dt.date) -> list[tuple]:
    """(worker, cover buddy) pairs both away on ``day``; bank holidays never count."""
    if day in problem.bank_holidays:
        return []
    return [
        (person, problem.member(person.cover_buddy))
        for person in problem.staff
        if person.cover_buddy
        and not statuses[person.id, day].present
        and not statuses[person.cover_buddy, day].present
    ]


def flexi_in(pair, statuses: dict, day: dt.date) -> bool:
    """Whether a flexi day is one of the pair's absences: then the pair breaks the rule."""
    return any(statuses[p.id, day] is Status.NON_WORKING_DAY for p in pair)


def cover_buddy_away(problem: Problem, person: StaffMember, day: dt.date) -> str | None:
    """The cover-buddy rule closing a day to ``person``: a partner away whatever the plan says."""
    for partner in buddy_partners(problem, person):
        if problem.fixed_absence(partner, day):
            return f"cover buddy {partner.name} away"
    return None


def duty_groups(problem: Problem, groups: int) -> list[frozenset[str]]:
    """Split a team into groups, seniors spread first, so each group can cover duty."""
    ordered = sorted(problem.staff, key=lambda p: (not p.senior, p.id))
    return [frozenset(p.id for p in ordered[g::groups]) for g in range(max(groups, 1))]


def group_on_duty(
    groups: list[frozenset[str]], on_duty: set[str], present: set[str]
) -> frozenset[str]:
    """The duty group a rota shows on duty: every group with someone marked on duty or,
    on a duty day nobody is marked, the groups with nobody in (a group all away)."""
    if on_duty:
        return frozenset().union(*(g for g in groups if g & on_duty))
    return frozenset().union(*(g for g in groups if not g & present))


def advice(kinds: set[str]) -> str:
    """What a manager can do about short cover, fitting its causes (kinds of absence):
    agency or duty cover for sickness, moving leave only where leave is the cause."""
    steps = []
    if "sickness" in kinds:
        steps.append("arrange agency or duty cover")
    if kinds - {"sickness", "part-time day off", "bank holiday", "flexi day"}:
        steps.append("move leave")
    steps.append("lower the minimum cover")
    text = ", ".join(steps[:-1]) + f" or {steps[-1]}" if len(steps) > 1 else steps[0]
    return text[0].upper() + text[1:] + " on those days."


def preference_penalty(person: StaffMember, weekday: int) -> int:
    """0 for the first choice, 1 for the second, ...; one past the last for an unranked day."""
    if not person.preferred_days:
        return 0
    if weekday in person.preferred_days:
        return person.preferred_days.index(weekday)
    return len(person.preferred_days)


def describe_day(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def shortfall_advice(shortfalls: list) -> list[str]:
    """Advice for a rota's shortfalls (``rota.domain.plan.Shortfall``), one line per kind."""
    cover = [s for s in shortfalls if s.rule != "cover buddy"]
    lines = [advice({kind for s in cover for kind in s.causes})] if cover else []
    if len(cover) < len(shortfalls):
        lines.append(
            "Where a worker and their cover buddy are both away, name someone else to hold "
            "their cases on those days."
        )
    return lines
