"""Open a vendor's or survey tool's file as a grid of text, whatever its kind: CSV/TSV
(any encoding, see :mod:`usage.readers.text`) or a workbook (:mod:`usage.readers.tables`)."""

from __future__ import annotations

from pathlib import Path

from usage.model import IngestRejected, Problem
from usage.readers.tables import CSV_SUFFIXES, XLSX_SUFFIXES, Grid, read_xlsx_grid
from usage.readers.text import read_text_grid


def read_grid(path: Path) -> Grid:
    """Read ``path`` as CSV/TSV or XLSX; anything else is rejected with a clear problem."""
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return read_xlsx_grid(path)
    if suffix in CSV_SUFFIXES:
        return read_text_grid(path)
    found = f"a {suffix or 'suffix-less'} file"
    raise IngestRejected(
        path.name, [Problem(path.name, 0, "", found, "a .csv, .tsv, .txt or .xlsx file")]
    )
