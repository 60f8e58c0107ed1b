"""Cumulative figures per period (vendor totals, licence activity): never add overlaps.

A per-person total covers its whole period, so two periods of the same person
that overlap must never both count. A new period that covers a stored one
supersedes it; a new period inside a stored one is already counted and is
skipped; the same period replaces the stored figures; periods that overlap
without one containing the other are refused, naming both files and periods.
A missing period ('') is only comparable with another missing period.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from usage.readers.checks import Checker, Context, Parsed

EXPECTED = (
    "periods that do not overlap, or one covering the other (a later export covering an "
    "earlier one replaces it)"
)


@dataclass(frozen=True)
class PeriodPlan:
    """Which new rows are already covered by a stored period, and what to tell the user."""

    covered: np.ndarray
    notes: tuple[str, ...]


def show(start: str, end: str) -> str:
    return f"{start} to {end}" if start or end else "an undated period"


def plan_periods(
    rows: pd.DataFrame, stored: pd.DataFrame, check: Checker, what: str, column: str
) -> PeriodPlan:
    """Check ``rows`` (person_id, period_start, period_end, indexed like the table) against
    each other and ``stored`` (the same plus file_name); overlaps are recorded on ``check``
    at ``column``. ``covered`` is indexed like the whole table."""
    rows = rows.astype({"person_id": "float64"})
    stored = stored.astype({"person_id": "float64"})
    _within_file(rows, check, column)
    new = rows[["person_id", "period_start", "period_end"]].reset_index(names="row")
    pairs = new.merge(stored, on="person_id", suffixes=("", "_old"))
    covered = np.zeros(len(check.table.frame), dtype=bool)
    if pairs.empty:
        return PeriodPlan(covered, ())
    a0, a1 = pairs["period_start"], pairs["period_end"]
    b0, b1 = pairs["period_start_old"], pairs["period_end_old"]
    undated = (a0 == "") | (b0 == "")
    same = (a0 == b0) & (a1 == b1)
    overlap = ~undated & (a0 <= b1) & (b0 <= a1)
    contains = overlap & (a0 <= b0) & (a1 >= b1) & ~same
    inside = overlap & (b0 <= a0) & (b1 >= a1) & ~same
    clash = (overlap & ~same & ~contains & ~inside) | (undated & ~same)
    for pair in pairs[clash].itertuples():
        found = (
            f"{what} for {show(pair.period_start, pair.period_end)}, which overlaps the stored "
            f"{show(pair.period_start_old, pair.period_end_old)} from {pair.file_name}"
        )
        _flag(check, pair.row, column, found, EXPECTED)
    covered[pairs.loc[inside, "row"].to_numpy()] = True
    return PeriodPlan(covered, _notes(pairs, contains, inside, same, what))


def _notes(pairs, contains, inside, same, what: str) -> tuple[str, ...]:
    notes = []
    for mask, verb in (
        (contains, "supersede the stored"),
        (same, "replace the stored"),
        (inside, "are already covered by the stored, longer"),
    ):
        for (b0, b1, file), group in pairs[mask].groupby(
            ["period_start_old", "period_end_old", "file_name"]
        ):
            people = group["person_id"].nunique()
            whom = "1 person" if people == 1 else f"{people} people"
            notes.append(
                f"{what} for {whom} {verb} {show(b0, b1)} from {file}"
                + (" (not stored again)" if verb.startswith("are") else "")
            )
    return tuple(notes)


def _within_file(rows: pd.DataFrame, check: Checker, column: str) -> None:
    """Two rows of one person in the same file may not overlap (or repeat a period)."""
    new = rows[["person_id", "period_start", "period_end"]].reset_index(names="row")
    pairs = new.merge(new, on="person_id", suffixes=("", "_old"))
    pairs = pairs[pairs["row_old"] < pairs["row"]]
    a0, a1 = pairs["period_start"], pairs["period_end"]
    b0, b1 = pairs["period_start_old"], pairs["period_end_old"]
    clash = ((a0 == "") | (b0 == "") | ((a0 <= b1) & (b0 <= a1))) & pairs["person_id"].notna()
    for pair in pairs[clash].drop_duplicates("row").itertuples():
        line = check.table.lines[pair.row_old]
        found = (
            f"{show(pair.period_start, pair.period_end)}, overlapping "
            f"{show(pair.period_start_old, pair.period_end_old)} on line {line}"
        )
        _flag(check, pair.row, column, found, "one row per person and period, not overlapping")


def _flag(check: Checker, row: int, column: str, found: str, expected: str) -> None:
    """Record one problem on table row ``row`` (its position in the table)."""
    index = check.table.frame.index
    error = pd.Series(None, index=index, dtype=object)
    error.iloc[row] = expected
    check.add(error, column, pd.Series(found, index=index))


def with_periods(
    table_name: str, what: str, rows: pd.DataFrame, found: dict, check: Checker, context: Context
) -> Parsed:
    """Check the rows' periods against each other and the store; skip those already covered."""
    for name in ("period_start", "period_end"):
        rows[name] = rows[name].fillna("")
    stored = context.stored_periods.get(table_name)
    if stored is None:
        stored = pd.DataFrame(columns=["person_id", "period_start", "period_end", "file_name"])
    column = found.get("period_start", found.get("user", ""))
    plan = plan_periods(rows[~check.bad], stored, check, what, column)
    rows["covered"] = plan.covered
    return check.parsed(rows, notes=plan.notes)


def period_records(rows: pd.DataFrame, columns: tuple[str, ...]) -> list[tuple]:
    """(person, start, end, *columns) for every row not already covered by a stored period."""
    rows = rows[~rows["covered"]].astype(object)
    rows = rows.where(rows.notna(), None)
    return [
        (int(r["person_id"]), r["period_start"], r["period_end"], *(r[c] for c in columns))
        for r in rows.to_dict("records")
    ]
