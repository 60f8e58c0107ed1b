"""Write the report's sheets to one workbook a researcher can print or paste from.

Every sheet has a title row, a bold header row repeated on each printed page,
number formats (percentages 0-100 shown with a % sign, dates with the year,
money in pounds), sensible widths and A4 landscape fit-to-width. An empty
table says why in words. A Notes sheet defines every column.

Team names, roles and free text come from input files; a value such as
``=HYPERLINK(...)`` must never become a live formula, so every string cell is
forced to the string type, and any that looks like a formula is also marked with
Excel's quote prefix so editing the cell cannot turn it into one.

A column's cells are put in one step each (:func:`put_column`): the first of each kind of
value goes through openpyxl's checks and styling, the rest are kept as it made that one
(:func:`common.xlsx_save.kept_cells`), with no openpyxl ``Cell`` of their own. The workbook
is saved by :func:`common.xlsx_save.save`, each sheet's cells as one block of XML.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter

from common.sheets import BOLD, HEADING, print_layout, put_text
from common.xlsx_save import LONGEST_TEXT, kept_cells, save
from usage.metrics.build import UsageReport
from usage.report.sheets import Sheet, column_note, report_sheets
from usage.safety import is_formula_like

PERCENT = '0.0"%"'
MONEY = '"£"#,##0.00'
DATE = "dd mmm yyyy"
MONEY_COLUMNS = {"licence_cost", "total_cost", "cost_per_active_user", "idle_cost"}
HEADER_ROW = 2
TITLE = Font(bold=True, size=13)  # one style object for every title


def write_workbook(report: UsageReport, path: Path) -> Path:
    """Write every sheet, then the Notes sheet, to ``path``."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheets = report_sheets(report)
    for sheet in sheets:
        write_sheet(workbook.create_sheet(sheet.name), sheet)
    write_notes(workbook.create_sheet("Notes"), sheets, report)
    save(workbook, path)
    return path


def write_sheet(worksheet, sheet: Sheet) -> None:
    """Title, header and rows; or title and the reason the table is empty."""
    title = worksheet.cell(row=1, column=1)
    set_value(title, sheet.title)
    title.font = TITLE
    table = sheet.table
    if table.empty:
        set_value(worksheet.cell(row=HEADER_ROW, column=1), sheet.empty)
        worksheet.column_dimensions["A"].width = 100
        print_setup(worksheet)
        return
    for col, name in enumerate(table.columns, start=1):
        cell = worksheet.cell(row=HEADER_ROW, column=col)
        set_value(cell, str(name))
        cell.font = BOLD
        cell.alignment = HEADING
        values = table[name].tolist()  # as iterating the column gives them, far quicker
        put_column(worksheet, col, values, number_format(str(name), values))
        worksheet.column_dimensions[get_column_letter(col)].width = column_width(name, values)
    worksheet.freeze_panes = worksheet.cell(row=HEADER_ROW + 1, column=1)
    print_setup(worksheet)


def put_column(worksheet, col: int, values: list, fmt: str | None) -> None:
    """Each of ``values`` down column ``col`` from below the header, as :func:`set_value`
    then (for a value that is not text) ``fmt`` would put it.

    Only a value whose type alone decides what openpyxl makes of it (see :func:`_plain`)
    is kept as the first cell of its type was made: written, it is the same cell. Anything
    else goes through openpyxl each time.
    """
    cells, made = kept_cells(worksheet), {}
    row = HEADER_ROW
    for row, value in enumerate(values, start=HEADER_ROW + 1):
        kind = type(value)
        plain = _plain(value, kind)
        if plain and kind in made and (row, col) not in cells:
            data_type, style = made[kind]
            cells.keep((row, col), (value, data_type, style))  # no Cell made: see xlsx_save
            continue
        data = worksheet.cell(row=row, column=col)
        set_value(data, value)
        if fmt and not isinstance(value, str):
            data.number_format = fmt
        if plain:
            made[kind] = (data.data_type, data._style and StyleArray(data._style))
    worksheet._current_row = max(worksheet._current_row, row)


