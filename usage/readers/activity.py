"""Licence-activity ingest: per user, how many logins in a period and the last one.

Some vendors report only this (no minutes, no sessions). Like totals, the
figures are cumulative over their period; see :mod:`usage.readers.periods`.
"""

from __future__ import annotations

import sqlite3

import pandas as pd

from usage.readers.checks import (
    OUTSIDE_LICENCE,
    Context,
    Parsed,
    not_future,
    open_file,
    outside_licence,
    person_ids,
)
from usage.readers.columns import ACTIVITY_FIELDS
from usage.readers.logs import optional_day
from usage.readers.parse import parse_datetimes, parse_numbers
from usage.readers.periods import period_records, with_periods
from usage.readers.tables import Grid
from usage.store.database import upsert_periods


class ActivityReader:
    kind = "activity"
    table_name = "activity"

    def parse(self, grid: Grid, context: Context) -> Parsed:
        dates = ("period_start", "period_end", "last_login")
        opening = open_file(grid, self.kind, ACTIVITY_FIELDS, context, dates)
        if opening.refused:
            return opening.nothing()
        table, check, found, clock = opening.table, opening.check, opening.found, opening.clock
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
            utc, error = parse_datetimes(frame[column], clock, required=False, day_only=True)
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
