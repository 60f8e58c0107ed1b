"""Vectorised parsers for dates, durations and numbers as vendors write them.

Each parser takes a column of text and returns the parsed values plus, per
row, ``None`` or a description of what was expected, so a reader can report
every bad cell in one pass. Naive times are Europe/London local time.

Dates: ISO 8601 (``2021-03-01``, ``2021-03-01T09:15:00``, with or without an
offset), UK ``dd/mm/yyyy [HH:MM[:SS]]`` and Excel serial day numbers. A slash
date whose month would be over 12 is reported, not silently read as US order.

Durations: ``HH:MM:SS``, ``1h 5m`` / ``5 min 30 s`` / ``90s``, or a bare number
when the column name gives the unit (``seconds``, ``minutes``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

LONDON = "Europe/London"
EXCEL_EPOCH = pd.Timestamp("1899-12-30")

_TIME = r"\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
ISO_DATE = rf"^\d{{4}}-\d{{2}}-\d{{2}}(?:[T ]{_TIME}(?:Z|[+-]\d{{2}}:?\d{{2}})?)?$"
ISO_OFFSET = rf"{_TIME}(?:Z|[+-]\d{{2}}:?\d{{2}})$"
UK_DATE = r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$"
SERIAL = r"^\d{1,5}(?:\.\d+)?$"
HMS = r"-?\d+:\d{2}:\d{2}(?:\.\d+)?"
UNITS = (
    r"^(-?)\s*(?:(\d+(?:\.\d+)?)\s*h(?:ours?|rs?)?)?\s*"
    r"(?:(\d+(?:\.\d+)?)\s*m(?:in(?:ute)?s?)?)?\s*"
    r"(?:(\d+(?:\.\d+)?)\s*s(?:ec(?:ond)?s?)?)?$"
)
NUMBER = r"^-?\d+(?:\.\d+)?$"

FAST_LAYOUTS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")
DATE_EXPECTED = "a date as yyyy-mm-dd, dd/mm/yyyy (optionally with HH:MM[:SS]) or an Excel serial"
DURATION_EXPECTED = "a duration as HH:MM:SS or like '1h 5m'"


def clean_text(raw: pd.Series) -> pd.Series:
    """Text with surrounding spaces removed and missing cells as ''."""
    return raw.fillna("").astype(str).str.strip()


def parse_datetimes(raw: pd.Series, required: bool = True) -> tuple[pd.Series, pd.Series]:
    """Parse a column of dates/times into UTC timestamps, with per-row errors."""
    text = clean_text(raw)
    result = _fast_datetimes(text)
    error = pd.Series(None, index=text.index, dtype=object)
    slow = result.isna() & (text != "")
    if slow.any():
        parsed, slow_error = _slow_datetimes(text[slow])
        result[slow] = parsed
        error[slow] = slow_error
    empty = text == ""
    failed = result.isna() & error.isna() & (~empty | required)
    error[failed] = np.where(empty[failed], "a date (the cell is empty)", DATE_EXPECTED)
    return result, error


def _fast_datetimes(text: pd.Series) -> pd.Series:
    """The common fixed layouts, parsed in C; anything else is left for the regex path."""
    result = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns, UTC]")
    todo = text != ""
    for layout in FAST_LAYOUTS:
        if not todo.any():
            break
        local = pd.to_datetime(text[todo], format=layout, errors="coerce")
        done = local.notna()
        if done.any():
            index = done[done].index
            result[index] = _from_london(local[done])
            todo[index] = False
    return result


def _slow_datetimes(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Classify and parse the less common layouts, explaining every failure."""
    result = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns, UTC]")
    error = pd.Series(None, index=text.index, dtype=object)
    iso = text.str.match(ISO_DATE)
    aware = iso & text.str.contains(ISO_OFFSET)
    uk = text.str.match(UK_DATE)
    serial = ~iso & text.str.match(SERIAL)
    naive_iso = iso & ~aware
    if aware.any():
        result[aware] = pd.to_datetime(text[aware], format="ISO8601", utc=True, errors="coerce")
    if naive_iso.any():
        local = pd.to_datetime(text[naive_iso], format="ISO8601", errors="coerce")
        result[naive_iso] = _from_london(local)
    if uk.any():
        local, uk_error = _parse_uk(text[uk])
        result[uk] = _from_london(local)
        error[uk] = uk_error
    if serial.any():
        days = pd.to_numeric(text[serial], errors="coerce")
        local = EXCEL_EPOCH + pd.to_timedelta(days, unit="D")
        result[serial] = _from_london(local.dt.round("s"))
    return result, error


