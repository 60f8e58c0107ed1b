"""Vectorised parsers for dates, durations and numbers as vendors write them.

Each parser takes a column of text and returns the parsed values plus, per
row, ``None`` or a description of what was expected, so a reader can report
every bad cell in one pass.

Dates: ISO 8601 (``2021-03-01``, ``2021-03-01T09:15:00``, with or without an
offset), slash dates in the file's own order (``01/03/2021``, ``3/1/2021 8:26:17 AM``),
``1 Mar 2021`` and Excel serial day numbers. The order of a file's slash dates
(day first or month first) is found from its values by :func:`find_date_order`;
a file that cannot tell is refused, never guessed. Times without an offset are
in the file's time zone (:class:`Clock`); the clock changes are read by
:mod:`usage.readers.clockchange`, which never guesses.

Durations: ``HH:MM:SS``, ``1h 5m`` / ``5 min 30 s`` / ``90s``, or a bare number
when the column name gives the unit (``seconds``, ``minutes``).
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import numpy as np
import pandas as pd

from usage.readers.clockchange import to_utc
from usage.readers.fastpath import codepoints, digit_integers, fixed_datetimes, fixed_hms

LONDON = "Europe/London"
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
ORDERS = ("dmy", "mdy", "ymd")
ORDER_WORDS = {"dmy": "day/month/year", "mdy": "month/day/year", "ymd": "year/month/day"}

_TIME = r"\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
ISO_DATE = rf"^\d{{4}}-\d{{2}}-\d{{2}}(?:[T ]{_TIME}(?:Z|[+-]\d{{2}}:?\d{{2}})?)?$"
ISO_OFFSET = rf"{_TIME}(?:Z|[+-]\d{{2}}:?\d{{2}})$"
SLASH_DATE = (
    r"^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})"
    r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp])?\.?[Mm]?\.?)?$"
)
SLASH_PREFIX = r"^(\d{1,2})[/.-](\d{1,2})[/.-]"
SERIAL = r"^\d{1,5}(?:\.\d+)?$"
HMS = r"-?\d+:\d{2}:\d{2}(?:\.\d+)?"
UNITS = (
    r"^(-?)\s*(?:(\d+(?:\.\d+)?)\s*h(?:ours?|rs?)?)?\s*"
    r"(?:(\d+(?:\.\d+)?)\s*m(?:in(?:ute)?s?)?)?\s*"
    r"(?:(\d+(?:\.\d+)?)\s*s(?:ec(?:ond)?s?)?)?$"
)
NUMBER = r"^-?\d+(?:\.\d+)?$"
GROUPED_NUMBER = r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$"
DECIMAL_COMMA = r"^-?\d+,\d+$"

ISO_LAYOUTS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")
SLASH_LAYOUTS = {
    "dmy": ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d/%m/%Y %I:%M:%S %p"),
    "mdy": ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y"),
    "ymd": ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d"),
}
WORD_LAYOUTS = ("%d %b %Y", "%d %B %Y", "%d %b %Y %H:%M", "%d %B %Y %H:%M")
DATE_EXPECTED = (
    "a date as yyyy-mm-dd, dd/mm/yyyy or mm/dd/yyyy (as the rest of the file), "
    "optionally with a time (HH:MM[:SS], or h:mm AM/PM), or an Excel date"
)
DURATION_EXPECTED = "a duration as HH:MM:SS or like '1h 5m'"


@dataclass(frozen=True)
class Clock:
    """How to read one file's dates: its slash-date order and the zone of times without offset."""

    zone: str = LONDON
    order: str | None = None

    def __post_init__(self) -> None:
        if self.order is not None and self.order not in ORDERS:
            raise ValueError(f"date order must be one of {', '.join(ORDERS)}, got {self.order!r}")
        try:
            ZoneInfo(self.zone)
        except (ZoneInfoNotFoundError, ValueError):
            near = sorted(z for z in available_timezones() if self.zone.lower() in z.lower())[:5]
            hint = f" (did you mean {', '.join(near)}?)" if near else " (e.g. Europe/London, UTC)"
            raise ValueError(f"unknown time zone {self.zone!r}{hint}") from None


@dataclass(frozen=True)
class OrderEvidence:
    """What a column's slash dates say about their order: first row showing each order."""

    day_first_row: int | None = None
    month_first_row: int | None = None
    ambiguous: bool = False


