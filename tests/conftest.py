"""The suite runs on every core (pytest-xdist, ``-n auto`` in pyproject.toml). Each test
file stays on one worker, so its module fixtures are built once; the web tests share one
worker, so their servers and the twenty-plans load test do not run beside one another."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

TEAM = Path(__file__).resolve().parents[1] / "fixtures" / "rota" / "team.xlsx"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        web = item.path.parent.name == "web"
        item.add_marker(pytest.mark.xdist_group("web" if web else str(item.path)))


@pytest.fixture(scope="session")
def given_back_team(tmp_path_factory) -> Path:
    """The shipped team workbook with 'Sick on a non-working day' set to 'given back', so
    a re-plan moves a flexi day that sickness fell on (the default loses it)."""
    book = load_workbook(TEAM)
    sheet = book["Team"]
    label = "Sick on a non-working day"
    row = next((r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == label), None)
    row = row or sheet.max_row + 1
    sheet.cell(row, 1, label)
    sheet.cell(row, 2, "given back")
    path = tmp_path_factory.mktemp("given-back") / "team-given-back.xlsx"
    book.save(path)
    return path
