"""Refuse an uploaded file that is not a plain, modest .xlsx workbook, before openpyxl sees it.

An .xlsx file is a zip of XML parts. Its zip directory says how big each part unpacks
to, so a zip bomb is refused without unpacking it; a sheet that claims more rows or
columns than a team rota could need, links to other workbooks, macros and XML entity
declarations (the "billion laughs") are refused too. Every problem is said in words.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from xml.etree.ElementTree import ParseError, iterparse

from common.errors import InputError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 40 * 1024 * 1024  # all parts together, unpacked
MAX_PART_BYTES = 20 * 1024 * 1024
MAX_RATIO = 200  # unpacked / packed size of one part; XML packs about 10-30 times
MAX_PARTS = 500
MAX_ROWS = 20_000
MAX_COLUMNS = 2_000
DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


class UploadError(InputError):
    """An upload refused before reading; ``problems`` says why, in words."""

    def __init__(self, problems: list[str]):
        super().__init__(problems)


@dataclass(frozen=True)
class Upload:
    """An accepted upload: a safe file name and its bytes."""

    name: str
    data: bytes


def safe_name(filename: str | None, default: str = "workbook.xlsx") -> str:
    """The file's own name without folders, with anything unusual made '_'."""
    name = PurePath((filename or "").replace("\\", "/")).name
    name = re.sub(r"[^A-Za-z0-9 ._()-]", "_", name).strip(" .")
    return name[:100] or default


def accept_workbook(filename: str | None, data: bytes, what: str = "the workbook") -> Upload:
    """Return the upload if it is a safe .xlsx workbook; raise UploadError otherwise."""
    name = safe_name(filename)
    if not data:
        raise UploadError([f"{name}: the file is empty; choose {what} again"])
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError([f"{name}: {_megabytes(len(data))}; the limit is 10 MB"])
    _check_type(name, data)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UploadError([f"{name}: not an Excel .xlsx workbook (the file is damaged)"]) from None
    with archive:
        problems = _zip_problems(name, archive)
        if not problems:
            problems = _content_problems(name, archive)
    if problems:
        raise UploadError(problems)
    return Upload(name, data)


def _check_type(name: str, data: bytes) -> None:
    suffix = PurePath(name).suffix.lower()
    if data.startswith(b"\xd0\xcf\x11\xe0") or suffix == ".xls":
        raise UploadError(
            [f"{name}: an old-style Excel .xls file; open it in Excel and save it as .xlsx"]
        )
    if suffix in (".xlsm", ".xlsb"):
        raise UploadError([f"{name}: a {suffix} workbook; save it as a plain .xlsx workbook"])
    if suffix in (".csv", ".txt", ".tsv"):
        raise UploadError(
            [f"{name}: a {suffix} text file; upload the Excel workbook (.xlsx) itself"]
        )
    if not data.startswith(b"PK\x03\x04"):
        raise UploadError([f"{name}: not an Excel .xlsx workbook; choose a file ending .xlsx"])
    if suffix != ".xlsx":
        raise UploadError([f"{name}: the name should end .xlsx; rename it or save it as .xlsx"])


def _zip_problems(name: str, archive: zipfile.ZipFile) -> list[str]:
    parts = archive.infolist()
    names = {p.filename for p in parts}
    if len(parts) > MAX_PARTS:
        return [f"{name}: {len(parts)} parts inside; a workbook has far fewer, so it is refused"]
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        return [f"{name}: not an Excel .xlsx workbook (no workbook inside the file)"]
    problems = []
    unpacked = sum(p.file_size for p in parts)
    if unpacked > MAX_UNPACKED_BYTES:
        problems.append(
            f"{name}: unpacks to {_megabytes(unpacked)}, more than the "
            f"{_megabytes(MAX_UNPACKED_BYTES)} allowed; it may be a zip bomb"
        )
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > MAX_PART_BYTES or (part.file_size > 1_000_000 and ratio > MAX_RATIO):
            problems.append(
                f"{name}: the part {part.filename} unpacks to {_megabytes(part.file_size)} "
                f"from {_megabytes(part.compress_size)}; it may be a zip bomb"
            )
    if any(n.startswith("xl/externalLinks/") for n in names):
        problems.append(
            f"{name}: links to other workbooks (external links); in Excel use Data > Edit "
            "Links > Break Link, save, and upload again"
        )
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        problems.append(f"{name}: contains macros; save it as a plain .xlsx workbook")
    return problems


def _content_problems(name: str, archive: zipfile.ZipFile) -> list[str]:
    """Entity declarations in any XML part; sheets claiming too many rows or columns."""
    problems = []
    for part in archive.infolist():
        if not part.filename.endswith((".xml", ".rels", ".vml")):
            continue
        head = archive.open(part).read(4096)
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            problems.append(f"{name}: the part {part.filename} declares XML entities; refused")
            continue
        if part.filename.startswith("xl/worksheets/"):
            problems += _dimension_problems(name, part.filename, head)
        if not part.filename.endswith(".vml") and not _well_formed(archive, part):
            problems.append(
                f"{name}: the part {part.filename} is damaged (not well-formed XML); open the "
                "file in Excel, save it again, and upload the new copy"
            )
    return problems


def _well_formed(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> bool:
    """Parse the part as a stream, keeping nothing, so a damaged part is named here."""
    try:
        with archive.open(part) as stream:
            for _, element in iterparse(stream, events=("end",)):
                element.clear()
    except ParseError:
        return False
    return True


def _dimension_problems(name: str, part: str, head: bytes) -> list[str]:
    found = DIMENSION.search(head)
    if not found:
        return []
    rows = int(found.group(4) or found.group(2))
    columns = _column_number((found.group(3) or found.group(1)).decode())
    if rows > MAX_ROWS or columns > MAX_COLUMNS:
        return [
            f"{name}: a sheet ({part}) spans {rows:,} rows and {columns:,} columns; "
            f"a rota workbook needs at most {MAX_ROWS:,} rows and {MAX_COLUMNS:,} columns "
            "(delete the unused rows and columns, save, and upload again)"
        ]
    return []


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"
