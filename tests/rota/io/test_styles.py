"""``put`` makes the cell that ``put_text`` then ``put_style`` make, by a faster road
where it can, and the same checks where it cannot."""

import datetime as dt
from decimal import Decimal

import pytest
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils.exceptions import IllegalCharacterError

from common.sheets import put_text
from rota.io.styles import CellStyle, merge_row, put, put_style

STYLE = CellStyle(font=Font(bold=True), fill=PatternFill("solid", fgColor="BDD7EE"))
DATED = CellStyle(number_format="ddd d mmm yyyy", alignment=Alignment(horizontal="left"))
VALUES = ["W", "", " padded ", "two\nlines", "=SUM(A1)", "#N/A", "x" * 40_000, "ünï ✓",
          "a\xa0b", 0, 7, -2.5, float("nan"), True, Decimal("1.5"), dt.date(2027, 5, 3),
          dt.datetime(2027, 5, 3, 9), None]  # fmt: skip


def _cell(sheet, row, column):
    cell = sheet._cells[row, column]
    return (type(cell), cell._value, cell.data_type, cell.number_format, tuple(cell._style or ()))


@pytest.mark.parametrize("style", [None, STYLE, DATED])
def test_put_makes_the_cell_put_text_and_put_style_make(style):
    fast, slow = Workbook().active, Workbook().active
    for row in (1, 2):  # twice: what the first of a type made is copied after that
        for column, value in enumerate(VALUES, start=1):
            put(fast, row, column, value, style)
            cell = slow.cell(row, column)
            put_text(cell, value)
            if style is not None:
                put_style(cell, style)
            fast_cell, slow_cell = _cell(fast, row, column), _cell(slow, row, column)
            if value != value:  # nan: the same cell, though nan is not nan
                fast_cell, slow_cell = fast_cell[2:], slow_cell[2:]
            assert fast_cell == slow_cell, repr(value)
            styles = (fast._cells[row, column]._style, slow._cells[row, column]._style)
            assert (styles[0] is None) == (styles[1] is None)
    assert fast.max_row == slow.max_row and fast.max_column == slow.max_column
    assert fast._current_row == slow._current_row


def test_put_on_a_cell_already_there_keeps_its_style_and_adds_to_it():
    sheet = Workbook().active
    sheet.cell(2, 2).alignment = Alignment(horizontal="center")
    put(sheet, 2, 2, "D", STYLE)
    cell = sheet["B2"]
    assert (cell.value, cell.font.b, cell.alignment.horizontal) == ("D", True, "center")


def test_put_refuses_what_openpyxl_refuses():
    with pytest.raises(IllegalCharacterError):
        put(Workbook().active, 1, 1, "bell\x07")


def _merged(sheet) -> tuple:
    cells = {
        k: (type(c).__name__, c._value, tuple(c._style or ())) for k, c in sheet._cells.items()
    }
    return cells, sorted(str(r) for r in sheet.merged_cells.ranges)


def _start(sheet, case: str) -> None:
    """A row 2 set up for a merge of B2:E2, as each case says."""
    sheet.merge_cells("A5:C5")  # a range merged before
    if case in ("value", "edged", "inside", "twice"):
        put(sheet, 2, 2, "notes", CellStyle(alignment=Alignment(wrap_text=True)))
    if case == "unlocked":
        sheet["B2"].protection = Protection(locked=False)
    if case == "edged":
        sheet["B2"].border = Border(bottom=Side(style="thin"))
    if case == "inside":
        sheet["D2"] = "in the way"
    if case == "twice":
        sheet.merge_cells("B2:E2")
    if case == "in a merge":
        sheet.merge_cells("A2:F2")


@pytest.mark.parametrize(
    "case", ["absent", "value", "unlocked", "edged", "inside", "twice", "in a merge", "one cell"]
)
def test_merge_row_merges_as_openpyxl_merges(case):
    fast, slow = Workbook().active, Workbook().active
    last = 2 if case == "one cell" else 5
    for sheet in (fast, slow):
        _start(sheet, case)
    merge_row(fast, 2, 2, last)
    slow.merge_cells(start_row=2, start_column=2, end_row=2, end_column=last)
    assert _merged(fast) == _merged(slow)
