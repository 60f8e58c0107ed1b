"""Reading a manager's sheets: the workbook opened with its unsaved formulas and typed
dates dealt with, required sheets, settings sheets (label, value) and tables (header row,
one record per row), every mistake collected with its sheet, row and column."""

from __future__ import annotations

from pathlib import Path

from rota.domain.problem import FieldError
from rota.io import layout, opening
from rota.io.cells import (
    NUMERIC_DATE,
    CellError,
    Place,
    Problems,
    WorkbookError,
    date,
    date_order,
    parsed,
    text,
)


def read_book(path: Path, problems: Problems, names):
    """Open a manager's workbook to read the sheets ``names``. In those, every formula
    without a saved value is reported (it would read as an empty cell), and dates typed
    as text are read in the order the other typed dates show, if they show one."""
    try:
        data = opening.workbook_bytes(path)
        values, formulas = opening.load(path, data), opening.load(path, data, formulas=True)
    except opening.UnreadableFile as error:
        raise WorkbookError([str(error)]) from None
    wanted = {layout.normalise(n) for n in names}
    _resolve_typed_dates([s for s in values if layout.normalise(s.title) in wanted])
    for sheet in (s for s in formulas if layout.normalise(s.title) in wanted):
        for row, column, formula in opening.unsaved_formulas(sheet, values[sheet.title]):
            problems.add(
                sheet.title,
                f"the formula {formula} has no saved value (a program wrote it, Excel never "
                "calculated it); open the workbook in Excel and save it, or type the value",
                row,
                column,
                text(sheet.cell(1, column).value) if row > 1 else None,
            )
            problems.reported_cells.add((sheet.title, row, column))  # it reads as empty
    return values


def _resolve_typed_dates(sheets) -> None:
    """Typed dates such as 04/05/2027 become dates when other typed dates in the workbook
    prove its order (19/04/2027: day first); otherwise they stay text, to be refused."""
    cells = [c for sheet in sheets for row in sheet.iter_rows() for c in row]
    order = date_order(c.value for c in cells)
    if order is None:
        return
    for cell in cells:
        if isinstance(cell.value, str) and NUMERIC_DATE.fullmatch(cell.value.strip()):
            try:
                cell.value = date(cell.value, order)
            except CellError:
                pass  # no such date, or a two-digit year: the parser will say so


def sheets_named(book, names, problems: Problems, why: dict[str, str] | None = None) -> dict:
    """The sheets with these names (case and spacing aside); a missing one is an error,
    since a renamed or deleted sheet would otherwise drop all its rows without a word.
    ``why`` gives a sheet's own message when it is missing."""
    found = {layout.normalise(s.title): s for s in book}
    for name in names:
        if layout.normalise(name) not in found:
            problems.add(
                name,
                (why or {}).get(name)
                or f"missing sheet {name!r}; the workbook has "
                f"{', '.join(map(repr, book.sheetnames))}. Add it back (it may be empty) or "
                "give it its name again",
            )
    return {n: found[layout.normalise(n)] for n in names if layout.normalise(n) in found}


def report_merged(sheet, columns, first_row: int, problems: Problems, headers=None) -> None:
    """Merged cells in what is read: only the first holds the value, so refuse them."""
    for merged in opening.merged_ranges(sheet, set(columns), first_row):
        header = (headers or {}).get(merged.min_col)
        problems.add(
            sheet.title,
            f"cells {merged.coord} are merged; unmerge them and type the value in each cell",
            merged.min_row,
            merged.min_col,
            header,
        )
        for row, column in merged.cells:  # each reads as empty: said once, here
            problems.reported_cells.add((sheet.title, row, column))


def read_settings(sheet, settings: dict, parsers: dict, optional, problems: Problems):
    """Label-value rows (label in column A, value in B) -> ({field: value}, {field: row}).
    Every label must be there; ``optional`` settings may be left empty."""
    report_merged(sheet, (1, 2), 1, problems, {2: "Value"})
    labels = {layout.normalise(k): v for k, v in settings.items()}
    values, rows = {}, {}
    for row in range(1, sheet.max_row + 1):
        label = sheet.cell(row, 1).value
        field_name = labels.get(layout.normalise(label or ""))
        if field_name is None:
            continue
        if field_name in rows:
            problems.add(sheet.title, f"{text(label)!r} is given twice", row, 1, "Setting")
        rows[field_name] = row
        value = sheet.cell(row, 2).value
        if text(value) == "":
            continue
        try:
            values[field_name] = parsed(parsers[field_name], value)
        except CellError as error:
            problems.add(sheet.title, f"found {text(value)!r}; {error}", row, 2, "Value")
            problems.reported_cells.add((sheet.title, row, 2))
    for label, field_name in settings.items():
        if field_name not in rows:
            problems.add(sheet.title, f"missing setting {label!r} in column A")
        elif field_name not in values and field_name not in optional:
            problems.add(sheet.title, f"no value for {label!r}", rows[field_name], 2, "Value")
    return values, rows


