"""The house style of a sheet we write: text kept as text, bold wrapped headings, columns
wide enough for what they hold, panes frozen, a filter, and A4 landscape printing with the
headings on every page."""

from __future__ import annotations

import datetime as dt
import math

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

DATE_FORMAT = "ddd d mmm yyyy"  # 'Mon 17 May 2027'
DATE_WIDTH = 17  # room for DATE_FORMAT in Calibri 11, with a margin
BOLD = Font(bold=True)
HEADING = Alignment(wrap_text=True, vertical="top")
CHOOSE = "Choose one of: {options}"  # a drop-down's message for a value not in its list


def drop_down(sheet, cells: str, options, error: str | None = CHOOSE) -> None:
    """A drop-down of ``options`` in ``cells`` (an empty cell allowed); anything else typed
    is refused, with ``error`` (its ``{options}`` filled in) as the message, or Excel's own."""
    listed = ",".join(options)
    validation = DataValidation(
        type="list",
        formula1=f'"{listed}"',
        allow_blank=True,
        showErrorMessage=True,
        error=error.format(options=listed) if error else None,
    )
    sheet.add_data_validation(validation)
    validation.add(cells)


def put_text(cell, value: object) -> None:
    """Put a value in a cell; a string is stored as text, never run as a formula."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def put_date(cell, day: dt.date) -> None:
    """A real date (sortable, filterable) shown as 'Mon 17 May 2027'; widen its column."""
    cell.value = day
    cell.number_format = DATE_FORMAT
    cell.alignment = Alignment(horizontal="left", vertical="top")
    widen(cell.parent, cell.column, DATE_WIDTH)


def header_row(sheet, row: int, headings: list[str]) -> None:
    """Bold, wrapped headings along ``row``."""
    for column, heading in enumerate(headings, start=1):
        cell = sheet.cell(row, column)
        put_text(cell, heading)
        cell.font = BOLD
        cell.alignment = HEADING


def table_finish(sheet, header: int = 1, filter_rows: bool = True) -> None:
    """Freeze the panes below ``header``, filter its columns, repeat it on every page."""
    sheet.freeze_panes = sheet.cell(header + 1, 1)
    if filter_rows and sheet.max_column:
        last = max(sheet.max_row, header + 1)
        sheet.auto_filter.ref = f"A{header}:{get_column_letter(sheet.max_column)}{last}"
    print_layout(sheet, f"{header}:{header}")


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
