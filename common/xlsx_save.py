"""Save an openpyxl workbook as openpyxl does, its cells serialised in bulk.

openpyxl writes each cell through lxml's incremental writer, element by element, which
costs more than everything else about a sheet of 60,000 cells. ``save`` writes the same
cells (the same attributes, values and style numbers, in the same order) as one block of
XML text per sheet, in place of the empty ``sheetData`` openpyxl's writer is given; it
writes the rest of the workbook as ever. A sheet holding anything this does not write the
way openpyxl would (a formula, an error, rich text, a hyperlink) is written by openpyxl.

``kept_cells`` lets a cell be put without making openpyxl's ``Cell`` for it: the sheet's
cells become ``KeptCells``, where such a cell is held as (value, data type, style) until
something asks openpyxl for it, and only then made. ``save`` writes a kept cell straight
from what is held, as its ``Cell`` would have been written. The package is compressed at
zlib's fastest level, not openpyxl's default: the same parts, a larger file, sooner.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from operator import itemgetter
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl.cell.cell import Cell
from openpyxl.cell.rich_text import CellRichText
from openpyxl.comments.comment_sheet import CommentRecord
from openpyxl.compat import safe_string
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel, to_ISO8601
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.writer import excel
from openpyxl.xml import LXML
from openpyxl.xml.functions import Element

LONGEST_TEXT = 32767  # characters: openpyxl cuts longer text to this (a cell kept is not cut)
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


_first = itemgetter(0)


class _NotPlain(Exception):
    """A cell this module leaves to openpyxl."""


class KeptCells(dict):
    """A worksheet's ``_cells`` (place -> cell) that also holds kept cells, each a
    (value, data type, ``StyleArray`` or None) tuple, making a kept cell's ``Cell`` (once)
    whenever openpyxl, or anyone, looks a cell up: only ``save`` sees the tuples."""

    __slots__ = ("sheet",)
    keep = dict.__setitem__  # a kept cell's tuple in its place, as it is

    def __init__(self, sheet, cells: dict):
        super().__init__(cells)
        self.sheet = sheet

    def __getitem__(self, place):
        cell = dict.__getitem__(self, place)
        return self._made(place, cell) if type(cell) is tuple else cell

    def get(self, place, default=None):
        cell = dict.get(self, place, default)
        return self._made(place, cell) if type(cell) is tuple else cell

    def pop(self, place, *default):
        if place in self:
            self[place]  # made, if kept
        return dict.pop(self, place, *default)

    def values(self):
        return [self[place] for place in self]

    def items(self):
        return [(place, self[place]) for place in self]

    def _made(self, place: tuple[int, int], kept: tuple) -> Cell:
        value, data_type, style = kept
        cell = Cell(self.sheet, row=place[0], column=place[1])
        cell._value, cell.data_type = value, data_type
        if style is not None:
            cell._style = StyleArray(style)  # its own, as openpyxl may change it in place
        dict.__setitem__(self, place, cell)
        return cell


def kept_cells(sheet) -> KeptCells:
    """The sheet's cells as ``KeptCells`` (made so the first time), to ``keep`` a new cell
    as ``((row, column), (value, data type, style))``: ``value`` and ``data type`` as
    openpyxl would set them on a ``Cell``, ``style`` a ``StyleArray`` shared, never changed.
    The caller moves ``sheet._current_row`` on, as openpyxl does for a new ``Cell``."""
    cells = sheet._cells
    if type(cells) is not KeptCells:
        cells = sheet._cells = KeptCells(sheet, cells)
    return cells


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a workbook (or a report around one) is built and
    saved, as it was after. Building one allocates a hundred thousand small objects, none
    of them garbage, and in a process holding a plan the collector's passes over them took
    a third of the time; what the build leaves in cycles is collected after."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def save(book, path) -> None:
    """Write ``book`` to ``path`` as ``book.save(path)`` would, compressed less (faster)."""
    with ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True, compresslevel=1) as archive:
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
    sorted_rows: list  # ``_rows``, by ``write_dimensions`` (``write`` calls it first)

    def write_dimensions(self):
        """The ``dimension`` ``ws.calculate_dimension`` gives, from the rows sorted once."""
        self.sorted_rows = _rows(self.ws)
        self.xf.send(SheetDimension(_dimension(self.sorted_rows)).to_tree())

    def write_rows(self):
        """An empty ``sheetData`` to fill; openpyxl's own rows if a cell needs them."""
        try:
            xml, comments = _sheet_data(self.ws, self.sorted_rows)
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