def clean_text(raw: pd.Series) -> pd.Series:
    """Text with surrounding spaces removed and missing cells as ''."""
    return raw.fillna("").astype(str).str.strip()


def by_distinct(raw: pd.Series, convert) -> pd.Series:
    """``convert`` applied to each distinct cleaned value once, spread back to every row
    (a log repeats the same few users and devices a million times)."""
    codes, distinct = pd.factorize(raw.fillna("").astype(str), use_na_sentinel=False)
    values = convert(clean_text(pd.Series(distinct, dtype=object)))
    return pd.Series(np.asarray(values, dtype=object)[codes], index=raw.index)


def order_evidence(raw: pd.Series) -> OrderEvidence:
    """Look at the first two numbers of every slash date (distinct prefixes only, for speed)."""
    distinct, first = np.unique(_prefixes(raw), return_index=True)
    parts = pd.Series(distinct, dtype=object).str.extract(SLASH_PREFIX).astype(float)
    one, two = parts[0].to_numpy(), parts[1].to_numpy()
    day_first = first[(one > 12) & (two <= 12)]
    month_first = first[(two > 12) & (one <= 12)]
    return OrderEvidence(
        int(day_first.min()) if len(day_first) else None,
        int(month_first.min()) if len(month_first) else None,
        bool(((one <= 12) & (two <= 12) & (one != two)).any()),
    )


def _prefixes(raw: pd.Series) -> np.ndarray:
    """The first six characters of each cell (spaces trimmed), as a numpy string array."""
    codes = codepoints(raw, 7)
    lead = codes[:, 0]
    if ((lead > 0) & (lead <= 32)).any() or (lead == 160).any():  # rare: leading spaces
        return np.asarray(clean_text(raw).str.slice(0, 6), dtype="<U6")
    return np.ascontiguousarray(codes[:, :6]).view("<U6").ravel()


def parse_datetimes(
    raw: pd.Series,
    clock: Clock = Clock(),
    required: bool = True,
    groups: pd.Series | None = None,
    day_only: bool = False,
) -> tuple[pd.Series, pd.Series]:
    """Parse a column of dates/times into UTC timestamps, with per-row errors.

    ``groups`` (e.g. the person) keeps each group's pass through the repeated
    autumn hour apart when deciding which times are summer and which winter time;
    ``day_only`` says the caller keeps only the day (see :func:`clockchange.to_utc`).
    """
    order = clock.order or "dmy"
    local = fixed_datetimes(raw, order).astype("datetime64[ns]")
    error = pd.Series(None, index=raw.index, dtype=object)
    aware = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns, UTC]")
    rest = local.isna()
    if rest.any():  # the general path, only for cells the fixed layouts did not take
        text = clean_text(raw[rest])
        local[rest], error[rest] = _local_datetimes(text, order)
        offset = error[rest].isna() & local[rest].isna() & text.str.match(ISO_DATE)
        offset &= text.str.contains(ISO_OFFSET)
        if offset.any():  # explicit offsets: no time zone needed
            index = offset[offset].index
            aware[index] = pd.to_datetime(text[index], format="ISO8601", utc=True, errors="coerce")
    naive = local.notna()
    if naive.any():
        utc, zone_error = to_utc(
            local[naive], clock.zone, None if groups is None else groups[naive], day_only
        )
        aware[naive] = utc
        error[naive] = zone_error
    failed = aware.isna() & error.isna()
    if failed.any():
        empty = clean_text(raw[failed]) == ""
        if not required:
            failed[empty[empty].index] = False
        error[failed] = np.where(
            empty[failed[failed].index], "a date (the cell is empty)", DATE_EXPECTED
        )
    return aware, error


def _local_datetimes(text: pd.Series, order: str) -> tuple[pd.Series, pd.Series]:
    """Naive wall-clock times: fixed layouts parsed in C, then the regex path with reasons."""
    local = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    error = pd.Series(None, index=text.index, dtype=object)
    todo = text != ""
    for layout in (*SLASH_LAYOUTS[order], *ISO_LAYOUTS, *WORD_LAYOUTS):
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=layout, errors="coerce")
        done = parsed.notna()
        if done.any():
            index = done[done].index
            local[index] = parsed[done]
            todo[index] = False
    if todo.any():
        iso = todo & text.str.match(ISO_DATE) & ~text.str.contains(ISO_OFFSET)
        if iso.any():
            local[iso] = pd.to_datetime(text[iso], format="ISO8601", errors="coerce")
        slash = todo & text.str.match(SLASH_DATE)
        if slash.any():
            local[slash], error[slash] = _parse_slash(text[slash], order)
        serial = todo & ~slash & text.str.match(SERIAL)
        if serial.any():
            days = pd.to_numeric(text[serial], errors="coerce")
            local[serial] = (EXCEL_EPOCH + pd.to_timedelta(days, unit="D")).dt.round("s")
    return local, error


