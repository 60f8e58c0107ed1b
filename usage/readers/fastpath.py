"""Fixed-width fast paths for the layouts large vendor logs use, in numpy.

Each cell is viewed as a row of Unicode code points, so ``13/03/2021 08:26:17``
or ``00:05:00`` is checked and converted for a million rows in a few vector
operations. Anything that does not match a layout exactly (other widths, spaces,
impossible values) is left as missing for the general parsers in
:mod:`usage.readers.parse`, which also explain what is wrong.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

FIELD_LETTERS = {"Y": "year", "M": "month", "D": "day", "h": "hour", "m": "minute", "s": "second"}
DATE_LAYOUTS = {
    "dmy": ("DD/MM/YYYY hh:mm:ss", "DD/MM/YYYY hh:mm", "DD/MM/YYYY"),
    "mdy": ("MM/DD/YYYY hh:mm:ss", "MM/DD/YYYY hh:mm", "MM/DD/YYYY"),
    "ymd": ("YYYY/MM/DD hh:mm:ss", "YYYY/MM/DD"),
}
ISO_LAYOUTS = ("YYYY-MM-DD hh:mm:ss", "YYYY-MM-DDThh:mm:ss", "YYYY-MM-DD hh:mm", "YYYY-MM-DD")
MAX_DIGITS = 15
DATE_WIDTH = 1 + max(len(layout) for layout in ISO_LAYOUTS)


def codepoints(raw: pd.Series, width: int) -> np.ndarray:
    """An (n, width) array of each cell's first ``width`` code points, 0-padded on the right.

    Longer cells are cut at ``width``, so one odd long cell cannot make the array huge;
    callers choose ``width`` one longer than any layout, so a cut cell never matches.
    """
    cells = np.asarray(raw.to_numpy(dtype=object, na_value=""), dtype=f"<U{width}")
    return cells.view(np.uint32).reshape(len(cells), width)


def _match(codes: np.ndarray, layout: str) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Row numbers laid out exactly as ``layout``, and the number in each field for those."""
    n, width = codes.shape
    size = len(layout)
    if width < size:
        return np.zeros(0, dtype=np.int64), {}
    ok = codes[:, size] == 0 if width > size else np.ones(n, dtype=bool)
    for i, ch in enumerate(layout):
        if ch not in FIELD_LETTERS:
            ok &= codes[:, i] == ord(ch)
    rows = np.flatnonzero(ok)
    good = np.ones(len(rows), dtype=bool)
    fields = {}
    for letter, name in FIELD_LETTERS.items():
        value = np.zeros(len(rows), dtype=np.int64)
        positions = [i for i, ch in enumerate(layout) if ch == letter]
        for position in positions:
            column = codes[:, position] if len(rows) == n else codes[rows, position]
            digit = column - np.uint32(48)  # wraps round below '0'
            good &= digit < 10
            value = value * 10 + digit
        if positions:
            fields[name] = value
    return rows[good], {name: value[good] for name, value in fields.items()}


def fixed_datetimes(raw: pd.Series, order: str) -> pd.Series:
    """Wall-clock times for cells in a fixed layout of ``order`` or ISO; NaT elsewhere."""
    codes = codepoints(raw, DATE_WIDTH)
    local = np.full(len(raw), np.datetime64("NaT"), dtype="datetime64[s]")
    todo = np.arange(len(raw))
    for layout in (*DATE_LAYOUTS[order], *ISO_LAYOUTS):
        if not len(todo):
            break
        rows, fields = _match(codes if len(todo) == len(raw) else codes[todo], layout)
        if not len(rows):
            continue
        local[todo[rows]] = _assemble(fields)
        todo = np.delete(todo, rows)
    return pd.Series(local, index=raw.index)


def _assemble(fields: dict[str, np.ndarray]) -> np.ndarray:
    """Calendar fields -> datetime64[s]; impossible dates or times (31 February) -> NaT."""
    year, month, day = fields["year"], fields["month"], fields["day"]
    hour, minute, second = (
        fields.get(k, np.zeros_like(year)) for k in ("hour", "minute", "second")
    )
    valid = (month >= 1) & (month <= 12) & (day >= 1) & (hour < 24) & (minute < 60) & (second < 60)
    months = ((year - 1970) * 12 + np.clip(month, 1, 12) - 1).astype("datetime64[M]")
    date = months.astype("datetime64[D]") + (np.maximum(day, 1) - 1)
    valid &= date.astype("datetime64[M]") == months  # the day exists in that month
    stamp = date.astype("datetime64[s]") + (hour * 3600 + minute * 60 + second)
    return np.where(valid, stamp, np.datetime64("NaT"))


def fixed_hms(raw: pd.Series) -> pd.Series:
    """Seconds for ``HH:MM:SS`` cells (minutes and seconds under 60); NaN elsewhere."""
    rows, fields = _match(codepoints(raw, 9), "hh:mm:ss")
    seconds = np.full(len(raw), np.nan)
    if len(rows):
        hours, minutes, secs = fields["hour"], fields["minute"], fields["second"]
        fine = (minutes < 60) & (secs < 60)
        seconds[rows[fine]] = (hours * 3600 + minutes * 60 + secs)[fine]
    return pd.Series(seconds, index=raw.index)


def digit_integers(raw: pd.Series) -> pd.Series:
    """Whole numbers written as plain ASCII digits (at most MAX_DIGITS); NaN elsewhere.

    Summed digit by digit over the code points (only as many places as the longest cell
    has): converting text to numbers cell by cell is what made a million word counts slow.
    """
    codes = codepoints(raw, MAX_DIGITS + 1)
    length = (codes != 0).sum(axis=1)
    widest = int(min(length.max(initial=0), MAX_DIGITS))
    digits = codes[:, :widest].astype(np.int64) - 48
    inside = np.arange(widest) < length[:, None]
    ok = ((digits >= 0) & (digits < 10) | ~inside).all(axis=1)
    ok &= (length >= 1) & (length <= MAX_DIGITS)
    places = np.clip(length[:, None] - 1 - np.arange(widest), 0, None)
    values = np.where(inside, digits * 10**places, 0).sum(axis=1)
    return pd.Series(np.where(ok, values, np.nan), index=raw.index)
