"""Open a manager's workbook, or say in one line what the file is instead.

A file is recognised by its first bytes, not its name: an .xls, a password-protected
workbook, a CSV or a zip renamed .xlsx each get their own message and what to do.
Formulas whose values were never saved, and merged cells, are found here too: read as
they are, both would quietly look like empty cells. ``load_values`` reads only the sheets
a reader names, values alone, for a large rota whose other sheets it never looks at.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import ParseError, XMLParser

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from common.errors import InputError

try:  # openpyxl parses with lxml when it is installed (python-docx brings it)
    from lxml.etree import XMLSyntaxError
except ImportError:  # pragma: no cover - without lxml, openpyxl uses the standard library
    XMLSyntaxError = ParseError
NOT_WELL_FORMED = (ParseError, XMLSyntaxError)
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old Office files and encrypted ones
SAVE_AS_XLSX = "open it in Excel and save it as 'Excel Workbook (*.xlsx)'"
OPENPYXL_UNREADABLE = "Unable to read workbook"  # how openpyxl starts a damaged-part error


class UnreadableFile(InputError):
    """A file that is not a readable .xlsx workbook; the message says what it is."""


def workbook_bytes(path: Path) -> bytes:
    """The bytes of an .xlsx workbook at ``path``; raise UnreadableFile saying why not."""
    if not path.exists():
        raise UnreadableFile(f"{path}: no such file")
    if path.is_dir():
        raise UnreadableFile(f"{path}: is a folder, not a workbook; give the .xlsx file in it")
    if path.name.startswith("~$"):
        raise UnreadableFile(
            f"{path.name}: Excel's lock file, left while the workbook is open; "
            f"give {path.name[2:]} itself"
        )
    try:
        data = path.read_bytes()
    except PermissionError:
        raise UnreadableFile(
            f"{path}: cannot be read (permission denied; is it open in Excel?)"
        ) from None
    what = what_else(data)
    if what:
        raise UnreadableFile(f"{path.name}: {what}")
    return data


def what_else(data: bytes) -> str | None:
    """None for an .xlsx workbook, else what the file is and what to do, in a few words."""
    if not data:
        return "the file is empty (0 bytes); save the workbook again from Excel"
    if data.startswith(OLE_SIGNATURE):
        return _old_office_file(data)
    if data.startswith(b"PK"):
        return _zip_file(data)
    head = data[:4096].lstrip(b"\xef\xbb\xbf\xff\xfe").lower()
    if head.lstrip().startswith((b"<!doctype html", b"<html", b"<?xml")):
        return f"a web page or XML file, not an Excel workbook; {SAVE_AS_XLSX}"
    if _looks_like_text(head):
        return f"a text (CSV) file, not an Excel workbook; {SAVE_AS_XLSX}"
    return f"not an Excel .xlsx workbook; {SAVE_AS_XLSX}"


def _old_office_file(data: bytes) -> str:
    """An OLE compound file: encrypted .xlsx (EncryptedPackage stream) or a .xls."""
    if "EncryptedPackage".encode("utf-16-le") in data:
        return (
            "the workbook is password-protected (encrypted), so it cannot be read; "
            "remove the password in Excel (File > Info > Protect Workbook) and save it"
        )
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return f"an old Excel 97-2003 (.xls) workbook; {SAVE_AS_XLSX}"
    return f"an old-format Office file, not an Excel .xlsx workbook; {SAVE_AS_XLSX}"


def _zip_file(data: bytes) -> str | None:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile:
        return f"a damaged or incomplete file, not a readable workbook; {SAVE_AS_XLSX}"
    if {"[Content_Types].xml", "xl/workbook.xml"} <= names:
        return None
    if "mimetype" in names and b"opendocument.spreadsheet" in data[:200]:
        return f"an OpenDocument (.ods) spreadsheet; {SAVE_AS_XLSX}"
    if "word/document.xml" in names:
        return "a Word document, not an Excel workbook"
    return "a zip archive, not an Excel workbook"


def _looks_like_text(head: bytes) -> bool:
    if head.count(b"\x00") > len(head) // 4:  # UTF-16 text: every other byte is zero
        head = head.replace(b"\x00", b"")
    printable = sum(32 <= b < 127 or b in b"\t\r\n" or b >= 128 for b in head)
    return printable >= 0.95 * len(head)


def load(path: Path, data: bytes, formulas: bool = False):
    """Load an .xlsx already recognised by ``workbook_bytes``: values, or formulas."""
    return _opened(path, data, lambda: load_workbook(io.BytesIO(data), data_only=not formulas))


def load_values(path: Path, data: bytes, chosen: Callable[[list[str]], list[str]]) -> BookValues:
    """The values of only the sheets ``chosen`` picks from the workbook's worksheet names
    (a chart sheet holds no cells), in that order: read in openpyxl's read-only mode,
    which parses no other sheet, for a reader that needs values alone (no merged cells,
    comments or styles)."""

    def read() -> BookValues:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheets = []
            worksheets = [sheet.title for sheet in book.worksheets]  # no chart sheets
            for name in chosen(worksheets):
                sheet = book[name]
                sheet.reset_dimensions()  # some programs save a wrong size: read every row
                sheets.append(SheetValues(name, _rows(sheet)))
            return BookValues(sheets, book.properties)
        finally:
            book.close()

    return _opened(path, data, read)


def _rows(sheet) -> list[tuple]:
    """A read-only sheet's rows of values. openpyxl parses it only now, so a cell it cannot
    make sense of raises here the ValueError that a full load raises as unreadable."""
    try:
        return list(sheet.iter_rows(values_only=True))
    except ValueError as error:
        raise ValueError(f"{OPENPYXL_UNREADABLE}: sheet {sheet.title!r}: {error}") from error


def _opened(path: Path, data: bytes, read: Callable):
    """``read()``, or UnreadableFile naming the damaged part when openpyxl cannot."""
    try:
        return read()
    except (InvalidFileException, zipfile.BadZipFile, KeyError, zlib.error, EOFError):
        pass
    except NOT_WELL_FORMED:  # a part that is not XML
        pass
    except ValueError as error:  # openpyxl's own word for a part it could not make sense of
        if not str(error).startswith(OPENPYXL_UNREADABLE):
            raise
    part = damaged_part(data)
    where = f" (its part {part} is damaged)" if part else ""
    raise UnreadableFile(
        f"{path.name}: the workbook is damaged and cannot be read{where}; {SAVE_AS_XLSX}"
    )


@dataclass(frozen=True)
class CellValue:
    """One cell's value and place, as ``SheetValues`` gives it."""

    row: int
    column: int
    value: object

    @property
    def column_letter(self) -> str:
        return get_column_letter(self.column)


