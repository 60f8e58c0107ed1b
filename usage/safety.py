"""Guard against spreadsheet formula injection in anything we write for Excel to open."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(text: str) -> bool:
    """True if a spreadsheet would read ``text`` as a formula (or DDE command)."""
    return text.startswith(FORMULA_STARTS)


def safe_text(value: object) -> str:
    """Text for CSV cells: a leading apostrophe stops Excel evaluating untrusted input."""
    text = "" if value is None else str(value)
    return "'" + text if is_formula_like(text) else text
