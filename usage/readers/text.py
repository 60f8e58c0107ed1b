"""Read a delimited text export as Excel and vendors write them.

Encodings: UTF-8 with or without a byte-order mark, UTF-16 with a BOM (Excel's
"Unicode text"), else Windows-1252. Delimiters: comma, semicolon or tab, taken
from the header line. A semicolon file uses the decimal comma. An empty file,
a row with more or fewer cells than the header, and a broken quote are
refused, each with its file and line.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from usage.model import IngestRejected, Problem
from usage.readers.tables import Grid

DELIMITERS = (",", ";", "\t")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
MAX_LISTED = 50


def read_text_grid(path: Path) -> Grid:
    """Decode, sniff the delimiter, check every row's width, then tokenise."""
    text = decode(path.name, path.read_bytes())
    if not re.search(r"\S", text):
        problem = Problem(path.name, 1, "", "an empty file", "a header row and data rows")
        raise IngestRejected(path.name, [problem])
    delimiter = sniff_delimiter(text)
    if '"' in text:
        rows, lines = _quoted_rows(path.name, text, delimiter)
        cells = pd.DataFrame(rows, dtype=object).fillna("").astype(str)
    else:
        body, lines = _check_widths(path.name, text, delimiter)
        del text
        cells = pd.read_csv(
            io.BytesIO(body),
            encoding="utf-8",
            sep=delimiter,
            header=None,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            quoting=csv.QUOTE_NONE,
            engine="c",
        )
        cells.columns = range(cells.shape[1])
    return Grid(path.name, cells, lines, None, decimal_comma=delimiter == ";")


def decode(file: str, data: bytes) -> str:
    """Text of a file by its byte-order mark, else UTF-8, else Windows-1252 (strict)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8")
    if b"\x00" in data[:4096] or data[:2] == b"PK":
        found = "binary content (a workbook renamed, or UTF-16 without a byte-order mark)"
        raise IngestRejected(file, [Problem(file, 0, "", found, "a text CSV file")])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        found = f"byte 0x{data[error.start]:02x}, which is neither UTF-8 nor Windows-1252"
        raise IngestRejected(file, [Problem(file, line, "", found, "a UTF-8 file")]) from None


def sniff_delimiter(text: str) -> str:
    """The delimiter used most in the first non-blank line (comma when none is)."""
    header = next(line for line in text[:65536].splitlines() if line.strip())
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _check_widths(file: str, text: str, delimiter: str) -> tuple[bytes, np.ndarray]:
    """The non-blank lines of an unquoted file and their numbers; ragged lines refused.

    Counted with numpy over the bytes: a million-line log takes a few milliseconds.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    encoded = text.encode("utf-8")
    data = np.frombuffer(encoded, dtype=np.uint8)
    newlines = np.flatnonzero(data == ord("\n"))
    starts = np.concatenate(([0], newlines + 1))
    ends = np.concatenate((newlines, [len(data)]))
    delimiters = np.flatnonzero(data == ord(delimiter))
    widths = np.searchsorted(delimiters, ends) - np.searchsorted(delimiters, starts) + 1
    blank = ends == starts
    maybe = np.flatnonzero((widths == 1) & ~blank)  # no delimiter: blank if only spaces
    if len(maybe):
        blank[maybe] = [not data[starts[i] : ends[i]].tobytes().strip() for i in maybe]
    numbers = np.flatnonzero(~blank) + 1
    widths = widths[~blank]
    ragged = np.flatnonzero(widths != widths[0])
    if len(ragged):
        problems = _ragged(file, numbers[ragged], widths[ragged], widths[0], delimiter)
        raise IngestRejected(file, problems)
    if blank[:-1].any():  # blank lines inside the file: drop them so rows match their numbers
        lines = text.split("\n")
        return "\n".join(lines[n - 1] for n in numbers).encode("utf-8"), numbers
    return encoded, numbers


def _quoted_rows(file: str, text: str, delimiter: str) -> tuple[list[list[str]], np.ndarray]:
    """Rows and their first physical line, via the csv module (cells may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows, starts, ragged = [], [], []
    previous_end = 0
    try:
        for row in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if rows and len(row) != len(rows[0]):
                ragged.append((start, len(row)))
            rows.append(row)
            starts.append(start)
    except csv.Error as error:
        found = f"a broken quote or cell ({error})"
        expected = 'cells quoted properly (a quote inside a quoted cell is written "")'
        raise IngestRejected(file, [Problem(file, previous_end + 1, "", found, expected)]) from None
    if ragged:
        lines, widths = zip(*ragged, strict=True)
        raise IngestRejected(file, _ragged(file, lines, widths, len(rows[0]), delimiter))
    return rows, np.array(starts, dtype=np.int64)


def _ragged(file: str, lines, widths, header_width: int, delimiter: str) -> list[Problem]:
    name = DELIMITER_NAMES[delimiter]
    problems = [
        Problem(
            file,
            int(line),
            "",
            f"a row of {int(width)} cells ({name}-separated)",
            f"{header_width} cells, as in the header row (a stray {name}, or a cell missing?)",
        )
        for line, width in list(zip(lines, widths, strict=True))[:MAX_LISTED]
    ]
    if len(lines) > MAX_LISTED:
        extra = len(lines) - MAX_LISTED
        problems.append(Problem(file, 0, "", f"{extra} more ragged rows", "every row as wide"))
    return problems
