"""The bulk cell writer writes each sheet's cells as openpyxl's own writer does: the same
XML, attribute for attribute, and the same workbook read back."""

import datetime as dt
import gc
import zipfile

import pytest
from lxml import etree
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.xml import LXML

from common.xlsx_save import collector_paused, kept_cells, save

TEXTS = ["W", " leading", "trailing ", "a & b < c > d", "line\none", "cr\r\nlf", "tab\tin",
         "=not a formula", "#N/A", "", "  ", "quote \" and ' apostrophe", "ünïcödé ✓"]  # fmt: skip
NUMBERS = [0, 7, -3, 2.5, 1e-9, 12345678901234567, 0.1 + 0.2, True, False]
DATES = [dt.date(2027, 5, 3), dt.datetime(2027, 5, 3, 9, 30), dt.time(13, 15)]


def _book(formula: bool = False) -> Workbook:
    book = Workbook()
    sheet = book.active
    for column, text in enumerate(TEXTS, start=1):
        sheet.cell(1, column).value = text
        sheet.cell(1, column).data_type = "s"  # put_text: text, never a formula
    for column, value in enumerate([*NUMBERS, *DATES], start=1):
        sheet.cell(2, column, value)
    sheet.cell(3, 2).font = Font(bold=True)  # styled, no value
    sheet.cell(3, 4, "x").fill = PatternFill("solid", fgColor="BDD7EE")
    sheet.cell(3, 5).comment = Comment("a comment", "workwell")  # no value, no style
    sheet.cell(3, 6)  # made, never set: not written
    sheet.cell(5, 30, 1).alignment = Alignment(horizontal="center")
    sheet.cell(6, 1, "merged, edged").border = Border(top=Side(style="thin"))
    sheet.merge_cells("A6:D6")  # the merged cells take the edge: styled, with no value
    sheet.row_dimensions[4].height = 30  # a row with no cells, written for its height
    sheet.row_dimensions[5].height = 45
    second = book.create_sheet("Second")
    second["A1"] = "plain"
    if formula:
        second["B2"] = "=A1"
    return book


def _sheets(path) -> dict[str, bytes]:
    """Each part of the package; worksheets canonicalised (C14N), so only content counts."""
    parts = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            if name.startswith("xl/worksheets/sheet"):
                data = etree.tostring(etree.fromstring(data), method="c14n")
            parts[name] = data
    parts.pop("docProps/core.xml")  # holds the time it was written
    return parts


@pytest.mark.parametrize("formula", [False, True])
def test_the_package_is_the_one_openpyxl_writes(tmp_path, formula):
    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx"
    save(_book(formula), ours)
    _book(formula).save(theirs)
    assert _sheets(ours) == _sheets(theirs)


def test_every_value_comes_back_as_from_openpyxls_own_save(tmp_path):
    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx"
    save(_book(), ours)
    _book().save(theirs)
    ours_sheet, their_sheet = load_workbook(ours).active, load_workbook(theirs).active
    read = [
        [(c.value, c.data_type, c.number_format, c.font.b, c.fill.fgColor.rgb) for c in row]
        for row in ours_sheet.iter_rows()
    ]
    assert read == [
        [(c.value, c.data_type, c.number_format, c.font.b, c.fill.fgColor.rgb) for c in row]
        for row in their_sheet.iter_rows()
    ]
    kept = [(text or None, "s" if text else "inlineStr", "General", False, "00000000")
            for text in TEXTS]  # fmt: skip
    if not LXML:  # openpyxl's ElementTree writer loses a carriage return; so do we, with it
        kept = [(t and t.replace("\r\n", "\n"), *rest) for t, *rest in kept]
    assert read[0][: len(TEXTS)] == kept
    assert ours_sheet["E3"].comment.text == "a comment"
    assert ours_sheet.row_dimensions[4].height == 30