class SheetValues:
    """A sheet's values, read once: the part of openpyxl's Worksheet that value readers
    use (``title``, ``max_row``, ``max_column``, ``cell``, ``sheet[row]``, ``iter_rows``)."""

    def __init__(self, title: str, rows: list[tuple]):
        self.title = title
        self._rows = rows
        self.max_row = max(len(rows), 1)
        self.max_column = max((len(row) for row in rows), default=1) or 1

    def cell(self, row: int, column: int) -> CellValue:
        values = self._rows[row - 1] if 1 <= row <= len(self._rows) else ()
        return CellValue(row, column, values[column - 1] if column <= len(values) else None)

    def __getitem__(self, row: int) -> tuple[CellValue, ...]:
        return tuple(self.cell(row, column) for column in range(1, self.max_column + 1))

    def iter_rows(self) -> Iterator[tuple[CellValue, ...]]:
        return (self[row] for row in range(1, self.max_row + 1))


class BookValues:
    """The sheets ``load_values`` read, by name and in order, and the file's properties."""

    def __init__(self, sheets: list[SheetValues], properties):
        self.worksheets = sheets
        self.sheetnames = [sheet.title for sheet in sheets]
        self.properties = properties

    def __getitem__(self, name: str) -> SheetValues:
        return self.worksheets[self.sheetnames.index(name)]


def damaged_part(data: bytes) -> str | None:
    """The first part of the workbook's zip that is corrupt or not well-formed XML."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                if not name.endswith((".xml", ".rels")):
                    continue
                try:
                    parser = XMLParser()
                    parser.feed(archive.read(name))
                    parser.close()
                except (ParseError, zipfile.BadZipFile, zlib.error, EOFError):
                    return name
    except zipfile.BadZipFile:
        return None
    return None


def unsaved_formulas(formula_sheet, value_sheet) -> list[tuple[int, int, str]]:
    """(row, column, formula) of each formula cell with no saved value: programs that
    write formulas save no result, and the value would read as an empty cell."""
    found = []
    for row in formula_sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f" and value_sheet.cell(cell.row, cell.column).value is None:
                found.append((cell.row, cell.column, str(cell.value)))
    return found


def merged_ranges(sheet, columns: set[int], first_row: int) -> list:
    """Merged ranges that reach into ``columns`` at or below ``first_row``: only the
    first cell of a merged range holds a value, so the others would read as empty."""
    return [
        r
        for r in sheet.merged_cells.ranges
        if r.max_row >= first_row and any(r.min_col <= c <= r.max_col for c in columns)
    ]