def _rows(ws) -> list[tuple[int, list]]:
    """``WorksheetWriter.rows``, each cell with its column and kept cells as they are."""
    rows: dict[int, list] = {row: [] for row in ws.row_dimensions}  # rows styled, if empty
    for (row, column), cell in dict.items(ws._cells):
        cells = rows.get(row)
        if cells is None:
            cells = rows[row] = []
        cells.append((column, cell))
    for cells in rows.values():
        cells.sort(key=_first)
    return sorted(rows.items(), key=_first)


def _dimension(rows: list[tuple[int, list]]) -> str:
    """'A1:M24': the range from the first to the last row and column holding a cell."""
    held = [(row, cells[0][0], cells[-1][0]) for row, cells in rows if cells]
    if not held:
        return "A1:A1"
    first = get_column_letter(min(first for _, first, _ in held))
    last = get_column_letter(max(last for _, _, last in held))
    return f"{first}{held[0][0]}:{last}{held[-1][0]}"


def _sheet_data(ws, rows) -> tuple[str, list]:
    """The ``sheetData`` XML of ``rows`` (from ``_rows``), and the comments met on the
    way, as openpyxl's ``write_row`` collects them."""
    cells = _CellWriter(ws.parent)
    letters, rests, dimensions = cells.letters, cells.kept_rests, ws.row_dimensions
    parts, comments = ["<sheetData>"], []
    for row_index, row in rows:
        attributes = {"r": f"{row_index}"}
        attributes.update(dimensions.get(row_index, {}))
        parts.append(f"<row{_attributes(attributes)}>")
        for column, cell in row:
            if type(cell) is tuple:
                value, data_type, style = cell
                rest = None if type(value) is float else rests.get((value, data_type, id(style)))
                if rest is None:
                    rest = cells.kept(value, data_type, style)
                if rest:
                    parts.append(f'<c r="{letters[column]}{row_index}"{rest}')
                continue
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
        self.letters = _Letters()
        self.texts: dict[str, str] = {}  # text -> the rest of its element
        self.kept_rests: dict[tuple, str] = {}  # (value, data type, style's id) -> ``kept``

    def kept(self, value, data_type: str, style) -> str:
        """What follows ``<c r="place"`` in the element of a kept cell holding these, as
        ``xml`` writes its ``Cell`` ('' for none), remembered in ``kept_rests``."""
        styled = self._styled(style)
        rest = (
            "" if value is None and not styled else _cell_xml(styled, value, data_type, self.book)
        )
        if type(value) is not float:  # never looked up: -0.0 == 0 but is written "-0"
            self.kept_rests[value, data_type, id(style)] = rest
        return rest

    def _styled(self, style) -> str:
        """' s="number"' for a cell's ``StyleArray``, '' for none or the default."""
        key = None if style is None else style.tobytes()
        styled = self.styles.get(key)
        if styled is None:
            styled = self.styles[key] = (
                f' s="{self.book._cell_styles.add(style)}"' if key and any(style) else ""
            )
        return styled

    def xml(self, cell, row: int) -> str:
        """The cell's element; '' for a cell openpyxl does not write."""
        styled = self._styled(cell._style)
        value = cell._value
        if value is None and not styled and not cell._comment:
            return ""
        letter = self.letters[cell.column]
        if cell.data_type == "s" and type(value) is str and value and not cell.hyperlink:
            rest = self.texts.get(value) or self.texts.setdefault(value, _text_xml(value))
            return f'<c r="{letter}{row}"{styled} t="inlineStr"{rest}'
        if cell.hyperlink:
            raise _NotPlain
        return _cell_xml(f'<c r="{letter}{row}"{styled}', value, cell.data_type, self.book)


class _Letters(dict):
    """Column number -> letters, each worked out once."""

    def __missing__(self, column: int) -> str:
        letters = self[column] = get_column_letter(column)
        return letters


def _text_xml(text: str) -> str:
    """What follows a text cell's attributes, as openpyxl writes it: spaces kept where
    the text has them at either end (with ElementTree, not where it is only spaces)."""
    stripped = text.strip()
    space = ' xml:space="preserve"' if text != stripped and (LXML or stripped) else ""
    return f"><is><t{space}>{_escaped(text)}</t></is></c>"


def _cell_xml(start: str, value, data_type: str, book) -> str:
    """A ``<c>`` element from its ``start`` (its place and style), as openpyxl's
    ``lxml_write_cell`` writes a cell of no hyperlink holding ``value``."""
    if data_type not in PLAIN_TYPES or isinstance(value, CellRichText):
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
