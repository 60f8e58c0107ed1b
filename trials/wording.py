"""How numbers and names are written for readers: p-values, counts and labels in words."""

from __future__ import annotations

import math


def format_p(p: float | None) -> str:
    """'< 0.001', or three significant figures; blank when there is no p-value."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return ""
    if p < 0.001:
        return "< 0.001"
    return f"{p:#.3g}"


def words(name: str) -> str:
    """A column or arm name as words: 'usual_care' -> 'usual care'."""
    return str(name).replace("_", " ").strip()


def count(n: int | None) -> str:
    """A count with thousands separators, or 'not recorded'."""
    return "not recorded" if n is None else f"{n:,}"
