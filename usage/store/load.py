"""Read what the report needs from the store, aggregated in SQL so large logs stay fast."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
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
    return Period(from_day_number(first), from_day_number(last))


def licensed_people(conn: sqlite3.Connection, period: Period) -> pd.DataFrame:
    """People whose licence overlaps the period (no dates means licensed throughout)."""
    people = pd.read_sql_query(
        "SELECT person_id, pseudonym, authority, team, role, licence_start, licence_end"
        " FROM people"
        " WHERE COALESCE(licence_start, '0000') <= ? AND COALESCE(licence_end, '9999') >= ?",
        conn,
        params=(period.end.isoformat(), period.start.isoformat()),
    )
    people["person"] = people.pop("pseudonym").map(display_id)
    return people.set_index("person_id")


@dataclass(frozen=True)
class LaterHalf:
    """The session log of the people from ``middle`` on (their person_id), read elsewhere
    (a second process) while this one reads the rest: ``rows()`` waits for them."""

    middle: int
    rows: Callable[[], list[tuple]]


def session_log(
    conn: sqlite3.Connection, period: Period, later: LaterHalf | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per person, sessions and minutes within the period; and every distinct (person, day)
    with a session up to its end, sorted by person, then day.

    One pass in the table's (person, time) order (``+local_day`` keeps SQLite off the day
    index, so no sort); each person's days come back as one comma-separated string, which
    is far quicker to read than a row per day. With ``later``, this pass reads only the
    people before its middle one and the rest come from ``later.rows()``.
    """
    if later is None:
        rows = session_rows(conn, period, EVERYONE)
    else:
        rows = session_rows(conn, period, BEFORE, later.middle) + later.rows()
    used = [(person, n, seconds / 60.0) for person, n, seconds, _ in rows if n]
    usage = pd.DataFrame(used, columns=["person_id", "sessions", "minutes"]).set_index("person_id")
    texts = [text for *_, text in rows]
    flat = np.fromstring(",".join(texts), dtype=np.int64, sep=",") if texts else []
    people = np.repeat([row[0] for row in rows], [text.count(",") + 1 for text in texts])
    people, flat = people.astype(np.int64), np.asarray(flat, dtype=np.int64)
    # In person then day order, as the table's scan gives them; SQL does not promise it.
    later_person = people[1:] != people[:-1]
    if not np.all(later_person | (flat[1:] > flat[:-1])) or not np.all(people[1:] >= people[:-1]):
        order = np.lexsort((flat, people))
        people, flat = people[order], flat[order]
    return usage, pd.DataFrame({"person_id": people, "local_day": flat})


SESSION_ROWS = (
    "SELECT person_id, SUM(local_day >= :first), SUM((local_day >= :first) * duration_s),"
    " group_concat(DISTINCT local_day) FROM sessions WHERE +local_day <= :last{people}"
    " GROUP BY person_id"
)
EVERYONE, BEFORE, FROM = "", " AND person_id < :middle", " AND person_id >= :middle"


def session_rows(
    conn: sqlite3.Connection, period: Period, people: str, middle: int | None = None
) -> list[tuple]:
    """Per person (``EVERYONE``, or those ``BEFORE`` or ``FROM`` the ``middle`` person_id):
    sessions and seconds in the period, and the days with a session up to its end,
    comma-separated."""
    bounds = {"first": day_number(period.start), "last": day_number(period.end)}
    query = SESSION_ROWS.format(people=people)
    return conn.execute(query, bounds | {"middle": middle}).fetchall()


def middle_person(conn: sqlite3.Connection) -> int | None:
    """The person_id half way down the roster (None for an empty one): where to split the
    session log between two readers."""
    row = conn.execute(
        "SELECT person_id FROM people ORDER BY person_id LIMIT 1"
        " OFFSET (SELECT COUNT(*) / 2 FROM people)"
    ).fetchone()
    return None if row is None else row[0]


# A cumulative figure counts for the report period only if all its use lies inside it: its
# own period does, or its first and last use do, or there was none. A total that may hold
# use from outside cannot be split by day and is left out (see left_out_totals).
INSIDE = (
    "(period_start = '' OR (period_start >= :start AND period_end <= :end)"
    " OR (period_start <= :end AND period_end >= :start AND ({none}"
    " OR (COALESCE(first_use, '') >= :start AND COALESCE(last_use, '9999') <= :end))))"
)
TOTALS_INSIDE = INSIDE.format(none="sessions = 0 AND minutes = 0")
ACTIVITY_INSIDE = (
    "(period_start = '' OR period_start IS NULL OR (period_start >= :start AND period_end <= :end)"
    " OR (period_start <= :end AND period_end >= :start AND logins = 0))"
)