def _parse_slash(text: pd.Series, order: str) -> tuple[pd.Series, pd.Series]:
    """Slash dates the fixed layouts missed, with the reason each bad one is bad."""
    parts = text.str.extract(SLASH_DATE)
    numbers = parts[[0, 1, 2, 3, 4, 5]].astype(float)
    year_first = parts[0].str.len() == 4
    names = {"dmy": (2, 1, 0), "mdy": (2, 0, 1), "ymd": (0, 1, 2)}[order]
    year = numbers[names[0]].where(~year_first, numbers[0])
    month = numbers[names[1]].where(~year_first, numbers[1])
    day = numbers[names[2]].where(~year_first, numbers[2])
    hour = numbers[3].fillna(0)
    half = parts[6].str.upper()
    twelve = half.notna()
    bad_twelve = twelve & ((hour < 1) | (hour > 12))
    hour = hour.where(~twelve, hour % 12 + np.where(half == "P", 12, 0))
    fields = pd.DataFrame(
        {"year": year, "month": month, "day": day, "hour": hour}
        | {"minute": numbers[4].fillna(0), "second": numbers[5].fillna(0)}
    )
    short_year = year < 1000
    local = pd.to_datetime(fields.where(~short_year), errors="coerce")
    error = pd.Series(None, index=text.index, dtype=object)
    words = ORDER_WORDS[order]
    error[local.isna()] = f"a real calendar date in this file's order, {words}"
    error[short_year] = "a four-digit year"
    error[(month > 12) & (day <= 12)] = (
        f"{words}, the order of this file's other dates; read that way the month would be "
        "over 12 (a date in the other order?)"
    )
    bad_clock = (hour > 23) | (numbers[4] > 59) | (numbers[5] > 59)
    error[bad_clock] = "a time of day from 00:00:00 to 23:59:59"
    error[bad_twelve] = "an hour from 1 to 12 before AM/PM"
    local[error.notna()] = pd.NaT
    return local, error


def parse_durations(
    raw: pd.Series, unit: str | None, decimal_comma: bool = False
) -> tuple[pd.Series, pd.Series]:
    """Parse durations into seconds; ``unit`` ('seconds'/'minutes') applies to bare numbers.

    With ``decimal_comma`` (a semicolon-separated file) ``12,5`` is twelve and a half.
    """
    seconds = fixed_hms(raw)
    error = pd.Series(None, index=raw.index, dtype=object)
    rest = seconds.isna()
    if rest.any():
        seconds[rest], error[rest] = _general_durations(raw[rest], unit, decimal_comma)
    return seconds, error


def _general_durations(
    raw: pd.Series, unit: str | None, decimal_comma: bool
) -> tuple[pd.Series, pd.Series]:
    text = clean_text(raw)
    if decimal_comma:
        text = text.where(~text.str.match(DECIMAL_COMMA), text.str.replace(",", ".", regex=False))
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
    raw: pd.Series,
    what: str,
    required: bool = True,
    integer: bool = False,
    decimal_comma: bool = False,
) -> tuple[pd.Series, pd.Series]:
    """Parse plain numbers; errors name ``what`` was expected.

    Thousands may be grouped (``1,234``) unless ``decimal_comma`` (semicolon files),
    where ``2,5`` is two and a half. ``1,5`` in a comma file is an error, not 15.
    """
    values = digit_integers(raw)
    error = pd.Series(None, index=raw.index, dtype=object)
    rest = values.isna()
    if rest.any():
        values[rest], error[rest] = _general_numbers(
            raw[rest], what, required, integer, decimal_comma
        )
    return values, error


def _general_numbers(
    raw: pd.Series, what: str, required: bool, integer: bool, decimal_comma: bool
) -> tuple[pd.Series, pd.Series]:
    text = clean_text(raw)
    if decimal_comma:
        text = text.where(~text.str.match(DECIMAL_COMMA), text.str.replace(",", ".", regex=False))
    else:
        grouped = text.str.match(GROUPED_NUMBER)
        text = text.where(~grouped, text.str.replace(",", "", regex=False))
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
