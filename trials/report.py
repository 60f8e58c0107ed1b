"""Writers: an Excel workbook and a Markdown report of a :class:`Results`, both atomic and
readable by colleagues (the user's umask, not mkstemp's 0600)."""

from __future__ import annotations

import math
import os
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from common.files import write_atomically, write_text
from common.sheets import header_row, put_text, table_finish
from trials.analysis import Results
from trials.formatting import COUNTS, SHARES, UNBOUNDED, is_missing, is_p_column, is_unbounded
from trials.markdown import markdown_report
from trials.notes import column_note, family_statement, inference_statement, model_statement

P_FORMAT = '[<0.001]"< 0.001";0.000'
KEY_EFFECTS = ["label", "contrast", "n_arm", "mean_arm", "n_vs", "mean_vs", "estimate"]
KEY_EFFECTS += ["ci_low", "ci_high", "p", "p_holm", "p_bh", "p_ri", "p_wild", "ci_low_wild"]
KEY_EFFECTS += ["ci_high_wild", "hedges_g"]


def number_format(column: str) -> str:
    """Excel number format for a column, chosen by what the column holds."""
    if column in COUNTS:
        return "#,##0"
    if column in SHARES or column.startswith("differential_vs_"):
        return "0.0%"
    if is_p_column(column):
        return P_FORMAT
    if column.startswith("df"):
        return "0.0"
    return "0.000"


def _cell_value(value):
    """Missing values become empty cells; numpy scalars become Python numbers."""
    if is_missing(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if is_unbounded(value):
        return UNBOUNDED  # Excel has no infinity
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def _append(sheet, values: list) -> None:
    """Append a row in which text stays text: a string from the data that starts with '='
    is never a formula, nor '#N/A' an error value."""
    sheet.append(values)
    row = sheet.max_row
    for column, value in enumerate(values, start=1):
        put_text(sheet.cell(row, column), value)


def _write_table(sheet, table: pd.DataFrame) -> None:
    header_row(sheet, 1, [str(c) for c in table.columns])
    for row in table.itertuples(index=False):
        _append(sheet, [_cell_value(v) for v in row])
    for index, column in enumerate(table.columns, start=1):
        fmt = number_format(str(column))
        longest = len(str(column))
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if isinstance(cell.value, str):
                longest = max(longest, len(cell.value))
            elif isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                cell.number_format = fmt
                longest = max(longest, 10)
        width = min(max(longest + 2, 8), 60)  # set, not widened: a new column is 13 wide
        sheet.column_dimensions[get_column_letter(index)].width = width
        if pd.api.types.is_numeric_dtype(table[column]):
            sheet.cell(1, index).alignment = Alignment(horizontal="right", wrap_text=True)
    table_finish(sheet, header=1, filter_rows=False)


def about_table(results: Results) -> pd.DataFrame:
    spec = results.spec
    rows = [
        ("experiment", spec.title),
        ("design", spec.design),
        ("model", model_statement(results)),
        ("multiplicity", family_statement(results)),
        ("other inference", inference_statement(results) or "none"),
        (
            "blank cells",
            "not applicable (see Notes: e.g. no RI for within-participant "
            "contrasts, no differential on the overall row, no interval on average rows)",
        ),
    ]
    return pd.DataFrame(rows, columns=["item", "statement"])


def notes_table(results: Results) -> pd.DataFrame:
    """Every column of every sheet, with its meaning."""
    rows = []
    for name, table in sheets(results).items():
        for column in table.columns:
            rows.append((name, str(column), column_note(name, str(column), results.spec.arms)))
    return pd.DataFrame(rows, columns=["sheet", "column", "meaning"])


def sheets(results: Results) -> dict[str, pd.DataFrame]:
    """Sheet name -> table: the effects' key columns first (they print on one page), every
    other column of the effects on 'effects_detail', then the other tables."""
    effects = results.effects
    key = [c for c in KEY_EFFECTS if c in effects]
    detail = ["label", "contrast", *[c for c in effects.columns if c not in key]]
    out = {"effects": effects[key], "effects_detail": effects[detail]}
    out |= {name: table for name, table in results.tables.items() if name != "effects"}
    return out


def write_workbook(results: Results, path: Path) -> Path:
    """About, one sheet per table, and Notes defining every column."""

    def write(tmp: Path) -> None:
        book = Workbook()
        about = book.active
        about.title = "About"
        _write_table(about, about_table(results))
        about.column_dimensions["B"].width = 100
        for row in about.iter_rows(min_row=2, max_col=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        for (cell,) in about.iter_rows(min_row=2, min_col=2, max_col=2):
            about.row_dimensions[cell.row].height = 15 * math.ceil(len(str(cell.value)) / 95)
        for name, table in sheets(results).items():
            _write_table(book.create_sheet(name[:31]), table)
        _write_table(book.create_sheet("Notes"), notes_table(results))
        book.save(tmp)

    return write_atomically(path, write)


def write_markdown(results: Results, path: Path, figures=()) -> Path:
    """The Markdown report, figures embedded by their path relative to the report."""
    relative = [Path(os.path.relpath(f, Path(path).parent)).as_posix() for f in figures]
    text = markdown_report(results, relative)
    return write_text(path, text)
