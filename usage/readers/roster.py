"""Roster ingest: who holds a licence, in which authority, team and role.

Identifier columns (email, user id, login, username, staff id, id) are hashed;
every one becomes a way to recognise the person in logs. Name columns are read
only to store keyed hashes of the names and their words, so survey free text
can be scrubbed of them (:mod:`usage.readers.scrub`); the names themselves are never stored.
"""

from __future__ import annotations

import sqlite3

import pandas as pd

from usage.pseudonym import pseudonym
from usage.readers.checks import Checker, Context, Parsed, open_file
from usage.readers.columns import ROSTER_FIELDS, ROSTER_IDENTIFIERS
from usage.readers.columns import normalise_header as norm
from usage.readers.parse import Clock, clean_text, parse_datetimes
from usage.readers.scrub import name_parts
from usage.readers.tables import Grid, Table
from usage.store.database import add_name_hashes, upsert_person

NAME_COLUMNS = {
    "name",
    "fullname",
    "firstname",
    "forename",
    "givenname",
    "lastname",
    "surname",
    "familyname",
    "displayname",
}


class RosterReader:
    kind = "roster"

    def parse(self, grid: Grid, context: Context) -> Parsed:
        dates = ("licence_start", "licence_end")
        opening = open_file(grid, self.kind, ROSTER_FIELDS, context, dates, _has_identifier)
        if opening.refused:
            return opening.nothing()
        table, check, found, clock = opening.table, opening.check, opening.found, opening.clock
        id_columns = _identifier_columns(table)
        rows = _people(table.frame, id_columns, found, check, context)
        rows["name_hashes"] = _name_hashes(table.frame, context)
        for name in ("licence_start", "licence_end"):
            rows[name] = _dates(table.frame, found.get(name), check, clock)
        ends_first = rows["licence_end"].notna() & (rows["licence_end"] < rows["licence_start"])
        if "licence_end" in found:
            check.where(ends_first, found["licence_end"], "a licence end on or after its start")
        return check.parsed(rows)

    def store(self, conn: sqlite3.Connection, rows: pd.DataFrame, ingest_id: int) -> int:
        new = 0
        for person in rows.to_dict("records"):
            new += upsert_person(conn, person, person["hashes"])
            add_name_hashes(conn, person["name_hashes"])
        return new


def _identifier_columns(table: Table) -> list[str]:
    """The identifier columns present, most preferred first."""
    return sorted(
        (h for h in table.headers if norm(h) in ROSTER_IDENTIFIERS),
        key=lambda h: ROSTER_IDENTIFIERS.index(norm(h)),
    )


def _has_identifier(table: Table, check: Checker, found: dict[str, str]) -> None:
    if not _identifier_columns(table):
        check.whole_file(
            "identifier",
            f"columns {table.headers}",
            f"an identifier column named one of {list(ROSTER_IDENTIFIERS)}",
        )


def _name_hashes(frame: pd.DataFrame, context: Context) -> list[list[str]]:
    """Per person, keyed hashes of every name column's value, its words and word pairs,
    and of the local part of their email."""
    columns = [h for h in frame.columns if norm(h) in NAME_COLUMNS | {"email", "emailaddress"}]
    names = frame[columns].apply(clean_text) if columns else pd.DataFrame(index=frame.index)
    return [
        sorted(
            {pseudonym(context.key, part) for value in row if value for part in name_parts(value)}
        )
        for row in names.itertuples(index=False)
    ]


def _people(
    frame: pd.DataFrame, id_columns: list[str], found: dict, check: Checker, context: Context
) -> pd.DataFrame:
    """Pseudonym (from the first identifier present), every identifier hash, and groups."""
    ids = frame[id_columns].apply(clean_text)
    primary = ids.replace("", pd.NA).bfill(axis=1).iloc[:, 0].fillna("")
    check.where(primary == "", id_columns[0], "an identifier for every licensed person")
    lowered = primary.str.lower()
    check.where(
        lowered.duplicated(keep="first") & (lowered != ""),
        id_columns[0],
        "each person listed once",
    )
    authority = clean_text(frame[found["authority"]])
    check.where(authority == "", found["authority"], "an authority name")
    rows = pd.DataFrame(
        {
            "pseudonym": [pseudonym(context.key, v) for v in primary],
            "hashes": [
                [pseudonym(context.key, v) for v in row if v] for row in ids.itertuples(index=False)
            ],
            "authority": authority,
            "team": clean_text(frame[found["team"]]) if "team" in found else "",
            "role": clean_text(frame[found["role"]]) if "role" in found else "",
        }
    )
    return rows


def _dates(frame: pd.DataFrame, column: str | None, check: Checker, clock: Clock) -> pd.Series:
    """Optional licence dates as ISO calendar dates (None when absent)."""
    if column is None:
        return pd.Series(None, index=frame.index, dtype=object)
    utc, error = parse_datetimes(frame[column], clock, required=False, day_only=True)
    check.add(error, column)
    local = utc.dt.tz_convert("Europe/London").dt.strftime("%Y-%m-%d")
    return local.where(utc.notna(), None).astype(object)
