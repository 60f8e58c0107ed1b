"""Licence-activity ingest: per user, how many logins in a period and the last one.

Some vendors report only this (no minutes, no sessions). Like totals, the
figures are cumulative over their period; see :mod:`usage.periods`.
"""

from __future__ import annotations

import sqlite3

import pandas as pd

from usage.checks import (
    OUTSIDE_LICENCE,
    Context,
    Parsed,
    file_clock,
    not_future,
    outside_licence,
    person_ids,
    start_checking,
)
from usage.columns import ACTIVITY_FIELDS
from usage.logs import optional_day
from usage.parse import parse_datetimes, parse_numbers
from usage.periods import period_records, with_periods
from usage.store import upsert_periods
from usage.tables import Grid


class ActivityReader:
    kind = "activity"
    table_name = "activity"

    def parse(self, grid: Grid, context: Context) -> Parsed:
        table, check, found = start_checking(grid, self.kind, ACTIVITY_FIELDS, context)
        if check.fatal_found():
            return check.parsed(pd.DataFrame())
        dates = ("period_start", "period_end", "last_login")
        clock = file_clock(check, [found[n] for n in dates if n in found], context)
        if check.fatal_found():
            return check.parsed(pd.DataFrame())
        frame = table.frame
        person, error = person_ids(frame[found["user"]], context)
        check.add(error, found["user"])
        logins, error = parse_numbers(frame[found["logins"]], "a login count", integer=True)
        check.add(error, found["logins"])
        check.where(logins < 0, found["logins"], "a login count of 0 or more")
        rows = pd.DataFrame({"person_id": person, "logins": logins})
        for name in ("period_start", "period_end"):
            rows[name] = optional_day(frame, found[name], check, context, clock)
            check.where(rows[name].isna(), found[name], "a date (the period is needed)")
        check.where(
            rows["period_end"] < rows["period_start"], found["period_end"], "an end after the start"
        )
        rows["last_login"] = None
        if "last_login" in found:
            column = found["last_login"]
            utc, error = parse_datetimes(frame[column], clock, required=False)
            check.add(error, column)
            check.where(not_future(utc, context), column, "a last login not in the future")
            check.where(outside_licence(person, utc, context), column, OUTSIDE_LICENCE)
            day = utc.dt.tz_convert("Europe/London").dt.strftime("%Y-%m-%d")
            rows["last_login"] = day.where(utc.notna(), None).astype(object)
            check.where(rows["last_login"] > rows["period_end"], column, "a day in the period")
            check.where(
                (logins == 0) & utc.notna(),
                found["logins"],
                "logins above 0 (a last login is given)",
            )
        return with_periods(self.table_name, "activity", rows, found, check, context)

    def store(self, conn: sqlite3.Connection, rows: pd.DataFrame, ingest_id: int) -> int:
        columns = ("logins", "last_login")
        return upsert_periods(conn, "activity", columns, period_records(rows, columns), ingest_id)
