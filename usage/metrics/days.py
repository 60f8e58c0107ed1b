"""Day-level activity from the session log, computed from distinct (person, day) pairs.

One read of the log's day index gives every day each person was active; active
days and weeks, first and last use, the 7- and 28-day windows, weekly active users
and weeks since licence start all follow from it without another pass over the log.
Days are day numbers since 1970-01-01 (Europe/London calendar days), as stored.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from usage.model import Period
from usage.store.load import day_number


def per_person(days: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Per person: active days and weeks in the period, first and last active day up to its
    end, and active days in the 7 and 28 days ending on its last day.

    ``days`` come in person order (as the session log gives them), so each person's rows
    are one run and every figure is a sum, minimum or maximum over runs.
    """
    first, last = day_number(period.start), day_number(period.end)
    person, day = days["person_id"].to_numpy(), days["local_day"].to_numpy()
    if np.any(person[1:] < person[:-1]):
        raise ValueError("per_person needs the days in person order")
    starts = np.flatnonzero(np.r_[True, person[1:] != person[:-1]]) if len(person) else []
    in_period = (day >= first) & (day <= last)

    def runs(values: np.ndarray, reduce=np.add) -> np.ndarray:
        return reduce.reduceat(values, starts) if len(person) else values[:0]

    result = pd.DataFrame(
        {
            "active_days": runs(in_period.astype(np.int64)),
            "days_28": runs((day > last - 28).astype(np.int64)),
            "days_7": runs((day > last - 7).astype(np.int64)),
            "first_day": runs(day, np.minimum),
            "last_day": runs(day, np.maximum),
        },
        index=pd.Index(person[starts], name="person_id"),
    )
    seen, week = person_weeks(person[in_period], (day[in_period] - first) // 7)
    people, weeks = np.unique(seen, return_counts=True)
    result["active_weeks"] = pd.Series(weeks, index=people)
    return result


def person_weeks(person: np.ndarray, week: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (person, week) pairs of rows in person, then week order (as session days
    are, and any week counted forward from a day): each differs from the row before it.
    Far quicker than ``drop_duplicates`` on half a million day rows."""
    if len(person) == 0:
        return person, week
    if np.any(np.diff(person) < 0) or np.any((np.diff(person) == 0) & (np.diff(week) < 0)):
        raise ValueError("person_weeks needs rows in person, then week order")
    first = np.ones(len(person), dtype=bool)
    first[1:] = (person[1:] != person[:-1]) | (week[1:] != week[:-1])
    return person[first], week[first]


def period_weeks(days: pd.DataFrame, period: Period) -> tuple[np.ndarray, np.ndarray]:
    """Each (person, week of the period) with a session (week 0 starts on period.start)."""
    first, last = day_number(period.start), day_number(period.end)
    day = days["local_day"].to_numpy()
    seen = (day >= first) & (day <= last)
    return person_weeks(days["person_id"].to_numpy()[seen], (day[seen] - first) // 7)


def weekly_by_authority(days: pd.DataFrame, authority: pd.Series, period: Period):
    """Active people per authority and week of the period (week 0 starts on period.start)."""
    person, week = period_weeks(days, period)
    weeks = pd.DataFrame({"authority": authority.reindex(person).to_numpy(), "week": week})
    counts = weeks.groupby(["authority", "week"]).size().rename("active_users")
    return counts.reset_index()


def since_start(
    days: pd.DataFrame, start_day: pd.Series, authority: pd.Series, as_of: date
) -> pd.DataFrame:
    """Active people per authority, licence-start cohort (Monday of the start week) and
    licence week."""
    start = days["person_id"].map(start_day).to_numpy(dtype=float)
    day = days["local_day"].to_numpy()
    keep = ~np.isnan(start) & (day >= start) & (day <= day_number(as_of))
    started = start[keep].astype(np.int64)
    person, week = person_weeks(days["person_id"].to_numpy()[keep], (day[keep] - started) // 7)
    start_of = start_day.reindex(person).to_numpy(dtype=np.int64)
    frame = pd.DataFrame(
        {
            "authority": authority.reindex(person).to_numpy(),
            "cohort_day": start_of - (start_of + 3) % 7,
            "week": week,
        }
    )
    counts = frame.groupby(["authority", "cohort_day", "week"]).size()
    return counts.rename("active").reset_index()
