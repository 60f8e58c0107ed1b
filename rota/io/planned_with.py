"""The rules a rota was planned with, carried inside the rota workbook.

The writer copies the team or service workbook (as ``rota template`` lays it out) into
hidden, protected sheets named 'Planned with Team', 'Planned with Staff' and so on.
``rules_in_rota`` reads them back through the very reader ``--rules`` uses, so ``rota
gaps`` on a rota workwell planned needs no ``--rules``, and gets the same rules object.
A hand-made rota has no such sheets: None.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from openpyxl import Workbook

from common.sheets import put_text
from rota.domain.service import DutyRules, Service

PREFIX = "Planned with "
SHEETS = ("Team", "Teams", "Staff", "Duty", "Leave")


def add_rules_sheets(book: Workbook, service: Service) -> None:
    """Copy the service's workbook form into hidden, protected sheets of ``book``."""
    from rota.io.template import service_book, team_book

    source = team_book(service.teams[0]) if _is_one_team(service) else service_book(service)
    for name in SHEETS:
        if name not in source.sheetnames:
            continue
        sheet = book.create_sheet(PREFIX + name)
        for row in source[name].iter_rows():
            for cell in row:
                if cell.value is not None:
                    put_text(sheet.cell(cell.row, cell.column), cell.value)
        sheet.sheet_state = "hidden"
        sheet.protection.sheet = True


def _is_one_team(service: Service) -> bool:
    """A service read from a team workbook: written back as a team workbook."""
    only = service.teams[0]
    return (
        len(service.teams) == 1
        and service.name == only.team.name
        and not service.shares_duty
        and not service.duty_groups
        and service.duty == DutyRules()
        and only.team.duty_workers == 0
    )


def carried_rules(path: Path) -> Service | None:
    """``rules_in_rota`` for the rota workbook at ``path``."""
    from rota.io.cells import open_workbook

    return rules_in_rota(path, open_workbook(Path(path)))


def has_rules_sheets(sheet_names: list[str]) -> bool:
    return PREFIX + "Team" in sheet_names


def rules_in_rota(path: Path, book) -> Service | None:
    """The rules a workwell rota carries (``book`` is the rota, opened), or None for a
    hand-made rota. Raises WorkbookError, as ``--rules`` would, if they were edited badly."""
    if not has_rules_sheets(book.sheetnames):
        return None
    from rota.io.service_workbook import read_any

    rules = Workbook()
    rules.remove(rules.active)
    for name in SHEETS:
        if PREFIX + name in book.sheetnames:
            copy = rules.create_sheet(name)
            for row in book[PREFIX + name].iter_rows():
                for cell in row:
                    put_text(copy.cell(cell.row, cell.column), cell.value)
    with tempfile.TemporaryDirectory() as folder:
        copy_path = Path(folder) / f"{Path(path).stem} (rules it was planned with).xlsx"
        rules.save(copy_path)
        return read_any(copy_path)
