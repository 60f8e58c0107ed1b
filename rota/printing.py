"""How every sheet we write prints: A4 landscape, fit to the page width, headings repeated
on each page, page numbers; and column widths that leave room for what they hold."""

from __future__ import annotations

import datetime as dt
import math

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

DATE_FORMAT = "ddd d mmm yyyy"  # 'Mon 17 May 2027'
DATE_WIDTH = 17  # room for DATE_FORMAT in Calibri 11, with a margin
TEAM_WIDTH_MOST = 50  # a Team column as wide as its longest name, up to this


def print_layout(sheet, title_rows: str | None = None, title_cols: str | None = None) -> None:
    """A4 landscape, fit to width (as many pages down as needed), headings on every page."""
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    if title_rows:
        sheet.print_title_rows = title_rows
    if title_cols:
        sheet.print_title_cols = title_cols
    sheet.oddFooter.center.text = "&A: page &P of &N"


def put_date(cell, day: dt.date) -> None:
    """A real date (sortable, filterable) shown as 'Mon 17 May 2027'; widen its column."""
    cell.value = day
    cell.number_format = DATE_FORMAT
    cell.alignment = Alignment(horizontal="left", vertical="top")
    widen(cell.parent, cell.column, DATE_WIDTH)


def widen(sheet, column: int, width: float) -> None:
    """Make a column at least ``width`` characters wide."""
    dimension = sheet.column_dimensions[get_column_letter(column)]
    if (dimension.width or 0) < width:
        dimension.width = width


def fit_text_columns(sheet, first_row: int, columns: range, most: float = 60) -> None:
    """Widen each column to its longest single-line text (up to ``most``), from ``first_row``."""
    for column in columns:
        longest = max(
            (
                len(str(cell.value))
                for (cell,) in sheet.iter_rows(min_row=first_row, min_col=column, max_col=column)
                if isinstance(cell.value, str) and "\n" not in cell.value
            ),
            default=0,
        )
        widen(sheet, column, min(longest + 2, most))


def fit_row_heights(sheet, first_row: int, line_height: float = 15) -> None:
    """Set each row from ``first_row`` tall enough for its wrapped text: neither Excel nor
    LibreOffice grows a row that was written without a height, so lines would overlap."""
    for row in sheet.iter_rows(min_row=first_row):
        lines = max((_wrapped_lines(cell) for cell in row), default=1)
        sheet.row_dimensions[row[0].row].height = line_height * lines


def _wrapped_lines(cell) -> int:
    if not isinstance(cell.value, str) or not (cell.alignment and cell.alignment.wrap_text):
        return 1
    width = sheet_width(cell.parent, cell.column)
    return sum(math.ceil(max(len(part), 1) / (width * 1.1)) for part in cell.value.split("\n"))


def sheet_width(sheet, column: int) -> float:
    """A column's width in characters (Excel's default where none was set)."""
    return sheet.column_dimensions[get_column_letter(column)].width or 8.43
