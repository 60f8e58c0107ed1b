"""The adapter on its own: the same answers as the command line, from the same library."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from rota.domain.service import Service
from rota.domain.synthetic import synthetic_team
from rota.io.service_workbook import read_any, write_service_workbook
from web import jobs

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "rota"


def test_gaps_with_a_stricter_minimum_say_what_rota_gaps_says(tmp_path):
    rota, rules = FIXTURES / "handmade_rota.xlsx", FIXTURES / "team.xlsx"
    found = jobs.check_gaps(
        rota.name, rota.read_bytes(), rules.name, rules.read_bytes(), 10.0, (9, None)
    )
    result = CliRunner().invoke(
        main,
        ["rota", "gaps", str(rota), "--rules", str(rules), "--min-present", "9",
         "--threshold", "10", "--out", str(tmp_path)],
    )  # fmt: skip
    assert result.exit_code == 3 and found.status == "gaps"
    assert found.lines == (tmp_path / "summary.txt").read_text().splitlines()
    assert "with minimum present 9" in found.lines[1]
    assert found.files["gaps.xlsx"][:2] == b"PK"


def test_a_damaged_rota_and_bad_rules_are_listed_together():
    rules = FIXTURES / "team.xlsx"
    found = jobs.check_gaps("rota.xlsx", rules.read_bytes(), "rules.xlsx", b"PK", None)
    assert found.status == "bad_input" and len(found.problems) >= 2
    assert any(p.startswith("rules.xlsx:") for p in found.problems)
    assert any(p.startswith("rota.xlsx:") for p in found.problems)


@pytest.fixture(scope="module")
def planned(tmp_path_factory) -> Path:
    """team.xlsx planned by the web job: a workwell rota, carrying its rules."""
    team = FIXTURES / "team.xlsx"
    found = jobs.plan_workbook(team.name, team.read_bytes(), 20)
    assert found.status == "done", found.problems
    assert any(line.startswith("Flexi days: ") for line in found.lines)
    path = tmp_path_factory.mktemp("planned") / "rota.xlsx"
    path.write_bytes(found.files["rota.xlsx"])
    return path


def test_gaps_on_a_workwell_rota_need_no_rules_and_say_what_rota_gaps_says(planned, tmp_path):
    found = jobs.check_gaps(planned.name, planned.read_bytes(), None, None, None)
    result = CliRunner().invoke(main, ["rota", "gaps", str(planned), "--out", str(tmp_path)])
    assert result.exit_code in (0, 3), result.output
    assert found.status == ("gaps" if result.exit_code == 3 else "done")
    assert found.lines == (tmp_path / "summary.txt").read_text().splitlines()
    assert "the rules rota.xlsx was planned with" in "\n".join(found.lines)


def test_gaps_on_a_hand_made_rota_without_rules_are_refused_in_words():
    rota = FIXTURES / "handmade_rota.xlsx"
    found = jobs.check_gaps(rota.name, rota.read_bytes(), None, None, None)
    assert found.status == "bad_input"
    assert found.problems == [
        "handmade_rota.xlsx carries no rules (it was not planned by workwell): upload the team "
        "or service workbook with its rules, or give the minimum present"
    ]


def test_replan_of_a_workwell_rota_needs_no_rules(planned):
    found = jobs.replan_rota(
        planned.name, planned.read_bytes(), None, None,
        [("SW03", "2027-05-17", "2027-05-21")], None, 20,
    )  # fmt: skip
    assert found.status == "done", found.problems
    assert found.heading.startswith("Re-planned from")
    assert any(line.startswith("Flexi days: ") for line in found.lines)


def test_check_gives_the_warnings_rota_check_gives(tmp_path):
    template = tmp_path / "team.xlsx"
    assert CliRunner().invoke(main, ["rota", "template", str(template)]).exit_code == 0
    checked = CliRunner().invoke(main, ["rota", "check", str(template)])
    found = jobs.check_workbook(template.name, template.read_bytes())
    said = checked.output.splitlines()
    assert found.status == "done"
    assert [f"Warning: {w}" for w in found.warnings] == [w for w in said if w.startswith("Warn")]
    assert len(found.warnings) == 2
    assert [*found.lines, found.heading] == [w for w in said if not w.startswith("Warn")]
    assert found.heading == "team.xlsx can be planned, but read the 2 warnings above."


def test_a_time_out_is_said_as_such_not_as_no_rota_possible(tmp_path):
    rules = write_service_workbook(
        tmp_path / "big.xlsx", Service("Big", [synthetic_team(60, 52, seed=1)])
    )
    found = jobs.plan_workbook(rules.name, rules.read_bytes(), 0.1)
    assert found.status == "timed_out"
    assert found.heading == "No rota found in 0.1 s; try a longer time limit."
    assert not found.files


def test_allow_short_plans_the_short_days_and_names_them_as_rota_plan_does(tmp_path):
    service = read_any(FIXTURES / "team.xlsx")
    [problem] = service.teams
    # 11 of 12 in every day: part-timers and leave make some days short
    everyone = dataclasses.replace(problem.team, min_present=11, min_present_on_duty=11)
    short_team = dataclasses.replace(problem, team=everyone)
    rules = write_service_workbook(tmp_path / "short.xlsx", Service("Short", [short_team]))
    refused = jobs.plan_workbook(rules.name, rules.read_bytes(), 20)
    assert refused.status == "infeasible"
    found = jobs.plan_workbook(rules.name, rules.read_bytes(), 20, allow_short=True)
    assert found.status == "done", found.problems
    said = CliRunner().invoke(
        main,
        ["rota", "plan", str(rules), "--out", str(tmp_path / "rota.xlsx"), "--allow-short",
         "--time-limit", "20"],
    )  # fmt: skip
    assert said.exit_code == 3, said.output
    assert said.output.splitlines()[-len(found.short) :] == found.short
    assert found.short[0].startswith("Cover is short on ")
    assert any(cell.short for row in found.grid.rows for cell in row.cells)
