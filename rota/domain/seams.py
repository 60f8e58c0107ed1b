"""Where one plan meets the next: an A/B fortnight that straddles two plans owes one day.

A plan starting in week B begins inside a fortnight whose week A the previous plan held;
a plan ending in week A ends inside one whose week B the next plan holds. Such a part
fortnight owes its 9DF worker a day only if it was not taken before the start, and, at
the end, only if the manager asks for it in this plan (``Team.last_part``). 4DW weeks
never straddle: every plan starts on a Monday and runs whole weeks.
"""

from __future__ import annotations

import datetime as dt

from rota.domain.plan import Status
from rota.domain.problem import WEEKDAYS, LastPart, Pattern, Problem, StaffMember, StandingDay
from rota.domain.rules import OwedPeriod, describe_day

START, END = "start", "end"


def part_period(problem: Problem, person: StaffMember, period: OwedPeriod) -> str | None:
    """START for a 9DF fortnight begun before the plan, END for one running past it,
    None for a whole period (a one-week plan in week A is the END of its fortnight)."""
    if person.pattern is not Pattern.NINE_DAY_FORTNIGHT:
        return None
    team = problem.team
    if period.days[0] == team.start and team.week_letter(team.start) == "B":
        return START
    if period.days[-1] == team.end and team.week_letter(team.end) == "A":
        return END
    return None


def days_owed(problem: Problem, person: StaffMember, period: OwedPeriod) -> int:
    """1, or 0 for a part fortnight whose day belongs to another plan: taken before the
    start, or left to the next plan."""
    part = part_period(problem, person, period)
    if part == START:
        return int(person.id not in (problem.team.taken_before_start or ()))
    if part == END:
        return int(problem.team.last_part is LastPart.THIS_PLAN)
    return 1


def settled_elsewhere(problem: Problem, person: StaffMember, period: OwedPeriod) -> str:
    """Why a part fortnight owes no day in this plan, in the Summary's words."""
    where = f"Fortnight from {period.start:%a %d %b}"
    if part_period(problem, person, period) == START:
        return f"{where}: day taken in week A, before this plan"
    return f"{where}: runs past this plan; its day is left to the next plan"


def service_end_words(problems: list[Problem]) -> list[str]:
    """What the plan does with a fortnight its teams end inside: one line for the teams
    that end alike; none for teams that end whole."""
    alike: dict[tuple[dt.date, LastPart], list[Problem]] = {}
    for problem in problems:
        if _end_words([problem]):
            alike.setdefault((problem.team.end, problem.team.last_part), []).append(problem)
    return [words for group in alike.values() if (words := _end_words(group))]


def _end_words(problems: list[Problem]) -> str | None:
    team = problems[0].team
    nine_day = [
        p for problem in problems for p in problem.staff if p.pattern is Pattern.NINE_DAY_FORTNIGHT
    ]
    if not nine_day or team.week_letter(team.end) != "A":
        return None
    monday = team.end - dt.timedelta(days=4)
    names = [problem.team.name for problem in problems]
    who = f"{names[0]} ends" if len(names) == 1 else f"{', '.join(names)} end"
    said = f"{who} in week A (w/c {describe_day(monday)}), inside a fortnight"
    if team.last_part is LastPart.THIS_PLAN:
        return f"{said}: its 9DF days are given in this plan, so the next plan owes none then."
    return (
        f"{said}: its 9DF days are left to the next plan (plan it with --previous); "
        "'Part fortnight at the end' on the Team sheet set to 'this plan' gives them now."
    )


def start_words(problem: Problem) -> str | None:
    """A plan starting in week B with 9DF staff whose first fortnight nobody accounted for:
    a warning (each is then owed a day in the first week), or None."""
    team = problem.team
    nine_day = [p for p in problem.staff if p.pattern is Pattern.NINE_DAY_FORTNIGHT]
    if not nine_day or team.week_letter(team.start) != "B" or team.taken_before_start is not None:
        return None
    return (
        f"{team.name} starts in week B, inside a fortnight begun the week before: nobody "
        "says who already took that fortnight's day, so every 9DF worker is given one in "
        "the first week. Plan with --previous last-rota.xlsx, or list who took it under "
        "'9DF day already taken the week before' on the Team sheet ('none' if nobody did)."
    )


def standing_from_words(words: str) -> StandingDay | None:
    """A standing day as the rota shows it (``str(StandingDay)``): 'Fri (week A)' or 'every Wed'."""
    parts = words.replace("(", " ").replace(")", " ").split()
    days = [WEEKDAYS.index(p) for p in parts if p in WEEKDAYS]
    if not days:
        return None
    week = parts[-1] if parts[-1] in ("A", "B") else None
    return StandingDay(days[0], week)


def took_day(
    statuses: dict[tuple[str, dt.date], Status],
    staff_id: str,
    week: list[dt.date],
    standing: StandingDay | None,
    absorbed: bool,
) -> bool:
    """Whether a rota's week A (``week``, its dates) gave ``staff_id`` the fortnight's day:
    a non-working day, or (under the 'absorb' rule) a bank holiday on their standing day."""
    shown = [statuses.get((staff_id, d)) for d in week]
    if Status.NON_WORKING_DAY in shown:
        return True
    return absorbed and any(
        statuses.get((staff_id, d)) is Status.BANK_HOLIDAY
        and standing is not None
        and d.weekday() == standing.weekday
        for d in week
    )
