"""Hours as councils count them: the length of a working day from the contracted hours
and the pattern, and the checks that refuse a day no one works.

9DF: 74 h over 9 days (8 h 13 min 20 s); 4DW: 37 h over 4 (9 h 15 min); a half day off
a week spreads the hours over 4.5 days, one every other week over 4.75. Exact fractions,
so a period's sums come out to the second. Pure domain, importing only rota.words, so
rota.problem can use it.
"""

from __future__ import annotations

from fractions import Fraction
from functools import cache

from rota.domain.words import hours_and_minutes as clock  # '9 h 15 min', '-1 h 51 min'

MOST_HOURS_A_DAY = 13  # the Working Time Regulations' 11 h daily rest leaves at most 13
DAY_TOLERANCE = Fraction(1, 60)  # a typed day length may differ from the pattern's by a minute
FULL_TIME_DAYS = 5


@cache  # a pure function of a few distinct values, asked for on every day of a period
def exact(hours: float) -> Fraction:
    """Hours as typed (37, 22.2, 8.25) as an exact fraction, to the second."""
    return Fraction(hours).limit_denominator(3600)


@cache
def default_day(hours: float, days_per_week: float) -> Fraction:
    """Hours of one working day when the week's hours are spread evenly."""
    return exact(hours) / exact(days_per_week)


def bank_holiday_share(hours: float) -> Fraction:
    """A bank holiday's hours pro rata (Green Book): a fifth of the weekly hours, so
    7 h 24 min for 37 h and 4 h 26 min for 22.2 h."""
    return exact(hours) / FULL_TIME_DAYS


def day_problem(
    hours: float, days_per_week: float, pattern: str, day_hours: float | None
) -> tuple[str, str] | None:
    """(field, message) when the day length cannot be right: a typed one that does not
    give the weekly hours over the pattern's days, or any day over MOST_HOURS_A_DAY."""
    spread = default_day(hours, days_per_week)
    days = f"{days_per_week:g} days a week ({pattern})"
    if day_hours is not None:
        typed = exact(day_hours)
        if typed <= 0 or typed > MOST_HOURS_A_DAY:
            return "day_hours", (
                f"hours per working day must be more than 0 and at most {MOST_HOURS_A_DAY}, "
                f"got {clock(typed)}"
            )
        if abs(typed - spread) > DAY_TOLERANCE:
            return "day_hours", (
                f"{clock(typed)} a day over {days} is {clock(typed * exact(days_per_week))} "
                f"a week, but hours per week is {clock(exact(hours))}; correct one of them, "
                f"or leave hours per working day empty to use {clock(spread)}"
            )
        return None
    if spread > MOST_HOURS_A_DAY:
        return "hours", (
            f"{clock(exact(hours))} a week over {days} is {clock(spread)} a day, more than "
            f"{MOST_HOURS_A_DAY} h; give the hours per week"
        )
    return None


def balance_words(hours: Fraction) -> str:
    """'8 h 13 min credit', '1 h 51 min debt', or 'balanced' (to the nearest minute)."""
    minutes = round(hours * 60)
    if minutes == 0:
        return "balanced"
    return f"{clock(Fraction(abs(minutes), 60))} {'credit' if minutes > 0 else 'debt'}"
