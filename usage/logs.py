"""Vendor log ingest: session-level logs and per-person totals.

Sessions are keyed by (person, start second), so a session that appears in two
overlapping exports is stored once. Totals are keyed by (person, period); a
later export for the same period replaces the earlier figures.
"""

from __future__ import annotations

import sqlite3

import numpy as np
import pandas as pd

from usage.checks import Checker, Context, Parsed, not_future, person_ids, start_checking
from usage.columns import SESSION_FIELDS, TOTALS_FIELDS
from usage.parse import (
    clean_text,
    duration_unit,
    local_days,
    parse_datetimes,
    parse_durations,
    parse_numbers,
)
from usage.store import insert_rows, upsert_totals
from usage.tables import Grid

DAY_SECONDS = 86_400
EPOCH = pd.Timestamp(0, tz="UTC")
SESSION_COLUMNS = ("person_id", "start_utc", "local_day", "duration_s", "words", "device")


class SessionsReader:
    kind = "sessions"

    def parse(self, grid: Grid, context: Context) -> Parsed:
        table, check, found = start_checking(grid, self.kind, SESSION_FIELDS)
        if "start" in found and "end" not in found and "duration" not in found:
            check.whole_file(
                "end or duration", f"columns {table.headers}", "an end column or a duration column"
            )
        if check.fatal_found():
            return check.parsed(pd.DataFrame())
        frame = table.frame
        person, error = person_ids(frame[found["user"]], context)
        check.add(error, found["user"])
        start, error = parse_datetimes(frame[found["start"]])
        check.add(error, found["start"])
        check.where(not_future(start, context), found["start"], "a start that is not in the future")
        seconds, where = _durations(frame, found, start, check)
        check.where(seconds < 0, where, "a session end after its start (duration of 0 or more)")
        check.where(seconds > DAY_SECONDS, where, "a session no longer than 24 hours")
        rows = pd.DataFrame(
            {
                "person_id": person,
                "start_utc": (start - EPOCH).dt.total_seconds(),
                "local_day": local_days(start),
                "duration_s": seconds.round(),
                "words": _words(frame, found.get("words"), check),
                "device": clean_text(frame[found["device"]]) if "device" in found else "",
            }
        )
        return check.parsed(rows)

    def store(self, conn: sqlite3.Connection, rows: pd.DataFrame, ingest_id: int) -> int:
        rows = rows.sort_values(["person_id", "start_utc"])  # append-order B-tree inserts
        rows = rows.astype(
            {
                "person_id": "int64",
                "start_utc": "int64",
                "local_day": "int64",
                "duration_s": "int64",
            }
        )
        words = rows["words"].astype(object).where(rows["words"].notna(), None)
        device = rows["device"].where(rows["device"] != "", None)
        records = zip(
            rows["person_id"].tolist(),
            rows["start_utc"].tolist(),
            rows["local_day"].tolist(),
            rows["duration_s"].tolist(),
            words.tolist(),
            device.tolist(),
            [ingest_id] * len(rows),
            strict=True,
        )
        return insert_rows(conn, "sessions", (*SESSION_COLUMNS, "ingest_id"), records)


def _durations(
    frame: pd.DataFrame, found: dict[str, str], start: pd.Series, check: Checker
) -> tuple[pd.Series, str]:
    """Seconds per session, from the end time if given, else from the duration column."""
    if "end" in found:
        end, error = parse_datetimes(frame[found["end"]])
        check.add(error, found["end"])
        return (end - start).dt.total_seconds(), found["end"]
    column = found["duration"]
    seconds, error = parse_durations(frame[column], duration_unit(column))
    check.add(error, column)
    return seconds, column


def _words(frame: pd.DataFrame, column: str | None, check: Checker) -> pd.Series:
    if column is None:
        return pd.Series(np.nan, index=frame.index)
    words, error = parse_numbers(frame[column], "a word count", required=False, integer=True)
    check.add(error, column)
    check.where(words < 0, column, "a word count of 0 or more")
    return words


class TotalsReader:
    kind = "totals"

    def parse(self, grid: Grid, context: Context) -> Parsed:
        table, check, found = start_checking(grid, self.kind, TOTALS_FIELDS)
        if check.fatal_found():
            return check.parsed(pd.DataFrame())
        frame = table.frame
        person, error = person_ids(frame[found["user"]], context)
        check.add(error, found["user"])
        seconds, error = parse_durations(frame[found["minutes"]], "minutes")
        check.add(error, found["minutes"])
        check.where(seconds < 0, found["minutes"], "minutes of 0 or more")
        sessions, error = parse_numbers(frame[found["sessions"]], "a session count", integer=True)
        check.add(error, found["sessions"])
        check.where(sessions < 0, found["sessions"], "a session count of 0 or more")
        check.where(
            (sessions == 0) & (seconds > 0),
            found["sessions"],
            "at least one session when minutes are above 0",
        )
        rows = pd.DataFrame({"person_id": person, "minutes": seconds / 60, "sessions": sessions})
        for name in ("period_start", "period_end", "first_use", "last_use"):
            rows[name] = _optional_day(frame, found.get(name), check, context)
        return check.parsed(rows)

    def store(self, conn: sqlite3.Connection, rows: pd.DataFrame, ingest_id: int) -> int:
        records = [
            (
                int(r.person_id),
                r.period_start or "",
                r.period_end or "",
                float(r.minutes),
                int(r.sessions),
                r.first_use,
                r.last_use,
                ingest_id,
            )
            for r in rows.itertuples(index=False)
        ]
        return upsert_totals(conn, records)


def _optional_day(
    frame: pd.DataFrame, column: str | None, check: Checker, context: Context
) -> pd.Series:
    """An optional date column as ISO calendar dates (None where empty)."""
    if column is None:
        return pd.Series(None, index=frame.index, dtype=object)
    utc, error = parse_datetimes(frame[column], required=False)
    check.add(error, column)
    if not column.lower().replace(" ", "").startswith("period"):
        check.where(not_future(utc, context), column, "a date that is not in the future")
    day = utc.dt.tz_convert("Europe/London").dt.strftime("%Y-%m-%d")
    return day.where(utc.notna(), None).astype(object)