def _from_london(local: pd.Series) -> pd.Series:
    """Naive Europe/London times -> UTC; the repeated autumn hour is read as summer time."""
    flags = np.ones(len(local), dtype=bool)
    aware = local.dt.tz_localize(LONDON, ambiguous=flags, nonexistent="shift_forward")
    return aware.dt.tz_convert("UTC")


def _parse_uk(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    parts = text.str.extract(UK_DATE).astype(float).fillna(0)
    parts.columns = ["day", "month", "year", "hour", "minute", "second"]
    local = pd.to_datetime(parts, errors="coerce")
    error = pd.Series(None, index=text.index, dtype=object)
    us_order = parts["month"] > 12
    error[local.isna()] = "a real calendar date as dd/mm/yyyy"
    error[us_order] = (
        "dd/mm/yyyy (day first); the month would be over 12, so the file may use US "
        "month/day order: convert it to yyyy-mm-dd rather than let us guess"
    )
    return local, error


def parse_durations(raw: pd.Series, unit: str | None) -> tuple[pd.Series, pd.Series]:
    """Parse durations into seconds; ``unit`` ('seconds'/'minutes') applies to bare numbers."""
    text = clean_text(raw)
    seconds = pd.Series(np.nan, index=text.index)
    is_hms = text.str.fullmatch(HMS)
    if is_hms.any():
        seconds[is_hms] = pd.to_timedelta(text[is_hms]).dt.total_seconds()
    rest = ~is_hms & (text != "")
    if rest.any():
        units = text[rest].str.extract(UNITS)
        is_units = units[[1, 2, 3]].notna().any(axis=1)
        parts = units.loc[is_units, [1, 2, 3]].astype(float).fillna(0)
        sign = np.where(units.loc[is_units, 0] == "-", -1, 1)
        seconds[is_units[is_units].index] = sign * (parts[1] * 3600 + parts[2] * 60 + parts[3])
    bare = text.str.match(NUMBER)
    if unit and bare.any():
        factor = 60.0 if unit == "minutes" else 1.0
        seconds[bare] = text[bare].astype(float) * factor
    error = pd.Series(None, index=text.index, dtype=object)
    expected = DURATION_EXPECTED
    if not unit:
        expected += " (a bare number needs a column named 'minutes' or 'seconds')"
    error[seconds.isna()] = expected
    return seconds, error


def parse_numbers(
    raw: pd.Series, what: str, required: bool = True, integer: bool = False
) -> tuple[pd.Series, pd.Series]:
    """Parse plain numbers (``1,234`` allowed); errors name ``what`` was expected."""
    text = clean_text(raw).str.replace(",", "", regex=False)
    values = pd.to_numeric(text.where(text.str.match(NUMBER)), errors="coerce")
    error = pd.Series(None, index=text.index, dtype=object)
    bad = values.isna() & ((text != "") | required)
    if integer:
        bad |= values.notna() & (values % 1 != 0)
    error[bad] = f"{what} as a {'whole ' if integer else ''}number"
    return values, error


def duration_unit(header: str) -> str | None:
    """The unit a column name gives to bare numbers, if any."""
    name = header.lower()
    if "sec" in name:
        return "seconds"
    if "min" in name:
        return "minutes"
    return None


def local_days(utc: pd.Series) -> pd.Series:
    """Days since 1970-01-01 of each timestamp's Europe/London calendar date."""
    local = utc.dt.tz_convert(LONDON).dt.tz_localize(None).dt.normalize()
    return (local - pd.Timestamp("1970-01-01")).dt.days
