"""Write the report's tables to one workbook, every untrusted string stored as text.

Team names, roles and free text come from input files; a value such as
``=HYPERLINK(...)`` must never become a live formula, so every string cell is
forced to the string type and marked with Excel's quote prefix.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from usage.report import UsageReport


def report_sheets(report: UsageReport) -> dict[str, pd.DataFrame]:
    """Sheet name -> table, in reading order."""
    survey = report.survey
    sheets = {
        "funnel": report.funnel,
        "minutes per person": report.distribution,
        "concentration": report.concentration,
        "licence review": report.review,
        "weekly active users": report.weekly,
        "people": report.people.drop(columns=["monitored"]),
        "survey frequency": survey.frequency,
        "survey intention": survey.intention,
        "survey hours saved": survey.hours,
        "frequency x intention": survey.crosstab.reset_index(),
        "survey vs logs": report.comparison,
    }
    if report.options.show_free_text:
        sheets["free text"] = survey.free_text
    return sheets


def write_workbook(report: UsageReport, path: Path) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, table in report_sheets(report).items():
        write_sheet(workbook.create_sheet(name[:31]), table)
    workbook.save(path)
    return path


def write_sheet(sheet, table: pd.DataFrame) -> None:
    """Header row in bold, then the rows; strings always as text, NaN as empty."""
    for col, name in enumerate(table.columns, start=1):
        cell = sheet.cell(row=1, column=col)
        set_value(cell, str(name))
        cell.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(col)].width = max(12, min(40, len(str(name)) + 2))
    for row, values in enumerate(table.itertuples(index=False, name=None), start=2):
        for col, value in enumerate(values, start=1):
            set_value(sheet.cell(row=row, column=col), value)
    sheet.freeze_panes = "A2"


def set_value(cell, value: object) -> None:
    """Store a value; strings are forced to text so none can run as a formula."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
        cell.quotePrefix = True
        return
    if hasattr(value, "item"):
        value = value.item()
    cell.value = value
