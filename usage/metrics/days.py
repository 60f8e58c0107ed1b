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
    end, and active days in the 7 and 28 days ending on its last day."""
    first, last = day_number(period.start), day_number(period.end)
    day = days["local_day"]
    in_period = (day >= first) & (day <= last)
    frame = pd.DataFrame(
        {
            "person_id": days["person_id"],
            "active_days": in_period,
            "week": np.where(in_period, (day - first) // 7, -1),
            "days_28": day > last - 28,
            "days_7": day > last - 7,
            "first_day": day,
            "last_day": day,
        }
    )
    grouped = frame.groupby("person_id")
    result = grouped.agg(
        active_days=("active_days", "sum"),
        days_28=("days_28", "sum"),
        days_7=("days_7", "sum"),
        first_day=("first_day", "min"),
        last_day=("last_day", "max"),
    )
    weeks = frame[frame["week"] >= 0].drop_duplicates(["person_id", "week"])
    result["active_weeks"] = weeks.groupby("person_id").size()
    return result


def weekly_by_authority(days: pd.DataFrame, authority: pd.Series, period: Period):
    """Active people per authority and week of the period (week 0 starts on period.start)."""
    first, last = day_number(period.start), day_number(period.end)
    seen = days[(days["local_day"] >= first) & (days["local_day"] <= last)]
    weeks = pd.DataFrame(
        {
            "authority": seen["person_id"].map(authority),
            "week": (seen["local_day"] - first) // 7,
            "person_id": seen["person_id"],
        }
    ).drop_duplicates(["person_id", "week"])
    counts = weeks.groupby(["authority", "week"]).size().rename("active_users")
    return counts.reset_index()


def since_start(
    days: pd.DataFrame, start_day: pd.Series, authority: pd.Series, as_of: date
) -> pd.DataFrame:
    """Active people per authority, licence-start cohort (Monday of the start week) and
    licence week."""
    start = days["person_id"].map(start_day)
    keep = start.notna() & (days["local_day"] >= start) & (days["local_day"] <= day_number(as_of))
    start = start[keep].astype(np.int64)
    frame = pd.DataFrame(
        {
            "person_id": days.loc[keep, "person_id"],
            "authority": days.loc[keep, "person_id"].map(authority),
            "cohort_day": start - (start + 3) % 7,
            "week": (days.loc[keep, "local_day"] - start) // 7,
        }
    ).drop_duplicates(["person_id", "week"])
    counts = frame.groupby(["authority", "cohort_day", "week"]).size()
    return counts.rename("active").reset_index()