def _plain(value: object, kind: type) -> bool:
    """A value openpyxl stores as it is, its cell's type and style decided by its type
    alone: a number (not NaN), a date, or short printable text that cannot read as a
    formula (nothing for openpyxl's checks to find, no quote prefix)."""
    if kind is float:
        return value == value
    if kind is int or kind is date or kind is datetime:
        return True
    return (
        kind is str
        and value.isprintable()
        and len(value) <= LONGEST_TEXT
        and not is_formula_like(value)
    )


def number_format(name: str, values: list) -> str | None:
    """The display format of a column, from its name and values."""
    if name in MONEY_COLUMNS:
        return MONEY
    if "percent" in name or name in ("ci_low", "ci_high") or name.startswith("week "):
        return PERCENT
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    if any(isinstance(v, date | datetime) for v in values):
        return DATE
    if not numbers:
        return None
    if name.startswith("gini"):
        return "0.00"
    finite = [v for v in numbers if not (isinstance(v, float) and math.isnan(v))]
    return "0" if all(float(v).is_integer() for v in finite) else "0.0"


def column_width(name: object, values: list) -> float:
    """Wide enough for the header (wrapped) and the longest value, within 9-60 characters."""
    longest = max((len(str(v)) for v in values[:500] if v is not None), default=0)
    header = max(len(word) for word in str(name).split()) if str(name).strip() else 0
    return float(min(60, max(9, longest + 2, header + 2)))


def print_setup(worksheet) -> None:
    """The house print layout (A4 landscape, one page wide), the title and header rows on
    every page, and grid lines (these tables have no borders)."""
    print_layout(worksheet, f"1:{HEADER_ROW}")
    worksheet.print_options.gridLines = True


def write_notes(worksheet, sheets: list[Sheet], report: UsageReport) -> None:
    """How to read the workbook, then one row per sheet and column with its definition."""
    options = report.options
    general = [
        "Percentages run 0-100 everywhere and are shown with a % sign.",
        f"Groups (authority, team, role, team x role, licence cohort) with fewer than "
        f"{options.min_group} people are suppressed; on per-person sheets small teams and "
        "roles read 'other'.",
        "Counts inside a group large enough to show are shown"
        + (
            f"; with --suppress-cells, counts of people from 1 to {options.min_group - 1} read "
            f"'<{options.min_group}', counts that would give one away read '[c]', and "
            "both are left blank in number columns."
            if options.suppress_cells
            else " (run with --suppress-cells to hide small counts for publication)."
        ),
        "'no log data': the person's authority sent no usage logs (survey only); not zero use.",
        "'not in the vendor's export': the vendor's file does not give this figure.",
        "95% intervals are Wilson score intervals (as statsmodels' proportion_confint gives).",
        f"Period {report.period.start:%d %b %Y} to {report.period.end:%d %b %Y}; "
        "licence decisions are judged on the last day.",
        *report.left_out_text(),
    ]
    rows = [[line] for line in general] + [[], ["sheet", "column", "definition"]]
    for sheet in sheets:
        for column in sheet.table.columns:
            rows.append([sheet.name, str(column), column_note(str(column))])
    set_value(worksheet.cell(row=1, column=1), "How to read this workbook")
    worksheet.cell(row=1, column=1).font = TITLE
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            set_value(worksheet.cell(row=r, column=c), value)
            if values == ["sheet", "column", "definition"]:
                worksheet.cell(row=r, column=c).font = BOLD
    for letter, width in zip("ABC", (22, 28, 90), strict=True):
        worksheet.column_dimensions[letter].width = width
    print_setup(worksheet)
    header = 2 + len(general) + 1
    worksheet.print_title_rows = f"{header}:{header}"


def set_value(cell, value: object) -> None:
    """Store a value; strings are forced to text so none can run as a formula."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return
    if value is pd.NaT:
        return
    if hasattr(value, "item"):
        value = value.item()
    put_text(cell, value)
    if isinstance(value, str) and is_formula_like(value):
        cell.quotePrefix = True
