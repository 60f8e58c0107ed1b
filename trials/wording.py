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


def words(name: str, labels: dict[str, str] | None = None) -> str:
    """A column or arm name as words: the spec's label for it, else 'usual_care' ->
    'usual care'."""
    if labels and str(name) in labels:
        return labels[str(name)]
    return str(name).replace("_", " ").strip()


def contrast_words(contrast: str, labels: dict[str, str] | None = None) -> str:
    """'a - b' or 'level: a - b' in words: 'a vs b', 'level: a vs b'."""
    prefix, _, rest = str(contrast).rpartition(": ")
    sides = " vs ".join(words(side.strip(), labels) for side in rest.split(" - "))
    return f"{words(prefix, labels)}: {sides}" if prefix else sides


def count(n: int | None) -> str:
    """A count with thousands separators, or 'not recorded'."""
    return "not recorded" if n is None else f"{n:,}"
