"""The service Summary's duty block: for every team and person, duty days and duty load
per head, and the spread of each, whichever sharing rule was planned with."""

from __future__ import annotations

from openpyxl.styles import Alignment, Font

from common.sheets import put_text
from rota.domain.duty_share import duty_shares
from rota.domain.plan import Plan
from rota.domain.problem import Problem
from rota.io.styles import CellStyle, put

TEAM_HEADERS = ("Team", "Staff", "Duty days (team)", "Duty days per head")
PERSON_HEADERS = ("Team", "ID", "Name", "Duty days", "Team's duty days per head")
CENTRE = Alignment(horizontal="center", vertical="top", wrap_text=True)
CENTRED = CellStyle(alignment=CENTRE)
TWO_PLACES = CellStyle(alignment=CENTRE, number_format="0.00")


def duty_summary(sheet, row: int, teams: list[tuple[Problem, Plan]]) -> None:
    """From ``row``: the teams' duty, then each person's, each with its spread (most minus
    least). A duty day counts for a person when they are marked on duty that day (the
    whole team, their duty group, or named as a duty worker)."""
    shares = duty_shares(teams)
    if len(teams) < 2 or not shares.team_days:
        return
    sheet.cell(row, 1, "Duty shared: days on duty per person and per head").font = Font(bold=True)
    spread = (
        f"Spread across the service (most minus least): {shares.person_spread} duty days "
        f"per person; {shares.per_head_spread:.2f} duty days per head between teams."
    )
    put_text(sheet.cell(row + 1, 1), spread)
    row = _table(sheet, row + 3, TEAM_HEADERS, _team_rows(teams, shares))
    _table(sheet, row + 2, PERSON_HEADERS, _person_rows(teams, shares))


def _team_rows(teams, shares) -> list[list]:
    return [
        [p.team.name, len(p.staff), shares.team_days[p.team.name], shares.per_head[p.team.name]]
        for p, _ in teams
        if p.team.name in shares.team_days
    ]


def _person_rows(teams, shares) -> list[list]:
    return [
        [
            p.team.name,
            person.id,
            person.name,
            shares.person_days[p.team.name, person.id],
            shares.per_head[p.team.name],
        ]
        for p, _ in teams
        if p.team.name in shares.team_days
        for person in p.staff
    ]


def _table(sheet, row: int, headers, rows: list[list]) -> int:
    """Headers in bold at ``row``, then the rows; returns the last row written."""
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row, column, header)
        cell.font, cell.alignment = Font(bold=True), CENTRE
    sheet.row_dimensions[row].height = 45  # room for a header wrapped over three lines
    for offset, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            if isinstance(value, str):
                put(sheet, row + offset, column, value)
            else:
                put(
                    sheet,
                    row + offset,
                    column,
                    value,
                    TWO_PLACES if isinstance(value, float) else CENTRED,
                )
    return row + len(rows)
