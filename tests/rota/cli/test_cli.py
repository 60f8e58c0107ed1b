"""The rota commands, driven as a user would, then the files they leave behind inspected."""

import datetime as dt
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from cli import main
from rota.domain.problem import Leave, Pattern
from rota.io.rotaread import read_rota
from rota.io.template import write_team_workbook

FIXTURE = Path(__file__).parents[3] / "fixtures" / "rota" / "team.xlsx"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_plan_writes_a_rota_and_csv_and_says_how_good_it_is(tmp_path):
    out, csv_path = tmp_path / "rota.xlsx", tmp_path / "rota.csv"
    result = run("rota", "plan", FIXTURE, "--out", out, "--csv", csv_path)
    assert result.exit_code == 0, result.output
    assert "proven optimal" in result.output
    assert read_rota(out).staff[0].id == "TM01"
    text = csv_path.read_text(encoding="utf-8-sig")
    assert text.startswith("team,staff_id,name,pattern,date,week,status")


def test_check_reports_a_good_workbook(tmp_path):
    result = run("rota", "check", FIXTURE)
    assert result.exit_code == 0
    assert "12 staff" in result.output and "2 bank holidays" in result.output
    assert "team.xlsx is fine" in result.output


def test_template_then_check(tmp_path):
    path = tmp_path / "template.xlsx"
    assert run("rota", "template", path).exit_code == 0
    assert run("rota", "check", path).exit_code == 0


def test_bad_input_exits_2_lists_problems_and_leaves_the_old_rota_alone(tmp_path):
    bad = tmp_path / "team.xlsx"
    bad.write_bytes(FIXTURE.read_bytes())
    book = load_workbook(bad)
    book["Staff"]["F3"] = "Flexi"
    book["Staff"]["E4"] = "lots"
    book.save(bad)
    out = tmp_path / "rota.xlsx"
    out.write_bytes(b"the previous rota")
    result = run("rota", "plan", bad, "--out", out)
    assert result.exit_code == 2
    assert "2 problems" in result.output and "column F (Pattern)" in result.output
    assert "Traceback" not in result.output
    assert out.read_bytes() == b"the previous rota"
    assert list(tmp_path.iterdir()) == [bad, out] or set(tmp_path.iterdir()) == {bad, out}


def test_infeasible_team_exits_1_explains_and_writes_nothing(tmp_path, make):
    monday = make.monday
    staff = [make.person(i, Pattern.FULL_TIME) for i in "ABC"]
    leave = [Leave(i, monday + dt.timedelta(days=2), monday + dt.timedelta(days=2)) for i in "AB"]
    path = write_team_workbook(
        tmp_path / "team.xlsx", make.problem(staff, weeks=1, leave=leave, min_present=2)
    )
    out = tmp_path / "rota.xlsx"
    result = run("rota", "plan", path, "--out", out)
    assert result.exit_code == 1
    assert "Wed 13 Jan 2027" in result.output and "Person A" in result.output
    assert not out.exists()


def test_every_command_has_help_with_an_example():
    for command in ("plan", "check", "template"):
        result = run("rota", command, "--help")
        assert result.exit_code == 0 and "Example: workwell rota" in result.output
