"""Read a written rota workbook back into plain rows for the web page to draw.

The page shows the same grid as the workbook's Rota sheet by reading that sheet, so what
a manager sees in the browser and in Excel cannot drift apart. Nothing here knows a rule:
the layout (header row, first day column, codes and the fill that marks a short day) is
passed in by ``web.jobs``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from openpyxl import load_workbook


class Cell(NamedTuple):  # a tuple: thousands of them cross from the worker cheaply
    text: str
    code: str = ""  # a status code on a person's day: W, D, NWD, ...
    short: bool = False  # a cover count below its minimum
    note: str = ""  # the sheet's comment on the cell, e.g. why a day was not taken
    changed: str = ""  # after a re-plan: what changed here, in words


class Row(NamedTuple):
    kind: str  # "person", "cover" or "gap" (an empty row between teams)
    cells: list[Cell]
    staff_id: str = ""


@dataclass
class Grid:
    title: str
    subtitle: str
    weeks: list[tuple[str, int]]  # (label, number of day columns it spans)
    headers: list[str]
    days: list[dt.date]
    first_day_column: int
    rows: list[Row] = field(default_factory=list)


@dataclass(frozen=True)
class Layout:
    header_row: int
    first_day_column: int
    id_column: int
    codes: frozenset[str]
    short_fill: str  # RGB of the fill that marks a day below the minimum
    stop_label: str = "Legend"


def read_grid(path: Path, layout: Layout, changed: dict | None = None) -> Grid:
    """The Rota sheet as rows of cells; ``changed`` maps (staff id, date) to words."""
    book = load_workbook(path)
    try:
        sheet = book["Rota"]
        days = _days(sheet, layout)
        first = layout.first_day_column
        grid = Grid(
            str(sheet.cell(1, 1).value or ""),
            str(sheet.cell(2, 1).value or ""),
            _weeks(sheet, layout, len(days)),
            [_text(sheet.cell(layout.header_row, c).value) for c in range(1, first)]
            + [f"{d:%a} {d.day}" for d in days],
            days,
            layout.first_day_column,
        )
        for row in range(layout.header_row + 1, sheet.max_row + 1):
            if _text(sheet.cell(row, layout.id_column + 1).value) == layout.stop_label:
                break
            grid.rows.append(_row(sheet, row, layout, days, changed or {}))
        while grid.rows and grid.rows[-1].kind == "gap":
            grid.rows.pop()
        return grid
    finally:
        book.close()


def _days(sheet, layout: Layout) -> list[dt.date]:
    days = []
    for column in range(layout.first_day_column, sheet.max_column + 1):
        value = sheet.cell(layout.header_row, column).value
        if not isinstance(value, dt.date):
            break
        days.append(value.date() if isinstance(value, dt.datetime) else value)
    return days


def _weeks(sheet, layout: Layout, count: int) -> list[tuple[str, int]]:
    weeks: list[tuple[str, int]] = []
    for offset in range(count):
        label = _text(sheet.cell(layout.header_row - 1, layout.first_day_column + offset).value)
        if label or not weeks:
            weeks.append((label, 1))
        else:
            weeks[-1] = (weeks[-1][0], weeks[-1][1] + 1)
    return weeks


def _row(sheet, row: int, layout: Layout, days: list[dt.date], changed: dict) -> Row:
    staff_id = _text(sheet.cell(row, layout.id_column).value)
    values = [sheet.cell(row, c) for c in range(1, layout.first_day_column + len(days))]
    if not any(c.value is not None for c in values):
        return Row("gap", [])
    cells = [Cell(_text(c.value)) for c in values[: layout.first_day_column - 1]]
    for day, cell in zip(days, values[layout.first_day_column - 1 :], strict=True):
        text = _text(cell.value)
        cells.append(
            Cell(
                text,
                code=text if staff_id and text in layout.codes else "",
                short=_fill(cell) == layout.short_fill,
                note=cell.comment.text if cell.comment else "",
                changed=changed.get((staff_id, day), ""),
            )
        )
    return Row("person" if staff_id else "cover", cells, staff_id)


def _fill(cell) -> str:
    colour = cell.fill.fgColor.rgb if cell.fill and cell.fill.fill_type == "solid" else ""
    return str(colour)[-6:].upper() if isinstance(colour, str) else ""


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, float):  # as the sheets' number formats show it: two places at most
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def read_table(path: Path, sheet_name: str) -> list[list[str]]:
    """Every non-empty row of a sheet as text, the header first."""
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = []
        for values in book[sheet_name].iter_rows(values_only=True):
            if any(v is not None and v != "" for v in values):
                rows.append([_text(v) for v in values])
        return rows
    finally:
        book.close()


def read_blocks(path: Path, sheet_name: str) -> list[list[list[str]]]:
    """A sheet's rows as text in blocks, a blank row ending each: a sheet that holds
    several tables (the Summary: people, hours, goals) gives one block per table."""
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        blocks: list[list[list[str]]] = [[]]
        for values in book[sheet_name].iter_rows(values_only=True):
            if any(v is not None and v != "" for v in values):
                blocks[-1].append([_text(v) for v in values])
            elif blocks[-1]:
                blocks.append([])
        return [block for block in blocks if block]
    finally:
        book.close()


def read_rows(path: Path, wanted: set[tuple[str, int]]) -> dict[tuple[str, int], list[str]]:
    """The text of the (sheet, row) pairs asked for, trailing blanks dropped."""
    found: dict[tuple[str, int], list[str]] = {}
    if not wanted:
        return found
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        for sheet_name in {sheet for sheet, _ in wanted} & set(book.sheetnames):
            rows = {row for sheet, row in wanted if sheet == sheet_name}
            for number, values in enumerate(book[sheet_name].iter_rows(values_only=True), 1):
                if number in rows:
                    cells = [_text(v) for v in values]
                    while cells and not cells[-1]:
                        cells.pop()
                    found[sheet_name, number] = cells
                if number >= max(rows):
                    break
    finally:
        book.close()
    return found