def columns_of(sheet, known: dict, problems: Problems) -> dict[str, int] | None:
    """Field -> column of every known header in row 1; None when one is missing, since a
    renamed or deleted column would otherwise drop what it holds without a word."""
    names = {layout.normalise(h) for h in known}
    headers: dict[str, int] = {}
    for cell in sheet[1]:
        name = layout.normalise(cell.value or "")
        if name in headers and name in names:
            problems.add(sheet.title, f"column {text(cell.value)!r} appears twice", 1, cell.column)
        headers.setdefault(name, cell.column)
    columns = {
        f: headers[layout.normalise(h)] for h, f in known.items() if layout.normalise(h) in headers
    }
    missing = [h for h, f in known.items() if f not in columns and f not in layout.OPTIONAL_COLUMNS]
    if missing and _headings_lower_down(sheet, names, problems):
        return None
    unknown = [
        repr(text(c.value))
        for c in sheet[1]
        if text(c.value) and layout.normalise(c.value) not in names
    ]
    hint = f" (row 1 also has {', '.join(unknown)}, which the planner does not read)"
    for header in missing:
        message = f"missing column {header!r} in the header row"
        problems.add(sheet.title, message + (hint if unknown else ""), 1)
    return None if missing else columns


def _headings_lower_down(sheet, names: set[str], problems: Problems) -> bool:
    """Headings below row 1 (a title row typed above them): said once, not per column."""
    for row in range(2, min(sheet.max_row, 5) + 1):
        found = {layout.normalise(c.value) for c in sheet[row] if text(c.value)}
        if len(found & names) >= 2:
            problems.add(
                sheet.title,
                f"the headings are on row {row}; they must be on row 1 (delete the rows above)",
                row,
            )
            return True
    return False


def read_rows(sheet, known, build, problems: Problems, places, teams=None) -> list | None:
    """Parse each non-empty row below the header with ``build``; collect what it makes.
    None when a column is missing. ``teams`` collects each record's Team cell."""
    if sheet.max_row == 1 and all(text(c.value) == "" for c in sheet[1]):
        return []  # a sheet with nothing on it, not even headings: nothing to read
    columns = columns_of(sheet, known, problems)
    if columns is None:
        return None
    headers = {f: h for h, f in known.items()}
    report_merged(sheet, columns.values(), 2, problems, {c: headers[f] for f, c in columns.items()})
    out = []
    for row in range(2, sheet.max_row + 1):
        cells = {f: sheet.cell(row, c).value for f, c in columns.items()}
        if all(text(v) == "" for v in cells.values()):
            continue

        def report(field_name, message, row=row):
            column = columns.get(field_name)
            problems.add(sheet.title, message, row, column, headers.get(field_name))

        record = build(cells, report)
        if record is not None:
            out.append(record)
            for item in record if isinstance(record, list) else [record]:
                places[id(item)] = Place(sheet.title, row, columns, headers)
            if teams is not None:
                teams[id(record)] = text(cells.get("team"))
    return out


def parse_cells(cells: dict, parsers: dict, report) -> dict | None:
    values, ok = {}, True
    for field_name, parse in parsers.items():
        value = cells.get(field_name)
        if text(value) == "":
            continue
        try:
            values[field_name] = parsed(parse, value)
        except CellError as error:
            report(field_name, f"found {text(value)!r}; {error}")
            ok = False
    for field_name in parsers:
        if (
            field_name in cells
            and text(cells[field_name]) == ""
            and field_name in layout.REQUIRED_VALUES
        ):
            report(field_name, "empty; a value is required")
            ok = False
    return values if ok else None


def construct(cls, values: dict, report):
    """``cls(**values)``, or None with its complaint reported at the field it names."""
    try:
        return cls(**values)
    except FieldError as error:
        report(error.field, str(error))
        return None
