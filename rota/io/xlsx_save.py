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
from openpyxl.xml.functions import Element

EMPTY_SHEET_DATA = (b"<sheetData/>", b"<sheetData />")  # as lxml, and ElementTree, write it
PLAIN_TYPES = {"s", "n", "b", "d"}  # what _cell_xml writes as openpyxl's writer would
TEXT_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;"))
ATTRIBUTE_ESCAPES = (*TEXT_ESCAPES, ('"', "&quot;"), ("\n", "&#10;"), ("\t", "&#9;"))


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
        writer.write()
        ws._rels = writer._rels
        with open(writer.out, "rb") as written:
            xml = written.read()
        if writer.sheet_data is not None:  # in place of the empty one openpyxl wrote
            xml = _filled(xml, writer.sheet_data)
        self._archive.writestr(ws.path[1:], xml)
        self.manifest.append(ws)
        writer.cleanup()


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
    book = ws.parent
    style_ids: dict[bytes, int] = {}  # a style's bytes -> its number, added in cell order
    letters: dict[int, str] = {}
    dimensions = ws.row_dimensions
    parts, comments = ["<sheetData>"], []
    for row_index, row in rows:
        attributes = {"r": f"{row_index}"}
        attributes.update(dimensions.get(row_index, {}))
        parts.append(f"<row{_attributes(attributes)}>")
        for cell in row:
            if cell._comment is not None:
                comments.append(CommentRecord.from_cell(cell))
            style = cell._style
            styled = style is not None and any(style)
            if cell._value is None and not styled and not cell._comment:
                continue
            letter = letters.get(cell.column) or letters.setdefault(
                cell.column, get_column_letter(cell.column)
            )
            style_id = None
            if styled:
                key = style.tobytes()
                style_id = style_ids.get(key)
                if style_id is None:
                    style_id = style_ids[key] = book._cell_styles.add(style)
            parts.append(_cell_xml(cell, f"{letter}{row_index}", style_id, book))
        parts.append("</row>")
    parts.append("</sheetData>")
    return "".join(parts), comments


def _cell_xml(cell, coordinate: str, style_id: int | None, book) -> str:
    """One ``<c>`` element, as openpyxl's ``lxml_write_cell`` writes it."""
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
    start = f'<c r="{coordinate}"' + (f' s="{style_id}"' if style_id is not None else "")
    start += f' t="{kind}"'
    if value is None or value == "":
        return start + "/>"
    if data_type == "s":
        if not isinstance(value, str):
            raise _NotPlain
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return f"{start}><is><t{space}>{_escaped(value)}</t></is></c>"
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
