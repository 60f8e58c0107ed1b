"""How numbers are written for people (console, Markdown) and for programs (JSON).

One function per rule, used everywhere: p-values as "< 0.001" or three significant
figures; missing values as an empty cell; JSON with every float at full precision.
"""

from __future__ import annotations

import math


def is_p_column(column) -> bool:
    """A column of p-values: named ``p`` or ``p_<kind>`` (p_holm, p_bh, p_ri, ...)."""
    return column == "p" or str(column).startswith("p_")


def is_missing(value) -> bool:
    """None, NaN or pandas' NA: a missing value, whatever its type."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN and pd.NA are not equal to themselves
    except TypeError:
        return True


def format_p(p) -> str:
    """'< 0.001', else three significant figures ('0.0123', '0.500', '1.00'); blank if missing."""
    if is_missing(p):
        return ""
    p = float(p)
    if p < 0.001:
        return "< 0.001"
    return f"{p:#.3g}"


def format_number(value, digits: int = 3) -> str:
    """A table cell: floats to ``digits`` decimals, whole numbers as they are, text as written."""
    if is_missing(value):
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) or type(value).__name__.startswith("float"):
        return f"{float(value):.{digits}f}"
    return str(value)


def format_cell(column: str, value, digits: int = 3) -> str:
    """A table cell, choosing the p-value rule for p columns."""
    return format_p(value) if is_p_column(column) else format_number(value, digits)


def plain(value):
    """A JSON-ready Python value: numpy scalars unwrapped, missing values as null."""
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is not None and not isinstance(value, str | bool | int | float) and is_missing(value):
        return None
    return value


def json_records(table) -> list[dict]:
    """Rows of a DataFrame as dicts of plain values; json.dumps then writes each float as
    its shortest repr that round-trips, never a fixed number of decimals."""
    return [{k: plain(v) for k, v in row.items()} for row in table.to_dict(orient="records")]
