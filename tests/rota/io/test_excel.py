"""The rota workbook: read back equals the plan; untrusted names stay text; CSV layout."""

import csv

from openpyxl import load_workbook

from rota.domain.checks import check, failures
from rota.domain.problem import Pattern
from rota.io.csvout import CSV_COLUMNS, write_csv
from rota.io.excel import hours_and_minutes, write_rota
from rota.io.rotaread import read_rota
from rota.solve.solver import plan


def test_rota_round_trip_and_every_hard_rule_holds_on_the_read_back(tmp_path, fixture_team):
    result = plan(fixture_team)
    path = write_rota(tmp_path / "rota.xlsx", fixture_team, result)
    grid = read_rota(path)
    assert grid.days == fixture_team.weekdays
    assert [s.id for s in grid.staff] == [p.id for p in fixture_team.staff]
    assert grid.teams == ["Child Protection 2"]
    assert grid.statuses == result.statuses
    assert failures(check(fixture_team, grid.statuses)) == []


def test_workbook_sheets_and_print_setup(tmp_path, fixture_team):
    path = write_rota(tmp_path / "rota.xlsx", fixture_team, plan(fixture_team))
    book = load_workbook(path)
    assert book.sheetnames == ["Rota", "Summary", "Checks"]
    rota = book["Rota"]
    assert rota.page_setup.orientation == "landscape"
    assert rota.freeze_panes == "F6"
    assert book["Checks"]["A1"].value == "All hard rules hold on every day."


def test_formula_like_names_are_written_as_text(tmp_path, make):
    staff = [make.person("=1+1", Pattern.FULL_TIME, name='=HYPERLINK("http://x","y")')]
    problem = make.problem(staff, weeks=1)
    path = write_rota(tmp_path / "rota.xlsx", problem, plan(problem))
    cell = load_workbook(path)["Rota"]["C6"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_csv_has_one_row_per_person_per_weekday(tmp_path, fixture_team):
    result = plan(fixture_team)
    path = write_csv(tmp_path / "rota.csv", [(fixture_team, result)])
    with path.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == len(fixture_team.staff) * len(fixture_team.weekdays)
    statuses = {r["status"] for r in rows}
    assert statuses <= {"W", "D", "NWD", "L", "BH", "PT", "NT"}  # the Rota sheet's codes
    assert {"NWD", "D", "L", "BH", "PT"} <= statuses
    assert {r["week"] for r in rows} == {"A", "B"}


def test_hours_per_working_day_for_compressed_patterns():
    assert hours_and_minutes(37 / 4) == "9 h 15 min"
    assert hours_and_minutes(74 / 9) == "8 h 13 min"
