"""What every reader shares: the ingest context, a problem collector and person lookup."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import pandas as pd

from usage.model import Problem
from usage.pseudonym import pseudonyms
from usage.readers.columns import ColumnMap, Field, match_columns, missing_problems
from usage.readers.parse import ORDER_WORDS, Clock, by_distinct, local_days, order_evidence
from usage.readers.tables import Grid, Table

EMPTY = -1  # marks an empty identifier cell while looking people up
NOT_ON_ROSTER = "a person on the roster (unknown people are flagged, not added: ingest the roster)"


@dataclass
class Context:
    """What a reader needs to know beyond the file: key, known people, clock, options."""

    key: bytes
    identifiers: dict[str, int]
    now: pd.Timestamp
    authority: str | None = None
    surveyed: dict[int, str] = field(default_factory=dict)
    person_authority: dict[int, str] = field(default_factory=dict)
    clock: Clock = field(default_factory=Clock)
    column_map: ColumnMap = field(default_factory=ColumnMap)
    licences: pd.DataFrame | None = None  # person_id -> licence_start, licence_end (ISO)
    outside_licence_ok: bool = False
    keep_free_text: bool = False
    name_hashes: frozenset[str] = frozenset()
    stored_periods: dict[str, pd.DataFrame] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.now.tzinfo is None:
            raise ValueError(f"Context.now must be timezone-aware, got {self.now}")


@dataclass
class Parsed:
    """Rows ready to store (indexed like the table), every problem, and which rows are bad."""

    table: Table
    rows: pd.DataFrame
    problems: list[Problem]
    bad: np.ndarray
    skipped: int = 0
    skipped_what: str = ""
    notes: tuple[str, ...] = ()
    partial: int = 0

    @property
    def fatal(self) -> list[Problem]:
        """Problems about the whole file, which ``--skip-bad`` cannot get round."""
        return [p for p in self.problems if p.line == 0]


class Reader(Protocol):
    """One ingest kind: turn a grid into storable rows, then store them."""

    kind: str

    def parse(self, grid: Grid, context: Context) -> Parsed: ...

    def store(self, conn: sqlite3.Connection, rows: pd.DataFrame, ingest_id: int) -> int: ...


class Checker:
    """Collects problems for a table and marks the rows they concern."""

    def __init__(self, table: Table):
        self.table = table
        self.problems: list[Problem] = []
        self.bad = np.zeros(len(table.frame), dtype=bool)

    def add(self, error: pd.Series, column: str, found: pd.Series | None = None) -> None:
        self.problems.extend(self.table.problems(error, column, found))
        self.bad |= error.notna().to_numpy()

    def where(self, mask: pd.Series, column: str, expected: str, found=None) -> None:
        """Flag rows where ``mask`` holds, all with the same expectation."""
        error = pd.Series(None, index=mask.index, dtype=object)
        error[mask.fillna(False).astype(bool)] = expected
        self.add(error, column, found)

    def whole_file(self, column: str, found: str, expected: str) -> None:
        self.problems.append(self.table.file_problem(column, found, expected))

    def fatal_found(self) -> bool:
        return any(p.line == 0 for p in self.problems)

    def parsed(
        self,
        rows: pd.DataFrame,
        skipped: int = 0,
        skipped_what: str = "",
        notes: tuple[str, ...] = (),
        partial: int = 0,
    ) -> Parsed:
        order = sorted(self.problems, key=lambda p: (p.line, p.column))
        return Parsed(self.table, rows, order, self.bad, skipped, skipped_what, notes, partial)


def person_ids(raw: pd.Series, context: Context) -> tuple[pd.Series, pd.Series]:
    """Map identifiers to roster person ids via their keyed hash; errors for unknown people."""

    def lookup(text: pd.Series) -> list:
        hashes = pseudonyms(context.key, text.tolist())
        return [EMPTY if v == "" else context.identifiers.get(hashes[v]) for v in text]

    ids = by_distinct(raw, lookup).astype("Float64")
    empty = (ids == EMPTY).fillna(False).to_numpy(dtype=bool)
    ids[empty] = pd.NA
    error = pd.Series(None, index=raw.index, dtype=object)
    error[ids.isna().to_numpy()] = NOT_ON_ROSTER
    error[empty] = "a user identifier (the cell is empty)"
    return ids, error


def not_future(utc: pd.Series, context: Context) -> pd.Series:
    """True where a timestamp lies after 'now' (a data or clock error)."""
    return utc > context.now


@dataclass
class Opening:
    """A file opened for reading: its table, problem collector, matched columns and clock."""

    table: Table
    check: Checker
    found: dict[str, str]
    clock: Clock

    @property
    def refused(self) -> bool:
        """True when the whole file is wrong (missing columns, unclear date order, ...)."""
        return self.check.fatal_found()

    def nothing(self) -> Parsed:
        """What a refused file parses to: no rows, its problems."""
        return self.check.parsed(pd.DataFrame())


def open_file(
    grid: Grid,
    kind: str,
    fields: tuple[Field, ...],
    context: Context,
    dates: tuple[str, ...] = (),
    whole_file: Callable[[Table, Checker, dict[str, str]], None] | None = None,
) -> Opening:
    """How every reader starts: match the columns to ``fields`` (a problem for each
    required one missing), run the reader's own ``whole_file`` checks, then, if the file
    is not refused already, find its clock from the ``dates`` fields present."""
    table = grid.table()
    check = Checker(table)
    check.problems += context.column_map.unmatched(table.file, table.headers, fields)
    found = match_columns(table.headers, fields, context.column_map)
    check.problems += missing_problems(table.file, kind, table.headers, fields, found)
    if whole_file is not None:
        whole_file(table, check, found)
    clock = context.clock
    if not check.fatal_found():
        clock = file_clock(check, [found[name] for name in dates if name in found], context)
    return Opening(table, check, found, clock)


def file_clock(check: Checker, columns: list[str], context: Context) -> Clock:
    """The clock for this file's dates: the order given, else the one its values show.

    A file whose slash dates could be read either way, or that holds both orders,
    is refused as a whole (recorded on ``check``), naming a line of each order.
    """
    if context.clock.order:
        return context.clock
    frame, lines = check.table.frame, check.table.lines
    day_first, month_first, ambiguous = None, None, False
    for column in columns:
        found = order_evidence(frame[column])
        ambiguous |= found.ambiguous
        if found.day_first_row is not None and day_first is None:
            day_first = (column, found.day_first_row)
        if found.month_first_row is not None and month_first is None:
            month_first = (column, found.month_first_row)

    def show(where: tuple[str, int]) -> str:
        column, row = where
        return f"{frame[column].iloc[row]!r} (line {lines[row]}, column {column!r})"

    if day_first and month_first:
        check.whole_file(
            "dates",
            f"day-first dates such as {show(day_first)} and month-first dates such as "
            f"{show(month_first)}",
            "one date order in a file: correct the file, or split it by order",
        )
    elif day_first or month_first:
        return Clock(context.clock.zone, "dmy" if day_first else "mdy")
    elif ambiguous:
        check.whole_file(
            "dates",
            "slash dates whose day and month are all 12 or under, so they read either way",
            "the date order given: pass --date-order dmy (UK), mdy (US) or ymd; "
            f"{ORDER_WORDS['dmy']} is not assumed",
        )
    return context.clock


def outside_licence(person: pd.Series, utc: pd.Series, context: Context) -> pd.Series:
    """True where a (UK calendar) day falls outside its holder's licence window."""
    if context.outside_licence_ok or context.licences is None or context.licences.empty:
        return pd.Series(False, index=person.index)
    epoch = pd.Timestamp("1970-01-01")
    windows = context.licences.apply(lambda day: (pd.to_datetime(day) - epoch).dt.days)
    day = local_days(utc).to_numpy(dtype="float64", na_value=np.nan)
    where = windows.index.get_indexer(person.fillna(-1).to_numpy(dtype="int64"))
    start = np.append(windows["licence_start"].to_numpy(dtype="float64"), np.nan)[where]
    end = np.append(windows["licence_end"].to_numpy(dtype="float64"), np.nan)[where]
    outside = (day < start) | (day > end)  # comparisons with NaN are False
    return pd.Series(outside, index=person.index) & utc.notna()


OUTSIDE_LICENCE = (
    "a date inside the holder's licence window (a misread date? if the use really fell "
    "outside the licence, ingest with --allow-outside-licence)"
)
