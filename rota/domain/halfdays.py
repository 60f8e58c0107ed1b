"""Half days: a morning or afternoon off every week, or every other week (week A or B).

A half day is a fixed part of a person's pattern, like a part-timer's fixed day off, so
the planner does not choose it; it only counts who is in each half of the day when it
checks cover. Pure domain: no openpyxl, ortools or click.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from common.errors import InputError

HALVES = ("AM", "PM")
HALF_WORDS = {"am": "AM", "morning": "AM", "pm": "PM", "afternoon": "PM"}
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
EXAMPLE = "e.g. 'Fri PM' (every Friday afternoon) or 'Mon AM B' (Monday morning, week B)"


class HalfDayError(InputError):
    """A half day typed so that it could mean two things, or nothing; says what to type."""


@dataclass(frozen=True)
class HalfDay:
    """A half day off: a weekday (0 = Monday), the half off ('AM' or 'PM'), and for a
    fortnightly half day the week ('A' or 'B'); no week means every week."""

    weekday: int
    half: str
    week: str | None = None

    def __post_init__(self):
        if not 0 <= self.weekday <= 4:
            raise ValueError(f"half day weekday must be 0-4 (Mon-Fri), got {self.weekday}")
        if self.half not in HALVES:
            raise ValueError(f"half day must be AM or PM, got {self.half!r}")
        if self.week not in (None, "A", "B"):
            raise ValueError(f"half day week must be A, B or empty, got {self.week!r}")

    @property
    def per_week(self) -> float:
        """Days off a week it gives, on average: a half, or a quarter if fortnightly."""
        return 0.5 if self.week is None else 0.25

    def off_on(self, day: dt.date, week_letter: str) -> str | None:
        """'AM' or 'PM' when this half day falls on ``day`` (in week ``week_letter``)."""
        if day.weekday() != self.weekday or self.week not in (None, week_letter):
            return None
        return self.half

    def __str__(self) -> str:
        name = ("Mon", "Tue", "Wed", "Thu", "Fri")[self.weekday]
        return f"{name} {self.half}" + (f" {self.week}" if self.week else "")

    def words(self) -> str:
        """'every Fri afternoon', 'Mon morning (week B)'."""
        name = ("Mon", "Tue", "Wed", "Thu", "Fri")[self.weekday]
        half = "morning" if self.half == "AM" else "afternoon"
        return f"{name} {half} (week {self.week})" if self.week else f"every {name} {half}"


def parse_half_day(typed: str) -> HalfDay:
    """A half day as a manager types it: 'Fri PM', 'Friday afternoon', 'Mon AM B',
    'Mon am week B'. Anything that could mean two things is refused (HalfDayError)."""
    words = re.sub(r"[^a-z0-9,;/&+]+", " ", typed.lower()).split()
    if any(w in (",", ";", "/", "&", "+", "and") or re.search(r"[,;/&+]", w) for w in words):
        raise HalfDayError(f"one half day only; {EXAMPLE}")
    words = [w for w in words if w not in ("week", "every", "off", "the")]
    days = [w for w in words if w[:3] in _WEEKDAYS and _is_day_word(w)]
    halves = [HALF_WORDS[w] for w in words if w in HALF_WORDS]
    weeks = [w.upper() for w in words if w in ("a", "b")]
    unknown = [w for w in words if w not in days and w not in HALF_WORDS and w not in ("a", "b")]
    if unknown or len(days) != 1 or len(halves) > 1 or len(weeks) > 1:
        raise HalfDayError(
            f"expected a weekday, AM or PM, and for every other week A or B; {EXAMPLE}"
        )
    if not halves:
        raise HalfDayError(f"say which half is off, morning (AM) or afternoon (PM); {EXAMPLE}")
    return HalfDay(_WEEKDAYS.index(days[0][:3]), halves[0], weeks[0] if weeks else None)


def _is_day_word(word: str) -> bool:
    full = ("monday", "tuesday", "wednesday", "thursday", "friday")
    return word in _WEEKDAYS or word in full or word in ("tues", "thur", "thurs")


def half_off(person, day: dt.date, week_letter: str) -> str | None:
    """The half of ``day`` that ``person`` (a StaffMember) has off, or None."""
    half_day = getattr(person, "half_day", None)
    return half_day.off_on(day, week_letter) if half_day else None


def weekly_half_day(person, weekday: int, half: str | None) -> bool:
    """Whether ``person`` has ``half`` of every ``weekday`` off (a weekly half day)."""
    day = getattr(person, "half_day", None)
    return day is not None and day.week is None and (day.weekday, day.half) == (weekday, half)


def halves_of(staff, day: dt.date, week_letter: str) -> tuple[str | None, ...]:
    """The parts of ``day`` cover is counted in: the whole day (None) when nobody has a
    half day off then, else the morning and the afternoon apart."""
    if any(half_off(p, day, week_letter) for p in staff):
        return HALVES
    return (None,)


def in_for_half(people, day: dt.date, week_letter: str, half: str | None) -> list:
    """Those of ``people`` whose half day off is not ``half`` of ``day``."""
    if half is None:
        return list(people)
    return [p for p in people if half_off(p, day, week_letter) != half]


def half_words(half: str | None) -> str:
    """' morning', ' afternoon', or '' for the whole day (None), to follow a date."""
    return {"AM": " morning", "PM": " afternoon"}.get(half or "", "")