def _kept_book(kept: bool) -> Workbook:
    """A sheet of cells either kept (``kept_cells``) or made by openpyxl, holding the same,
    then looked up and changed through openpyxl as the rota's writers do."""
    book = Workbook()
    sheet = book.active
    scratch = Cell(sheet)  # styles made through openpyxl, in the same order both ways
    scratch.font, scratch.fill = Font(bold=True), PatternFill("solid", fgColor="BDD7EE")
    bold = StyleArray(scratch._style)
    scratch.number_format = "yyyy-mm-dd h:mm"
    dated = StyleArray(scratch._style)
    values = [*(t for t in TEXTS if t.isprintable()), *NUMBERS[:-2], None, *DATES[:2], 0.0, -0.0]
    for row in (1, 2, 4):
        for column, value in enumerate(values, start=1):
            dates = isinstance(value, dt.date)
            style = dated if dates else bold if (row + column) % 2 else None
            data_type = "d" if dates else "s" if type(value) is str else "n"
            if kept:  # as rota.io.styles.put_row keeps them
                kept_cells(sheet).keep((row, column), (value, data_type, style))
                sheet._current_row = row
            else:
                cell = sheet.cell(row, column)
                cell._value, cell.data_type = value, data_type
                cell._style = None if style is None else StyleArray(style)
    assert sheet.cell(1, 1).value == values[0] and sheet["B1"].font.b  # made when asked for
    sheet.cell(2, 3).font = Font(italic=True)  # its own style now, not the others'
    sheet.cell(2, 2).comment = Comment("a comment", "workwell")
    sheet.merge_cells("A4:C4")  # cells after the first become merged cells
    sheet["A4"].border = Border(top=Side(style="thin"))
    sheet.cell(6, 2, "after")  # a new row, past the kept ones
    sheet.row_dimensions[5].height = 30
    return book


def test_kept_cells_are_written_as_the_cells_openpyxl_would_have_made(tmp_path):
    ours, theirs, their_save = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx", tmp_path / "o.xlsx"
    save(_kept_book(kept=True), ours)
    _kept_book(kept=False).save(theirs)
    _kept_book(kept=True).save(their_save)  # openpyxl's own save makes every kept cell
    assert _sheets(ours) == _sheets(theirs) == _sheets(their_save)
    sheet = load_workbook(ours).active
    assert sheet["C2"].font.i and not sheet["C2"].font.b
    assert sheet["E2"].font.b and not sheet["E2"].font.i  # the style it shared is unchanged
    assert sheet["B2"].comment.text == "a comment"


def test_a_kept_cell_is_made_once_and_kept_no_more():
    sheet = Workbook().active
    cells = kept_cells(sheet)
    cells.keep((1, 1), ("W", "s", None))
    assert kept_cells(sheet) is cells and type(dict.get(cells, (1, 1))) is tuple
    cell = sheet.cell(1, 1)
    assert cell.value == "W" and cell.data_type == "s" and cells[1, 1] is cell
    assert (sheet.max_row, sheet.max_column) == (1, 1)


def test_openpyxls_own_moves_and_copies_see_kept_cells_as_cells():
    book = Workbook()
    sheet = book.active
    for column, value in enumerate(["W", 7, None], start=1):
        kept_cells(sheet).keep((1, column), (value, "s" if type(value) is str else "n", None))
    sheet._current_row = 1
    copy = book.copy_worksheet(sheet)
    sheet.insert_rows(1)  # moves every cell down a row, through pop
    assert [c.value for c in sheet[2]] == [c.value for c in copy[1]] == ["W", 7, None]
    assert sheet["A1"].value is None and sheet.max_row == 2


@pytest.mark.parametrize("on", [True, False])
def test_the_collector_is_as_it_was_after_a_build_even_one_that_fails(on):
    was_on = gc.isenabled()
    (gc.enable if on else gc.disable)()
    try:
        with pytest.raises(ZeroDivisionError), collector_paused():
            assert not gc.isenabled()
            _ = 1 / 0
        assert gc.isenabled() is on
    finally:
        (gc.enable if was_on else gc.disable)()
