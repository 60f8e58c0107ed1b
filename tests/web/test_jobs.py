"""The adapter on its own: the same answers as the command line, from the same library."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from cli import main
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
