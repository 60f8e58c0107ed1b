"""Numbers in words people read: counts with the right plural, hours with their units."""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 change', '2 changes', '1 duty day', '3 team-days'; ``many`` for irregular words."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def hours(value: float) -> str:
    """Hours as a person writes them: '37 h', '22.5 h'."""
    return f"{value:g} h"


def hours_and_minutes(value: float) -> str:
    """'9 h 15 min' for 9.25 hours; '8 h 13 min' for 74/9 (to the nearest minute)."""
    minutes = round(value * 60)
    whole, rest = divmod(minutes, 60)
    return f"{whole} h" if rest == 0 else f"{whole} h {rest} min"


def aligned_table(headers: tuple[str, ...], rows: list[tuple]) -> list[str]:
    """Plain-text table lines: each column as wide as its widest entry, numbers right-
    aligned under their heading, words left-aligned."""
    cells = [tuple("-" if v is None else str(v) for v in row) for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    numeric = [all(isinstance(r[i], int) or r[i] is None for r in rows) for i in range(len(widths))]

    def line(values) -> str:
        return "  ".join(
            v.rjust(w) if right else v.ljust(w)
            for v, w, right in zip(values, widths, numeric, strict=True)
        ).rstrip()

    return [line(headers), *(line(r) for r in cells)]
