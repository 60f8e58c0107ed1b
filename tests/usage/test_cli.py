"""The ``workwell usage`` commands, driven with CliRunner, then the database inspected."""

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from usage.commands import usage

FIXTURES = Path(__file__).parents[2] / "fixtures" / "usage"


@pytest.fixture
def run(tmp_path):
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(
            usage,
            [*map(str, args), "--db", str(tmp_path / "cli.db")]
            if args[0] != "report"
            else [*map(str, args), "--db", str(tmp_path / "cli.db")],
        )

    return invoke


def test_ingest_all_and_report(run, fixture_dir, tmp_path):
    assert run("ingest", "roster", fixture_dir / "roster.csv").exit_code == 0
    result = run("ingest", "sessions", fixture_dir / "brent_sessions.csv")
    assert result.exit_code == 0 and "54 accepted (54 new)" in result.output
    assert run("ingest", "totals", fixture_dir / "brent_totals.csv").exit_code == 0
    assert run("ingest", "survey", fixture_dir / "coventry_survey.csv").exit_code == 0
    again = run("ingest", "sessions", fixture_dir / "brent_sessions.csv")
    assert again.exit_code == 0 and "already ingested" in again.output
    result = run("report", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "15 of 20 (75%" in result.output and "17 of 22 (77%" in result.output
    assert (tmp_path / "out" / "usage_report.xlsx").exists()


def test_a_survey_answered_before_the_period_is_said_and_warned_of(run, fixture_dir, tmp_path):
    assert run("ingest", "roster", fixture_dir / "roster.csv").exit_code == 0
    assert run("ingest", "survey", fixture_dir / "coventry_survey.csv").exit_code == 0
    after = run("report", "--out", tmp_path / "after", "--from", "2021-03-01", "--to", "2021-03-28")
    assert after.exit_code == 0 and "answered before" not in after.output
    summary = (tmp_path / "after" / "summary.md").read_text()
    assert "Survey answered 29 Mar 2021 to 01 Apr 2021." in summary
    later = run("report", "--out", tmp_path / "later", "--from", "2021-04-05", "--to", "2021-04-30")
    assert later.exit_code == 0, later.output
    warning = "22 of 22 counted survey responses were answered before 05 Apr 2021"
    assert warning in later.output
    assert warning in (tmp_path / "later" / "summary.md").read_text()


def test_bad_file_exits_2_lists_problems_and_writes_nothing(run, fixture_dir, tmp_path):
    run("ingest", "roster", fixture_dir / "roster.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("User ID,Session Start,Duration\nx@y.z,31/02/2021,00:01:00\n")
    result = run("ingest", "sessions", bad)
    assert result.exit_code == 2
    assert "bad.csv line 2, column 'User ID'" in result.output
    assert "bad.csv line 2, column 'Session Start'" in result.output
    assert "Traceback" not in result.output
    with sqlite3.connect(tmp_path / "cli.db") as conn:
        assert conn.execute("SELECT COUNT(*) FROM sessions").fetchone() == (0,)


def test_user_mistakes_are_clean_errors(run, tmp_path):
    result = run("report", "--out", tmp_path / "out")
    assert result.exit_code == 2 and "no such database" in result.output
    result = run("report", "--from", "2021-03-01")
    assert result.exit_code == 2


def test_pseudonym_lookup_matches_report_ids(run, fixture_dir, tmp_path):
    run("ingest", "roster", fixture_dir / "roster.csv")
    result = run("pseudonym", "Amara.Adams1@brent.example.gov.uk")
    assert result.exit_code == 0 and "\tP-" in result.output


@pytest.mark.parametrize("command", ["ingest", "report", "pseudonym"])
def test_every_command_has_an_example(command):
    result = CliRunner().invoke(usage, [command, "--help"])
    assert result.exit_code == 0 and "Example" in result.output


def loaded_after(code: str) -> set[str]:
    """The heavy libraries a fresh interpreter has loaded after running ``code``."""
    heavy = ("pandas", "numpy", "matplotlib", "statsmodels", "scipy", "openpyxl")
    probe = f"{code}\nimport sys\nprint(' '.join(m for m in {heavy!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_a_command_imports_only_what_it_uses(tmp_path):
    assert loaded_after("import usage.commands") == set()
    ingest = (
        "from click.testing import CliRunner\nfrom usage.commands import usage\n"
        f"result = CliRunner().invoke(usage, ['ingest', 'roster', {str(FIXTURES / 'roster.csv')!r},"
        f" '--db', {str(tmp_path / 'u.db')!r}])\nassert result.exit_code == 0, result.output"
    )
    assert loaded_after(ingest) == {"pandas", "numpy"}  # no charts, no statistics, no xlsx


def test_usage_errors_are_the_shared_input_error_with_their_messages():
    from common.errors import InputError
    from usage.model import IngestRejected, Problem, UsageError

    problem = Problem("s.csv", 3, "Start", "'31/02/2021'", "a real calendar date")
    rejected = IngestRejected("s.csv", [problem])
    assert isinstance(rejected, UsageError) and isinstance(rejected, InputError)
    assert str(rejected) == "s.csv: 1 problem(s); nothing was written"
    assert rejected.problems == [problem]
    assert str(UsageError("give both --from and --to")) == "give both --from and --to"


def test_a_period_no_licence_overlaps_is_said_not_a_traceback(run, fixture_dir, tmp_path):
    assert run("ingest", "roster", fixture_dir / "roster.csv").exit_code == 0
    assert run("ingest", "sessions", fixture_dir / "brent_sessions.csv").exit_code == 0
    out = tmp_path / "out"
    result = run("report", "--out", out, "--from", "2022-01-01", "--to", "2022-01-31")
    assert result.exit_code == 0, result.output
    assert "No licence on the roster overlaps 01 Jan 2022 to 31 Jan 2022" in result.output
    assert "Used at least once: suppressed" in result.output
    assert "No licence on the roster overlaps" in (out / "summary.md").read_text()
