"""Wall-clock times to UTC across the clock changes, without guessing.

The hour skipped in spring cannot hold a time: such a time is an error (the file may
be in UTC). The hour repeated in autumn holds each wall time twice, and nothing in a
row says which pass it is. The rows' order can: in a file whose times run forward,
the first time that goes back starts the second pass (winter time). So the order is
used only where it is shown to be time order (the whole file, else each person's
rows), and the reading is checked to keep that order; a repeated-hour time the order
cannot place is refused with its line, never read as one pass by default. The answer
never depends on how the rows happen to be shuffled: a shuffled file is refused.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SPRING_GAP = (
    "a time that exists in {zone}: this one falls in the hour skipped when the clocks "
    "went forward. If the file's times are in UTC, ingest it with --timezone UTC"
)
UNPLACED = (
    "a time the file shows as summer or winter time: this one falls in the hour repeated "
    "when the clocks went back, and {why}. Give the file's times in UTC (--timezone UTC) "
    "or with their offset (e.g. 2021-10-31T01:30:00+01:00)"
)
NOT_IN_ORDER = "the file's rows are not in time order, so their order cannot tell which pass"
NO_TURN = "no time in the file goes back through the hour, so its order cannot tell which pass"


def to_utc(
    local: pd.Series, zone: str, groups: pd.Series | None, day_only: bool = False
) -> tuple[pd.Series, pd.Series]:
    """Wall-clock times in ``zone`` -> UTC, with an error for each time that cannot be
    placed: inside the spring gap, or in the autumn repeat where the order cannot tell.
    ``groups`` (e.g. the person) lets each person's rows show time order on their own.
    With ``day_only`` (the caller keeps only the calendar day, which both passes share)
    a repeated-hour time is read as the first pass and never refused."""
    error = pd.Series(None, index=local.index, dtype=object)
    if zone == "UTC":
        return local.dt.tz_localize("UTC"), error
    known = local.dt.tz_localize(zone, ambiguous="NaT", nonexistent="NaT")
    lost = known.isna()
    if not lost.any():
        return known.dt.tz_convert("UTC"), error
    as_summer = local[lost].dt.tz_localize(zone, ambiguous=True, nonexistent="NaT")
    error[as_summer[as_summer.isna()].index] = SPRING_GAP.format(zone=zone)
    repeated = as_summer.dropna().index
    if day_only:
        known[repeated] = as_summer[repeated]
    elif len(repeated):
        summer, why = _which_pass(local, known.dt.tz_convert("UTC"), repeated, zone, groups)
        placed = why.isna()
        both = local[repeated].dt.tz_localize(zone, ambiguous=summer.to_numpy())
        known[repeated[placed.to_numpy()]] = both[placed]
        error[repeated[~placed.to_numpy()]] = why[~placed].map(lambda w: UNPLACED.format(why=w))
    return known.dt.tz_convert("UTC"), error


def _which_pass(
    local: pd.Series, known: pd.Series, repeated: pd.Index, zone: str, groups: pd.Series | None
) -> tuple[pd.Series, pd.Series]:
    """For the repeated-hour rows: True for summer time, and why a row cannot be placed.

    The whole file's order is tried first, then each person's; a reading is kept only if
    every instant it gives keeps its scope in time order."""
    for scope in (None, groups) if groups is not None else (None,):
        if _in_time_order(known, scope):
            summer, why, placed = _by_order(local, known, repeated, zone, scope)
            if _in_time_order(placed, scope):
                return summer, why
    return pd.Series(True, index=repeated), pd.Series(NOT_IN_ORDER, index=repeated, dtype=object)


def _by_order(
    local: pd.Series, known: pd.Series, repeated: pd.Index, zone: str, scope: pd.Series | None
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Read the repeated hour by row order within ``scope`` (None: the whole file): the first
    time that goes back, and every later one, is winter time. A group with no such time
    cannot be placed. Returns summer, why not placed, and every instant so placed."""
    wall = local[repeated]
    keys = [wall.dt.date] if scope is None else [scope[repeated], wall.dt.date]
    earlier = wall.groupby(keys, dropna=False).cummax().groupby(keys, dropna=False).shift()
    # Across people two sessions may start at one instant; one person's cannot.
    back = (wall < earlier) if scope is None else (wall <= earlier)
    winter = back.fillna(False).groupby(keys, dropna=False).cummax().astype(bool)
    turned = winter.groupby(keys, dropna=False).transform("any").astype(bool)
    why = pd.Series(None, index=repeated, dtype=object)
    why[~turned] = NO_TURN
    summer = ~winter
    placed = known.copy()
    utc = wall.dt.tz_localize(zone, ambiguous=summer.to_numpy()).dt.tz_convert("UTC")
    placed[repeated[turned.to_numpy()]] = utc[turned]
    return summer, why, placed


def _in_time_order(utc: pd.Series, groups: pd.Series | None) -> bool:
    """True if the known instants never go back in file order (within each group)."""
    present = utc.notna().to_numpy()
    seconds = utc.to_numpy(dtype="datetime64[ns]")[present].astype(np.int64)
    if groups is None:
        return bool((np.diff(seconds) >= 0).all())
    group = pd.factorize(groups[present], use_na_sentinel=False)[0]
    order = np.argsort(group, kind="stable")
    same = np.diff(group[order]) == 0
    return bool((np.diff(seconds[order])[same] >= 0).all())


def repeated_hour(utc: pd.Series, zone: str) -> pd.Series:
    """True where a stored instant falls in the hour that ``zone``'s clocks repeat."""
    if zone == "UTC":
        return pd.Series(False, index=utc.index)
    wall = utc.dt.tz_convert(zone).dt.tz_localize(None)
    return wall.dt.tz_localize(zone, ambiguous="NaT", nonexistent="NaT").isna() & utc.notna()
