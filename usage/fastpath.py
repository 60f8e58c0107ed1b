"""Fixed-width fast paths for the layouts large vendor logs use, in numpy.

Each cell is viewed as a row of Unicode code points, so ``13/03/2021 08:26:17``
or ``00:05:00`` is checked and converted for a million rows in a few vector
operations. Anything that does not match a layout exactly (other widths, spaces,
impossible values) is left as missing for the general parsers in
:mod:`usage.parse`, which also explain what is wrong.
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


def codepoints(raw: pd.Series) -> np.ndarray:
    """An (n, width) array of each cell's code points, 0-padded on the right."""
    cells = np.asarray(raw.to_numpy(dtype=object, na_value=""), dtype=str)
    width = cells.dtype.itemsize // 4
    if width == 0:
        return np.zeros((len(cells), 0), dtype=np.uint32)
    return cells.view(np.uint32).reshape(len(cells), width)


def _match(codes: np.ndarray, layout: str) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Rows laid out exactly as ``layout``, and the number in each field of it."""
    n, width = codes.shape
    size = len(layout)
    if width < size:
        return np.zeros(n, dtype=bool), {}
    ok = codes[:, size] == 0 if width > size else np.ones(n, dtype=bool)
    fields = {}
    for letter, name in FIELD_LETTERS.items():
        positions = [i for i, ch in enumerate(layout) if ch == letter]
        if not positions:
            continue
        digits = codes[:, positions].astype(np.int64) - 48
        ok &= ((digits >= 0) & (digits <= 9)).all(axis=1)
        fields[name] = digits @ (10 ** np.arange(len(positions) - 1, -1, -1))
    for i, ch in enumerate(layout):
        if ch not in FIELD_LETTERS:
            ok &= codes[:, i] == ord(ch)
    return ok, fields


def fixed_datetimes(raw: pd.Series, order: str) -> pd.Series:
    """Wall-clock times for cells in a fixed layout of ``order`` or ISO; NaT elsewhere."""
    codes = codepoints(raw)
    local = np.full(len(raw), np.datetime64("NaT"), dtype="datetime64[s]")
    todo = np.ones(len(raw), dtype=bool)
    for layout in (*DATE_LAYOUTS[order], *ISO_LAYOUTS):
        ok, fields = _match(codes, layout)
        ok &= todo
        if not ok.any():
            continue
        parts = pd.DataFrame({name: values[ok] for name, values in fields.items()})
        parsed = pd.to_datetime(parts, errors="coerce").to_numpy(dtype="datetime64[s]")
        local[ok] = parsed
        todo[ok] = False
    return pd.Series(local, index=raw.index)


def fixed_hms(raw: pd.Series) -> pd.Series:
    """Seconds for ``HH:MM:SS`` cells (minutes and seconds under 60); NaN elsewhere."""
    ok, fields = _match(codepoints(raw), "hh:mm:ss")
    seconds = np.full(len(raw), np.nan)
    if ok.any():
        hours, minutes, secs = fields["hour"], fields["minute"], fields["second"]
        ok &= (minutes < 60) & (secs < 60)
        seconds[ok] = (hours * 3600 + minutes * 60 + secs)[ok]
    return pd.Series(seconds, index=raw.index)


def digit_integers(raw: pd.Series) -> pd.Series:
    """Whole numbers written as plain ASCII digits; NaN elsewhere."""
    cells = np.asarray(raw.to_numpy(dtype=object, na_value=""), dtype=str)
    ok = np.strings.isdigit(cells) & (np.strings.str_len(cells) <= MAX_DIGITS)
    if ok.any():
        ok &= (cells.view(np.uint32).reshape(len(cells), -1) < 128).all(axis=1)
    values = np.full(len(cells), np.nan)
    if ok.any():
        values[ok] = cells[ok].astype(np.int64)
    return pd.Series(values, index=raw.index)
