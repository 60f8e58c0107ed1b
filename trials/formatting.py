"""How numbers are written for people (console, Markdown) and for programs (JSON).

One function per rule, used everywhere: p-values as "< 0.001" or three significant
figures; missing values as an empty cell; an infinite interval end as "unbounded"; JSON
with every float at full precision.
"""

from __future__ import annotations

import math

UNBOUNDED = "unbounded"  # an interval end at infinity (e.g. a wild bootstrap that cannot reject)
# Columns shown as whole counts, and as shares (percentages), wherever a table is written.
COUNTS = {"n", "n_arm", "n_vs", "randomised", "responded", "missing", "draws", "period"}
COUNTS |= {"dropped_single_stratum"}
SHARES = {"response_rate", "attrition", "response_arm", "response_vs", "trim_share"}
SHARES |= {"share_in_arm"}


def is_p_column(column) -> bool:
    """A column of p-values: named ``p`` or ``p_<kind>`` (p_holm, p_bh, p_ri, ...)."""
    return column == "p" or str(column).startswith("p_")


def is_bound_column(column) -> bool:
    """A column of interval ends: ci_low, ci_high, g_ci_low, ci_low_wild, std_ci_high, ..."""
    return "ci_low" in str(column) or "ci_high" in str(column)


def is_unbounded(value) -> bool:
    """An interval end at plus or minus infinity."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isinf(value)


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
    """A table cell, choosing the p-value rule for p columns and "unbounded" for an
    infinite interval end."""
    if is_p_column(column):
        return format_p(value)
    if is_bound_column(column) and is_unbounded(value):
        return UNBOUNDED
    return format_number(value, digits)


def plain(value, bound: bool = False):
    """A JSON-ready Python value: numpy scalars unwrapped, missing values as null, and an
    infinite interval end (``bound``) as "unbounded"."""
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if bound and is_unbounded(value):
        return UNBOUNDED
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is not None and not isinstance(value, str | bool | int | float) and is_missing(value):
        return None
    return value


def json_records(table) -> list[dict]:
    """Rows of a DataFrame as dicts of plain values; json.dumps then writes each float as
    its shortest repr that round-trips, never a fixed number of decimals."""
    rows = table.to_dict(orient="records")
    return [{k: plain(v, is_bound_column(k)) for k, v in row.items()} for row in rows]
