"""Read a CSV or XLSX file into a grid of text, remembering where each row came from.

Every later problem report names the physical CSV line (allowing for quoted
cells that span lines) or the sheet and row of a workbook, so the grid keeps
a line number for every row it holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from usage.model import IngestRejected, Problem

CSV_SUFFIXES = {".csv", ".tsv", ".txt"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}


@dataclass
class Grid:
    """All cells of one sheet as text ('' when empty), with the line/row of each row."""

    file: str
    cells: pd.DataFrame
    lines: np.ndarray
    sheet: str | None = None
    decimal_comma: bool = False

    def __post_init__(self) -> None:
        if len(self.cells) != len(self.lines):
            raise ValueError(f"Grid has {len(self.cells)} rows but {len(self.lines)} line numbers")

    def row(self, i: int) -> list[str]:
        return [str(v) for v in self.cells.iloc[i].tolist()] if i < len(self.cells) else []

    def table(self, header_rows: int = 1) -> Table:
        """Use the first row as column names and skip ``header_rows`` rows in all."""
        header = _unique(self.row(0))
        body = self.cells.iloc[header_rows:].reset_index(drop=True)
        body.columns = header
        lines = self.lines[header_rows:]
        keep = np.ones(len(body), dtype=bool)
        if body.shape[1]:  # a row is kept unless every cell is empty (first cell checked first)
            maybe = np.flatnonzero((body.iloc[:, 0] == "").to_numpy())
            keep[maybe] = (body.iloc[maybe] != "").any(axis=1).to_numpy()
        if not keep.all():
            body = body[keep].reset_index(drop=True)
        return Table(self.file, body, lines[keep], self.sheet, self.decimal_comma)


@dataclass
class Table:
    """Data rows under named columns; ``lines`` locates each row in the file."""

    file: str
    frame: pd.DataFrame
    lines: np.ndarray
    sheet: str | None = None
    decimal_comma: bool = False

    @property
    def headers(self) -> list[str]:
        return [str(c) for c in self.frame.columns]

    def problems(self, error: pd.Series, column: str, found: pd.Series | None = None) -> list:
        """One :class:`Problem` per row whose ``error`` (the expectation) is set."""
        bad = error.notna().to_numpy()
        if not bad.any():
            return []
        if found is not None:
            shown = found
        elif column in self.frame.columns:
            shown = self.frame[column]
        else:  # the problem is a missing value with no column of its own
            shown = pd.Series("", index=self.frame.index)
        return [
            Problem(self.file, int(line), column, _quote(value), str(expected), self.sheet)
            for line, value, expected in zip(self.lines[bad], shown[bad], error[bad], strict=True)
        ]

    def file_problem(self, column: str, found: str, expected: str) -> Problem:
        return Problem(self.file, 0, column, found, expected, self.sheet)


def _quote(value: object) -> str:
    text = str(value)
    return repr(text) if text else "an empty cell"


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        name = name.strip() or "(blank)"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def read_xlsx_grid(path: Path) -> Grid:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError) as error:
        problem = Problem(path.name, 0, "", f"an unreadable workbook ({error})", "an .xlsx file")
        raise IngestRejected(path.name, [problem]) from error
    sheet = workbook.worksheets[0]
    rows = [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    width = max((len(r) for r in rows), default=0)
    cells = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
    return Grid(path.name, cells.astype(str), np.arange(1, len(rows) + 1), sheet.title)


def cell_text(value: object) -> str:
    """A workbook cell as the text a CSV export would have held."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        total = int(round(value.total_seconds()))
        return f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
