"""Vendor log ingest: session-level logs and per-person totals.

Sessions are keyed by (person, start instant in UTC), so a session that appears
in two overlapping exports is stored once, and two sessions in the repeated
autumn hour stay two (:mod:`usage.readers.clockchange`). Totals are cumulative
per (person, period): see :mod:`usage.readers.periods` for how overlapping
periods are handled.
"""

from __future__ import annotations

import sqlite3

import numpy as np
import pandas as pd

from usage.readers.checks import (
    OUTSIDE_LICENCE,
    Checker,
    Context,
    Parsed,
    not_future,
    open_file,
    outside_licence,
    person_ids,
)
from usage.readers.clockchange import repeated_hour
from usage.readers.columns import SESSION_FIELDS, TOTALS_FIELDS
from usage.readers.parse import (
    Clock,
    by_distinct,
    duration_unit,
    local_days,
    parse_datetimes,
    parse_durations,
    parse_numbers,
)
from usage.readers.periods import period_records, with_periods
from usage.readers.scrub import scrub
from usage.readers.tables import Grid, Table
from usage.store.database import insert_sessions, require_people, upsert_periods

DAY_SECONDS = 86_400
EPOCH = pd.Timestamp(0, tz="UTC")
SESSION_COLUMNS = ("person_id", "start_utc", "local_day", "duration_s", "words", "device")


class SessionsReader:
    kind = "sessions"

    def parse(self, grid: Grid, context: Context) -> Parsed:
        opening = open_file(
            grid, self.kind, SESSION_FIELDS, context, ("start", "end"), _end_or_duration
        )
        if opening.refused:
            return opening.nothing()
        table, check, found, clock = opening.table, opening.check, opening.found, opening.clock
        frame = table.frame
        person, error = person_ids(frame[found["user"]], context)
        check.add(error, found["user"])
        start, error = parse_datetimes(frame[found["start"]], clock, groups=person)
        check.add(error, found["start"])
        check.where(not_future(start, context), found["start"], "a start that is not in the future")
        check.where(outside_licence(person, start, context), found["start"], OUTSIDE_LICENCE)
        seconds, where = _durations(frame, found, start, check, clock, person)
        check.where(seconds < 0, where, "a session end after its start (duration of 0 or more)")
        check.where(seconds > DAY_SECONDS, where, "a session no longer than 24 hours")
        rows = pd.DataFrame(
            {
                "person_id": person,
                "start_utc": (start - EPOCH).dt.total_seconds(),
                "local_day": local_days(start),
                "duration_s": seconds.round(),
                "words": _words(frame, found.get("words"), check),
                "device": _devices(frame, found.get("device"), context),
            }
        )
        notes = _repeated_hour_note(start, clock)
        return check.parsed(rows, notes=notes)

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
        require_people(conn, rows["person_id"].to_numpy())
        records = _session_records(rows, ingest_id)
        return insert_sessions(conn, (*SESSION_COLUMNS, "ingest_id"), records, len(rows))


def _end_or_duration(table: Table, check: Checker, found: dict[str, str]) -> None:
    """A session log needs an end time or a duration beside its start."""
    if "start" in found and "end" not in found and "duration" not in found:
        check.whole_file(
            "end or duration", f"columns {table.headers}", "an end column or a duration column"
        )


def _session_records(rows: pd.DataFrame, ingest_id: int, chunk: int = 100_000):
    """Rows as 2-D object arrays in the order of SESSION_COLUMNS and the ingest id, a chunk
    at a time (a million at once would need ~200 MB)."""
    for start in range(0, len(rows), chunk):
        part = rows.iloc[start : start + chunk]
        block = np.empty((len(part), len(SESSION_COLUMNS) + 1), dtype=object)
        for i, name in enumerate(("person_id", "start_utc", "local_day", "duration_s")):
            block[:, i] = part[name].tolist()
        block[:, 4] = part["words"].astype(object).where(part["words"].notna(), None).tolist()
        block[:, 5] = part["device"].where(part["device"] != "", None).tolist()
        block[:, 6] = ingest_id
        yield block


