"""The plan as CSV: names a spreadsheet would run as formulas are written as text."""

import csv
from dataclasses import replace

from rota.domain.problem import Pattern
from rota.io.csvout import write_csv
from rota.solve.solver import SolveOptions, plan


def test_formula_like_team_ids_and_names_get_an_apostrophe(tmp_path, make):
    staff = [make.person("=1+1", Pattern.FULL_TIME, name="@SUM(A1)"), make.person("B2")]
    problem = make.problem(staff, weeks=1)
    problem = replace(problem, team=replace(problem.team, name="+Team"))
    path = write_csv(tmp_path / "rota.csv", [(problem, plan(problem, SolveOptions(10)))])
    with path.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 10
    assert {r["team"] for r in rows} == {"'+Team"}
    assert [r["staff_id"] for r in rows[::5]] == ["'=1+1", "B2"]
    assert rows[0]["name"] == "'@SUM(A1)" and rows[5]["name"] == "Person B2"
    assert rows[0]["date"] == "2027-01-11" and rows[0]["week"] == "A"
