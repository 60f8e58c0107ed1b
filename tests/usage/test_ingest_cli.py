"""The ingest command's new options, driven with CliRunner, then the database inspected."""

import sqlite3

import pandas as pd
import pytest
from click.testing import CliRunner

import usage.ingest
import usage.model
import usage.store.database
from usage.commands import usage as usage_group
from usage.ingest import column_map_from, ingest
from usage.model import UsageError
from usage.readers.columns import load_column_map

NOW = pd.Timestamp("2021-06-01", tz="UTC")


@pytest.fixture
def run(tmp_path):
    def invoke(*args):
        arguments = [*map(str, args), "--db", str(tmp_path / "cli.db")]
        return CliRunner().invoke(usage_group, arguments, catch_exceptions=False)

    return invoke


def test_every_kind_and_the_other_vendor_through_its_map(run, fixture_dir):
    assert run("ingest", "roster", fixture_dir / "roster.csv").exit_code == 0
    assert run("ingest", "sessions", fixture_dir / "brent_sessions.csv").exit_code == 0
    result = run("ingest", "activity", fixture_dir / "brent_activity.csv")
    assert result.exit_code == 0 and "20 rows read = 20 accepted (20 new)" in result.output
    other = fixture_dir / "other_vendor_sessions.csv"
    refused = run("ingest", "sessions", other)
    assert refused.exit_code == 2 and "Work Email" in refused.output
    mapped = ("--columns", fixture_dir / "columns_example.toml")
    result = run("ingest", "sessions", other, *mapped, "--timezone", "UTC")
    assert result.exit_code == 0, result.output
    assert "9 rows read = 9 accepted (0 new)" in result.output  # the same instants


def test_bad_options_are_clean_errors(run, fixture_dir, tmp_path):
    result = run("ingest", "roster", fixture_dir / "roster.csv", "--timezone", "Mars/Olympus")
    assert result.exit_code == 2 and "unknown time zone" in result.output
    bad_map = tmp_path / "map.toml"
    bad_map.write_text('[columns]\nemail = "Work Email"\n')
    result = run("ingest", "roster", fixture_dir / "roster.csv", "--columns", bad_map)
    assert result.exit_code == 2 and "not a field we read" in result.output
    result = run("ingest", "roster", fixture_dir / "roster.csv", "--date-order", "ydm")
    assert result.exit_code == 2


def test_report_and_pseudonym_mistakes_are_clean_errors(run, fixture_dir, tmp_path):
    assert run("ingest", "roster", fixture_dir / "roster.csv").exit_code == 0
    result = run("report", "--from", "2021-03-10", "--to", "2021-03-01", "--out", tmp_path / "r")
    assert result.exit_code == 2 and "--to 2021-03-01 is before --from 2021-03-10" in result.output
    assert not (tmp_path / "r").exists()
    (tmp_path / "cli.db.key").write_text("not hex\n")
    result = run("pseudonym", "someone@brent.gov.uk")
    assert result.exit_code == 2 and "key file" in result.output and "damaged" in result.output


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[columns\n", "cannot read the column map"),
        ("[colums]\n", "unknown section"),
        ("[columns]\nuser = []\n", "a header or a list of headers"),
        ('[answers.frequency]\n"Often" = "often"\n', "expected one of"),
        ('[answers.mood]\n"Good" = "yes"\n', "not a question we map"),
    ],
)
def test_column_map_mistakes_are_one_line_errors(tmp_path, text, message):
    path = tmp_path / "map.toml"
    path.write_text(text)
    with pytest.raises(UsageError, match=message):
        load_column_map(path, {"user"})


def test_a_mapped_column_missing_from_the_file_is_named(roster_db, tmp_path, write_csv):
    path = tmp_path / "map.toml"
    path.write_text('[columns]\nuser = "Work Email"\n')
    rows = [["User ID", "Session Start", "Duration"], ["x@y.z", "13/03/2021 10:00", "1m"]]
    with pytest.raises(usage.model.IngestRejected) as caught:
        ingest(
            roster_db,
            "sessions",
            write_csv(tmp_path / "s.csv", rows),
            now=NOW,
            column_map=column_map_from(path),
        )
    assert "no column 'Work Email'" in caught.value.problems[0].found


def test_bulk_load_rebuilds_the_day_index_and_a_crash_keeps_it(
    roster_db, fixture_dir, monkeypatch, dump
):
    monkeypatch.setattr(usage.store.database, "BULK_ROWS", 10)
    before = dump(roster_db)

    def crash(*args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(usage.ingest.store, "finish_ingest", crash)
    with pytest.raises(RuntimeError):
        ingest(roster_db, "sessions", fixture_dir / "brent_sessions.csv", now=NOW)
    assert dump(roster_db) == before
    monkeypatch.undo()
    monkeypatch.setattr(usage.store.database, "BULK_ROWS", 10)
    assert ingest(roster_db, "sessions", fixture_dir / "brent_sessions.csv", now=NOW).rows_new == 54
    with sqlite3.connect(roster_db) as conn:
        plan = conn.execute(
            "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM sessions WHERE local_day = 18700"
        ).fetchall()
    assert "sessions_by_day" in str(plan)