def _devices(frame: pd.DataFrame, column: str | None, context: Context) -> pd.Series | str:
    """Device names, scrubbed: phones are often named after their owner ("Amara's iPhone")."""
    if column is None:
        return ""
    hashes = context.name_hashes | frozenset(context.identifiers)
    return by_distinct(frame[column], lambda text: [scrub(d, context.key, hashes) for d in text])


def _repeated_hour_note(start: pd.Series, clock: Clock) -> tuple[str, ...]:
    repeated = repeated_hour(start, clock.zone)
    if not repeated.any():
        return ()
    return (
        f"{int(repeated.sum())} session(s) start in the hour the clocks went back "
        f"({clock.zone}); placed as summer or winter time by the file's time order (the "
        "first time that goes back starts winter time); each is stored as its own UTC instant",
    )


def _durations(
    frame: pd.DataFrame,
    found: dict[str, str],
    start: pd.Series,
    check: Checker,
    clock: Clock,
    person: pd.Series,
) -> tuple[pd.Series, str]:
    """Seconds per session, from the end time if given, else from the duration column."""
    if "end" in found:
        end, error = parse_datetimes(frame[found["end"]], clock, groups=person)
        check.add(error, found["end"])
        return (end - start).dt.total_seconds(), found["end"]
    column = found["duration"]
    seconds, error = parse_durations(
        frame[column], duration_unit(column), check.table.decimal_comma
    )
    check.add(error, column)
    return seconds, column


def _words(frame: pd.DataFrame, column: str | None, check: Checker) -> pd.Series:
    if column is None:
        return pd.Series(np.nan, index=frame.index)
    words, error = parse_numbers(
        frame[column], "a word count", required=False, integer=True, decimal_comma=False
    )
    check.add(error, column)
    check.where(words < 0, column, "a word count of 0 or more")
    return words


class TotalsReader:
    kind = "totals"
    table_name = "totals"

    def parse(self, grid: Grid, context: Context) -> Parsed:
        dates = ("period_start", "period_end", "first_use", "last_use")
        opening = open_file(grid, self.kind, TOTALS_FIELDS, context, dates)
        if opening.refused:
            return opening.nothing()
        table, check, found, clock = opening.table, opening.check, opening.found, opening.clock
        frame = table.frame
        person, error = person_ids(frame[found["user"]], context)
        check.add(error, found["user"])
        seconds, error = parse_durations(frame[found["minutes"]], "minutes", table.decimal_comma)
        check.add(error, found["minutes"])
        check.where(seconds < 0, found["minutes"], "minutes of 0 or more")
        sessions, error = parse_numbers(
            frame[found["sessions"]], "a session count", integer=True, decimal_comma=False
        )
        check.add(error, found["sessions"])
        check.where(sessions < 0, found["sessions"], "a session count of 0 or more")
        check.where(
            (sessions == 0) & (seconds > 0),
            found["sessions"],
            "at least one session when minutes are above 0",
        )
        rows = pd.DataFrame({"person_id": person, "minutes": seconds / 60, "sessions": sessions})
        for name in dates:
            rows[name] = optional_day(frame, found.get(name), check, context, clock)
        for name in ("first_use", "last_use"):
            if name in found:
                check.where(rows[name] < rows["period_start"], found[name], "a day in the period")
                check.where(rows[name] > rows["period_end"], found[name], "a day in the period")
        return with_periods(self.table_name, "totals", rows, found, check, context)

    def store(self, conn: sqlite3.Connection, rows: pd.DataFrame, ingest_id: int) -> int:
        columns = ("minutes", "sessions", "first_use", "last_use")
        return upsert_periods(conn, "totals", columns, period_records(rows, columns), ingest_id)


def optional_day(
    frame: pd.DataFrame, column: str | None, check: Checker, context: Context, clock: Clock
) -> pd.Series:
    """An optional date column as ISO calendar dates (None where empty)."""
    if column is None:
        return pd.Series(None, index=frame.index, dtype=object)
    utc, error = parse_datetimes(frame[column], clock, required=False, day_only=True)
    check.add(error, column)
    if not column.lower().replace(" ", "").startswith("period"):
        check.where(not_future(utc, context), column, "a date that is not in the future")
    day = utc.dt.tz_convert("Europe/London").dt.strftime("%Y-%m-%d")
    return day.where(utc.notna(), None).astype(object)
