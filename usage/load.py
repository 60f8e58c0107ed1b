"""Read what the report needs from the store, aggregated in SQL so large logs stay fast."""

from __future__ import annotations

import sqlite3
from datetime import date

import pandas as pd

from usage.model import Period, UsageError
from usage.pseudonym import display_id

EPOCH_DAY = date(1970, 1, 1)


def day_number(day: date) -> int:
    return (day - EPOCH_DAY).days


def default_period(conn: sqlite3.Connection) -> Period:
    """The licence period on the roster, else the span of the session log."""
    start, end = conn.execute("SELECT MIN(licence_start), MAX(licence_end) FROM people").fetchone()
    if start and end:
        return Period(date.fromisoformat(start), date.fromisoformat(end))
    first, last = conn.execute("SELECT MIN(local_day), MAX(local_day) FROM sessions").fetchone()
    if first is None:
        raise UsageError("no licence dates and no sessions stored: give --from and --to")
    return Period(
        date.fromordinal(EPOCH_DAY.toordinal() + first),
        date.fromordinal(EPOCH_DAY.toordinal() + last),
    )


def licensed_people(conn: sqlite3.Connection, period: Period) -> pd.DataFrame:
    """People whose licence overlaps the period (no dates means licensed throughout)."""
    people = pd.read_sql_query(
        "SELECT person_id, pseudonym, authority, team, role FROM people"
        " WHERE COALESCE(licence_start, '0000') <= ? AND COALESCE(licence_end, '9999') >= ?",
        conn,
        params=(period.end.isoformat(), period.start.isoformat()),
    )
    people["person"] = people.pop("pseudonym").map(display_id)
    return people.set_index("person_id")


def session_usage(conn: sqlite3.Connection, period: Period) -> pd.DataFrame:
    """Per person: sessions, minutes, active days and active weeks within the period."""
    first = day_number(period.start)
    return pd.read_sql_query(
        "SELECT person_id, COUNT(*) AS sessions, SUM(duration_s) / 60.0 AS minutes,"
        " COUNT(DISTINCT local_day) AS active_days,"
        " COUNT(DISTINCT (local_day - :first) / 7) AS active_weeks"
        " FROM sessions WHERE local_day BETWEEN :first AND :last GROUP BY person_id",
        conn,
        params={"first": first, "last": day_number(period.end)},
    ).set_index("person_id")


def totals_usage(conn: sqlite3.Connection, period: Period) -> pd.DataFrame:
    """Per person: vendor totals for periods overlapping the report period (or undated)."""
    return pd.read_sql_query(
        "SELECT person_id, SUM(sessions) AS sessions, SUM(minutes) AS minutes FROM totals"
        " WHERE (period_start = '' OR period_start <= :end)"
        " AND (period_end = '' OR period_end >= :start) GROUP BY person_id",
        conn,
        params={"start": period.start.isoformat(), "end": period.end.isoformat()},
    ).set_index("person_id")


def weekly_active(conn: sqlite3.Connection, period: Period) -> pd.DataFrame:
    """Active people per authority and week of the period (week 0 starts on period.start)."""
    first = day_number(period.start)
    return pd.read_sql_query(
        "SELECT p.authority, (s.local_day - :first) / 7 AS week,"
        " COUNT(DISTINCT s.person_id) AS active_users"
        " FROM sessions s JOIN people p USING (person_id)"
        " WHERE s.local_day BETWEEN :first AND :last GROUP BY p.authority, week",
        conn,
        params={"first": first, "last": day_number(period.end)},
    )


def survey_responses(conn: sqlite3.Connection) -> pd.DataFrame:
    """Every stored survey response (free text included; the report decides what to show)."""
    return pd.read_sql_query(
        "SELECT r.person_id, r.authority, r.responded_on, r.frequency, r.intention,"
        " r.hours_saved, r.free_text, p.team, p.role"
        " FROM survey_responses r LEFT JOIN people p USING (person_id)",
        conn,
    )
