"""The bulk cell writer writes each sheet's cells as openpyxl's own writer does: the same
XML, attribute for attribute, and the same workbook read back."""

import datetime as dt
import zipfile

import pytest
from lxml import etree
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.xml import LXML

from common.xlsx_save import save

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
