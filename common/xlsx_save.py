"""Save an openpyxl workbook as openpyxl does, its cells serialised in bulk.

openpyxl writes each cell through lxml's incremental writer, element by element, which
costs more than everything else about a sheet of 60,000 cells. ``save`` writes the same
cells (the same attributes, values and style numbers, in the same order) as one block of
XML text per sheet, in place of the empty ``sheetData`` openpyxl's writer is given; it
writes the rest of the workbook as ever. A sheet holding anything this does not write the
way openpyxl would (a formula, an error, rich text, a hyperlink) is written by openpyxl.
"""

from __future__ import annotations

import datetime as dt
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl.cell.rich_text import CellRichText
from openpyxl.comments.comment_sheet import CommentRecord
from openpyxl.compat import safe_string
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel, to_ISO8601
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer import excel
from openpyxl.xml import LXML
from openpyxl.xml.functions import Element

EMPTY_SHEET_DATA = (b"<sheetData/>", b"<sheetData />")  # as lxml, and ElementTree, write it
PLAIN_TYPES = {"s", "n", "b", "d"}  # what _cell_xml writes as openpyxl's writer would
XML_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
ATTRIBUTE_ESCAPES = (
    *XML_ESCAPES,
    ("\r", "&#13;"),
    ('"', "&quot;"),
    ("\n", "&#10;"),
    ("\t", "&#9;"),
)
# text as openpyxl writes it: lxml (the usual) keeps a carriage return, ElementTree does not
TEXT_ESCAPES = (*XML_ESCAPES, ("\r", "&#13;")) if LXML else XML_ESCAPES


class _NotPlain(Exception):
    """A cell this module leaves to openpyxl."""


def save(book, path) -> None:
    """Write ``book`` to ``path`` as ``book.save(path)`` would."""
    with ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True) as archive:
        book.properties.modified = dt.datetime.now(tz=dt.UTC).replace(tzinfo=None)
        _Writer(book, archive).write_data()


class _Writer(excel.ExcelWriter):
    def write_worksheet(self, ws):
        """openpyxl's ``write_worksheet``, with the bulk sheet writer."""
        if self.workbook.write_only:
            return super().write_worksheet(ws)
        ws._drawing = excel.SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = _SheetWriter(ws)
        try:
            writer.write()
            ws._rels = writer._rels
            with open(writer.out, "rb") as written:
                xml = written.read()
            if writer.sheet_data is not None:  # in place of the empty one openpyxl wrote
                xml = _filled(xml, writer.sheet_data)
            self._archive.writestr(ws.path[1:], xml)
            self.manifest.append(ws)
        finally:
            writer.cleanup()  # its temporary file


class _SheetWriter(WorksheetWriter):
    sheet_data: bytes | None = None  # the sheet's cells, to put in place of EMPTY_SHEET_DATA

    def write_rows(self):
        """An empty ``sheetData`` to fill; openpyxl's own rows if a cell needs them."""
        try:
            xml, comments = _sheet_data(self.ws, self.rows())
        except _NotPlain:
            return super().write_rows()
        self.ws._comments.extend(comments)
        self.sheet_data = xml.encode()
        self.xf.send(Element("sheetData"))


def _filled(xml: bytes, sheet_data: bytes) -> bytes:
    """The sheet's XML with its cells in place of the empty ``sheetData`` (the first: the
    elements before it hold no text that could look like one)."""
    for empty in EMPTY_SHEET_DATA:
        before, found, after = xml.partition(empty)
        if found:
            return b"".join((before, sheet_data, after))
    raise AssertionError("openpyxl wrote no empty sheetData to fill")


def _sheet_data(ws, rows) -> tuple[str, list]:
    """The ``sheetData`` XML of ``rows`` (from ``WorksheetWriter.rows``), and the
    comments met on the way, as openpyxl's ``write_row`` collects them."""
    cells = _CellWriter(ws.parent)
    dimensions = ws.row_dimensions
    parts, comments = ["<sheetData>"], []
    for row_index, row in rows:
        attributes = {"r": f"{row_index}"}
        attributes.update(dimensions.get(row_index, {}))
        parts.append(f"<row{_attributes(attributes)}>")
        for cell in row:
            if cell._comment is not None:
                comments.append(CommentRecord.from_cell(cell))
            xml = cells.xml(cell, row_index)
            if xml:
                parts.append(xml)
        parts.append("</row>")
    parts.append("</sheetData>")
    return "".join(parts), comments


class _CellWriter:
    """Cells as ``<c>`` elements, remembering what repeats: styles' numbers (added to the
    workbook's in the order cells first use them, as openpyxl adds them), column letters
    and text."""

    def __init__(self, book):
        self.book = book
        self.styles: dict[bytes | None, str] = {}  # a style's bytes -> ' s="number"' or ''
        self.letters: dict[int, str] = {}
        self.texts: dict[str, str] = {}  # text -> the rest of its element

    def xml(self, cell, row: int) -> str:
        """The cell's element; '' for a cell openpyxl does not write."""
        style = cell._style
        key = None if style is None else style.tobytes()
        styled = self.styles.get(key)
        if styled is None:
            styled = self.styles[key] = (
                f' s="{self.book._cell_styles.add(style)}"' if key and any(style) else ""
            )
        value = cell._value
        if value is None and not styled and not cell._comment:
            return ""
        column = cell.column
        letter = self.letters.get(column) or self.letters.setdefault(
            column, get_column_letter(column)
        )
        if cell.data_type == "s" and type(value) is str and value and not cell.hyperlink:
            rest = self.texts.get(value) or self.texts.setdefault(value, _text_xml(value))
            return f'<c r="{letter}{row}"{styled} t="inlineStr"{rest}'
        return _cell_xml(cell, f'<c r="{letter}{row}"{styled}', self.book)


def _text_xml(text: str) -> str:
    """What follows a text cell's attributes, as openpyxl writes it: spaces kept where
    the text has them at either end (with ElementTree, not where it is only spaces)."""
    stripped = text.strip()
    space = ' xml:space="preserve"' if text != stripped and (LXML or stripped) else ""
    return f"><is><t{space}>{_escaped(text)}</t></is></c>"


def _cell_xml(cell, start: str, book) -> str:
    """A ``<c>`` element from its ``start`` (its place and style), as openpyxl's
    ``lxml_write_cell`` writes it."""
    data_type, value = cell.data_type, cell._value
    if data_type not in PLAIN_TYPES or cell.hyperlink or isinstance(value, CellRichText):
        raise _NotPlain
    kind = "inlineStr" if data_type == "s" else data_type
    if data_type == "d":
        if getattr(value, "tzinfo", None) is not None:
            raise _NotPlain  # openpyxl's writer refuses it in its own words
        if book.iso_dates and not isinstance(value, dt.timedelta):
            value = to_ISO8601(value)
        else:
            kind, value = "n", to_excel(value, book.epoch)
    start += f' t="{kind}"'
    if value is None or value == "":
        return start + "/>"
    if data_type == "s":
        if not isinstance(value, str):
            raise _NotPlain
        return start + _text_xml(value)
    return f"{start}><v>{_escaped(safe_string(value))}</v></c>"


def _escaped(text: str, escapes=TEXT_ESCAPES) -> str:
    for character, entity in escapes:
        if character in text:
            text = text.replace(character, entity)
    return text


def _attributes(attributes: dict) -> str:
    return "".join(
        f' {name}="{_escaped(value, ATTRIBUTE_ESCAPES)}"' for name, value in attributes.items()
    )
