"""Cell styles made once and shared, so a workbook of 60,000 styled cells writes fast.

Setting a cell's font, fill, border or alignment makes openpyxl hash the style object to
find it among the workbook's styles, which costs more than everything else about the
cell. ``put_style`` does that once per style and per starting style in a workbook, then
gives every other cell the same style indices (a copy of openpyxl's per-cell
``StyleArray``, as openpyxl's own worksheet copy does). The workbook written is the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from weakref import WeakKeyDictionary

from openpyxl.styles import Alignment, Border, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray

_MADE: WeakKeyDictionary = WeakKeyDictionary()  # workbook -> {(style before, style): after}


@dataclass(frozen=True, eq=False)  # compared by identity: make each style once, share it
class CellStyle:
    """What to set on a cell; None leaves that part as it is."""

    font: Font | None = None
    fill: PatternFill | None = None
    border: Border | None = None
    alignment: Alignment | None = None
    number_format: str | None = None


def put_style(cell, style: CellStyle) -> None:
    """Set ``style``'s parts on ``cell``, as setting each in turn would."""
    made = _MADE.setdefault(cell.parent.parent, {})
    key = (cell._style and tuple(cell._style), style)  # None: a cell never styled
    after = made.get(key)
    if after is None:
        for part in ("font", "fill", "border", "alignment", "number_format"):
            value = getattr(style, part)
            if value is not None:
                setattr(cell, part, value)
        after = made[key] = StyleArray(cell._style)
    cell._style = StyleArray(after)  # its own copy: setting a part later changes it alone
