"""Cell styles made once and shared, and cells put in one step, so a workbook of 60,000
styled cells builds fast.

Setting a cell's font, fill, border or alignment makes openpyxl hash the style object to
find it among the workbook's styles, which costs more than everything else about the
cell. ``put_style`` does that once per style and per starting style in a workbook, then
gives every other cell the same style indices (a copy of openpyxl's per-cell
``StyleArray``, as openpyxl's own worksheet copy does). ``put`` puts a new cell's value
(text kept as text, as ``put_text`` does) and style at once, skipping openpyxl's checks
only where they cannot find anything, and keeps it (``common.xlsx_save.kept_cells``): no
openpyxl ``Cell`` is made unless something asks for it; ``put_row`` puts a row of them.
``merge_row`` merges along a row without openpyxl's look through every range merged
before (which grows with the square of the merges). The workbook written is the same."""

from __future__ import annotations

import datetime as dt
from copy import copy
from dataclasses import dataclass
from weakref import finalize

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Border, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.merge import MergedCellRange

from common.sheets import put_text
from common.xlsx_save import LONGEST_TEXT, kept_cells

_MADE: dict[int, dict] = {}  # id(workbook) -> {(style before, style): after}, while it lives
PLAIN_NUMBERS = (int, float)  # exactly these types (not bool): openpyxl stores them as is
SAME_BY_TYPE = {dt.date, dt.datetime, dt.time, dt.timedelta, bool}  # all alike to openpyxl


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
    cell._style = StyleArray(_style_after(cell, style))  # its own copy, to change alone


def _made(book) -> dict:
    """The styles made in ``book``; a plain dict by id, as a WeakKeyDictionary is slow."""
    made = _MADE.get(id(book))
    if made is None:
        made = _MADE[id(book)] = {}
        finalize(book, _MADE.pop, id(book), None)  # before the id can be another's
    return made


def _style_after(cell, style: CellStyle) -> StyleArray:
    made = _made(cell.parent.parent)
    key = (cell._style and tuple(cell._style), style)  # None: a cell never styled
    after = made.get(key)
    if after is None:
        for part in ("font", "fill", "border", "alignment", "number_format"):
            value = getattr(style, part)
            if value is not None:
                setattr(cell, part, value)
        after = made[key] = StyleArray(cell._style)
    return after


def put(sheet, row: int, column: int, value: object, style: CellStyle | None = None) -> None:
    """``put_text`` then ``put_style`` on the cell at (``row``, ``column``), in one step
    where the cell is new and ``value`` is a number or short printable text."""
    put_row(sheet, row, column, (value,), (style,))


def put_row(sheet, row: int, column: int, values, styles) -> None:
    """``put`` each of ``values``, with the style at the same place in ``styles`` (None
    for none), along ``row`` from ``column``."""
    cells, made = kept_cells(sheet), _made(sheet.parent)
    keep = cells.keep
    for value, style in zip(values, styles, strict=True):
        kind = type(value)
        if (row, column) in cells or not (
            value is None
            or kind in PLAIN_NUMBERS
            or (kind is str and value.isprintable() and len(value) <= LONGEST_TEXT)
        ):  # openpyxl's own checks to run (illegal characters, long text, dates)
            _put_checked(sheet, row, column, value, style, made)
        else:  # as put_text then put_style would leave a new cell (nothing printable is
            # illegal), kept until asked for: see common.xlsx_save
            after = None
            if style is not None:
                after = made.get(style)
                if after is None:
                    after = made[style] = _style_after(Cell(sheet), style)
            keep((row, column), (value, "s" if kind is str else "n", after))
        column += 1
    if row > sheet._current_row:
        sheet._current_row = row


def _put_checked(sheet, row: int, column: int, value, style, made: dict) -> None:
    """``put_text`` then ``put_style``, openpyxl's checks run; where a value's type alone
    decides what openpyxl makes of a new cell (a date's format, say), what it made the
    first time is copied after that."""
    same = type(value) in SAME_BY_TYPE and (row, column) not in sheet._cells
    key = (type(value), style)
    if same and key in made:  # kept as the first was made
        data_type, after = made[key]
        kept_cells(sheet).keep((row, column), (value, data_type, after))
        sheet._current_row = max(row, sheet._current_row)
        return
    cell = sheet.cell(row, column)
    put_text(cell, value)
    if style is not None:
        put_style(cell, style)
    if same:
        made[key] = (cell.data_type, cell._style and StyleArray(cell._style))


def merge_row(sheet, row: int, first: int, last: int) -> None:
    """``sheet.merge_cells`` from column ``first`` to ``last`` of ``row``, without
    openpyxl's look through every range merged before, where that look cannot find one
    (no cell after the first exists yet, so no range holds these) and the first cell has
    no edge to copy onto the others; else openpyxl's own merge."""
    cells = sheet._cells
    start = cells.get((row, first))
    if (
        last <= first
        or type(start) is MergedCell
        or any((row, column) in cells for column in range(first + 1, last + 1))
        or (start is not None and _has_edge(sheet.parent, start._style))
    ):
        sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        return
    merged = MergedCellRange(
        sheet, f"{get_column_letter(first)}{row}:{get_column_letter(last)}{row}"
    )
    sheet.merged_cells.ranges.add(merged)
    start = merged.start_cell  # made by MergedCellRange where absent
    if start._style is None:
        start._style = StyleArray()
    protection = _copied_protection(sheet.parent, start._style.protectionId)
    start._style.protectionId = protection  # as openpyxl's merge does, to every cell
    for column in range(first + 1, last + 1):
        cell = cells[row, column] = MergedCell(sheet, row, column)
        cell._style = StyleArray()
        cell._style.protectionId = protection


def _copied_protection(book, protection: int) -> int:
    """The number openpyxl's merge gives a copy of protection number ``protection``
    (the first equal to it), found once a workbook."""
    made = _made(book)
    key = ("protection", protection)
    if key not in made:
        made[key] = book._protections.add(copy(book._protections[protection]))
    return made[key]


def _has_edge(book, style: StyleArray | None) -> bool:
    """Whether a cell's border has a side that openpyxl's merge copies to merged cells."""
    border = book._borders[style.borderId if style is not None else 0]
    sides = (border.top, border.left, border.right, border.bottom)
    return any(side is None or side.style is not None for side in sides)