def totals_usage(conn: sqlite3.Connection, period: Period) -> pd.DataFrame:
    """Per person: vendor totals whose use lies inside the report period (or undated)."""
    return pd.read_sql_query(
        "SELECT person_id, SUM(sessions) AS sessions, SUM(minutes) AS minutes FROM totals"
        f" WHERE {TOTALS_INSIDE} GROUP BY person_id",
        conn,
        params=_bounds(period),
    ).set_index("person_id")


def left_out_totals(conn: sqlite3.Connection, period: Period) -> dict[str, int]:
    """Licences whose totals (or login counts) overlap the period but may hold use from
    outside it, by table: left out of the period's figures, never split by guesswork."""
    left_out = {}
    for table, inside in (("totals", TOTALS_INSIDE), ("activity", ACTIVITY_INSIDE)):
        if table == "activity" and not has_column(conn, "activity", "logins"):
            continue
        (count,) = conn.execute(
            f"SELECT COUNT(DISTINCT person_id) FROM {table} WHERE period_start <= :end"
            f" AND period_end >= :start AND period_start != '' AND NOT {inside}",
            _bounds(period),
        ).fetchone()
        if count:
            left_out[table] = count
    return left_out


def _bounds(period: Period) -> dict[str, str]:
    return {"start": period.start.isoformat(), "end": period.end.isoformat()}


def has_column(conn: sqlite3.Connection, table: str, column: str) -> bool:
    """True if the store has ``table`` with ``column`` (newer migrations add some)."""
    return any(row[1] == column for row in conn.execute(f"PRAGMA table_info({table})"))


def survey_responses(conn: sqlite3.Connection) -> pd.DataFrame:
    """Every stored survey response (free text included; the report decides what to show).

    ``finished`` is 0 for a partial response; stores made before that column existed
    hold finished responses only.
    """
    finished = "r.finished" if has_column(conn, "survey_responses", "finished") else "1"
    return pd.read_sql_query(
        "SELECT r.person_id, r.authority, r.responded_on, r.frequency, r.intention,"
        f" r.hours_saved, r.free_text, {finished} AS finished, p.team, p.role"
        " FROM survey_responses r LEFT JOIN people p USING (person_id)",
        conn,
    )


def activity_usage(conn: sqlite3.Connection, period: Period) -> pd.DataFrame:
    """Per person: logins from licence-activity exports whose logins lie inside the period,
    and the last login up to its end (unknown if any export shows one after it)."""
    columns = ["logins", "last_login"]
    if not has_column(conn, "activity", "logins"):
        return pd.DataFrame(columns=columns, index=pd.Index([], name="person_id"))
    logins = pd.read_sql_query(
        f"SELECT person_id, SUM(logins) AS logins FROM activity WHERE {ACTIVITY_INSIDE}"
        " GROUP BY person_id",
        conn,
        params=_bounds(period),
    ).set_index("person_id")
    last = pd.read_sql_query(
        "SELECT person_id, CASE WHEN MAX(substr(last_login, 1, 10)) > :end THEN NULL"
        " ELSE MAX(last_login) END AS last_login FROM activity"
        " WHERE (period_start = '' OR period_start IS NULL OR period_start <= :end)"
        " AND (period_end = '' OR period_end IS NULL OR period_end >= :start) GROUP BY person_id",
        conn,
        params=_bounds(period),
    ).set_index("person_id")
    return logins.join(last, how="outer")[columns]


def totals_dates(conn: sqlite3.Connection, as_of: date) -> pd.DataFrame:
    """Per person: first and last use up to ``as_of`` as the vendor's totals state them (ISO
    dates or None). A last use after ``as_of`` hides the last one before it: unknown."""
    return pd.read_sql_query(
        "SELECT person_id,"
        " CASE WHEN MIN(NULLIF(first_use, '')) > :as_of THEN NULL"
        " ELSE MIN(NULLIF(first_use, '')) END AS first_use,"
        " CASE WHEN MAX(NULLIF(last_use, '')) > :as_of THEN NULL"
        " ELSE MAX(NULLIF(last_use, '')) END AS last_use FROM totals"
        " WHERE period_start = '' OR period_start <= :as_of GROUP BY person_id",
        conn,
        params={"as_of": as_of.isoformat()},
    ).set_index("person_id")


def from_day_number(number: int) -> date:
    return date.fromordinal(EPOCH_DAY.toordinal() + int(number))
