"""Cumulative totals and licence activity: overlapping periods are never added."""

import sqlite3

import pandas as pd
import pytest

from usage.ingest import ingest
from usage.model import IngestRejected

NOW = pd.Timestamp("2021-06-01", tz="UTC")
A = "amara.adams1@brent.example.gov.uk"
B = "ben.begum2@brent.example.gov.uk"
TOTALS = ["User", "Cumulative Minutes", "Number of Sessions", "Period Start", "Period End"]
ACTIVITY = ["User", "Login Count", "Last Login", "Period Start", "Period End"]


def totals(db) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT person_id, period_start, period_end, minutes FROM totals ORDER BY 1, 2"
        ).fetchall()


def test_later_export_covering_an_earlier_one_supersedes_it_and_says_so(
    roster_db, tmp_path, write_csv
):
    first = [
        TOTALS,
        [A, "10", "2", "01/03/2021", "14/03/2021"],
        [B, "5", "1", "01/03/2021", "14/03/2021"],
    ]
    ingest(roster_db, "totals", write_csv(tmp_path / "fortnight.csv", first), now=NOW)
    later = [
        TOTALS,
        [A, "25", "5", "01/03/2021", "28/03/2021"],
        [B, "5", "1", "15/03/2021", "28/03/2021"],
    ]
    report = ingest(roster_db, "totals", write_csv(tmp_path / "month.csv", later), now=NOW)
    assert (
        "totals for 1 person supersede the stored 2021-03-01 to 2021-03-14 from fortnight.csv"
        in (report.summary())
    )
    assert totals(roster_db) == [
        (1, "2021-03-01", "2021-03-28", 25.0),  # A's fortnight replaced, never added
        (2, "2021-03-01", "2021-03-14", 5.0),  # B's two fortnights do not overlap: both kept
        (2, "2021-03-15", "2021-03-28", 5.0),
    ]


def test_an_earlier_shorter_export_after_a_longer_one_is_skipped(
    roster_db, fixture_dir, tmp_path, write_csv
):
    ingest(roster_db, "totals", fixture_dir / "brent_totals.csv", now=NOW)
    before = totals(roster_db)
    rows = [TOTALS, [A, "10", "2", "01/03/2021", "14/03/2021"]]
    report = ingest(roster_db, "totals", write_csv(tmp_path / "part.csv", rows), now=NOW)
    assert (report.rows_read, report.rows_accepted, report.rows_skipped) == (1, 0, 1)
    assert "already covered by the stored, longer 2021-03-01 to 2021-03-28" in report.summary()
    assert totals(roster_db) == before


def test_partial_overlap_is_refused_naming_both_files_and_periods(
    roster_db, fixture_dir, tmp_path, write_csv, dump
):
    ingest(roster_db, "totals", fixture_dir / "brent_totals.csv", now=NOW)
    before = dump(roster_db)
    rows = [TOTALS, [A, "10", "2", "15/03/2021", "11/04/2021"]]
    with pytest.raises(IngestRejected) as caught:
        ingest(roster_db, "totals", write_csv(tmp_path / "april.csv", rows), now=NOW)
    (problem,) = caught.value.problems
    assert str(problem).startswith("april.csv line 2, column 'Period Start'")
    assert "2021-03-15 to 2021-04-11" in problem.found
    assert "2021-03-01 to 2021-03-28 from brent_totals.csv" in problem.found
    assert dump(roster_db) == before


def test_undated_and_dated_totals_for_one_person_are_refused(roster_db, tmp_path, write_csv):
    dated = [TOTALS, [A, "10", "2", "01/03/2021", "14/03/2021"]]
    ingest(roster_db, "totals", write_csv(tmp_path / "dated.csv", dated), now=NOW)
    undated = [["User", "Minutes", "Sessions"], [A, "12", "3"]]
    with pytest.raises(IngestRejected, match="1 problem"):
        ingest(roster_db, "totals", write_csv(tmp_path / "undated.csv", undated), now=NOW)


def test_licence_activity_is_its_own_kind(roster_db, fixture_dir):
    report = ingest(roster_db, "activity", fixture_dir / "brent_activity.csv", now=NOW)
    assert (report.rows_read, report.rows_new) == (20, 20)
    with sqlite3.connect(roster_db) as conn:
        rows = conn.execute(
            "SELECT SUM(logins > 0), SUM(logins > 5), MAX(last_login), MIN(period_start),"
            " MAX(period_end) FROM activity"
        ).fetchone()
        columns = [row[1] for row in conn.execute("PRAGMA table_info(activity)")]
    assert rows == (15, 3, "2021-03-26", "2021-03-01", "2021-03-28")  # the pilot's figures
    assert columns == [
        "person_id",
        "period_start",
        "period_end",
        "logins",
        "last_login",
        "ingest_id",
    ]


def test_activity_overlaps_follow_the_same_rule(roster_db, fixture_dir, tmp_path, write_csv):
    ingest(roster_db, "activity", fixture_dir / "brent_activity.csv", now=NOW)
    rows = [ACTIVITY, [A, "20", "2021-04-02", "2021-03-01", "2021-04-30"]]
    path = write_csv(tmp_path / "longer.csv", rows)
    report = ingest(roster_db, "activity", path, now=NOW, allow_outside_licence=True)
    assert "supersede" in report.summary()
    with sqlite3.connect(roster_db) as conn:
        assert conn.execute(
            "SELECT logins, period_end FROM activity WHERE person_id = 1"
        ).fetchall() == [(20, "2021-04-30")]


def test_overlaps_are_located_on_the_right_lines_beside_other_problems(
    roster_db, fixture_dir, tmp_path, write_csv
):
    ingest(roster_db, "totals", fixture_dir / "brent_totals.csv", now=NOW)
    rows = [
        TOTALS,
        ["stranger@example.org", "1", "1", "01/03/2021", "28/03/2021"],  # line 2: unknown
        [B, "5", "1", "01/04/2021", "14/04/2021"],  # line 3: fine
        [B, "6", "2", "08/04/2021", "21/04/2021"],  # line 4: overlaps line 3
        [A, "10", "2", "15/03/2021", "11/04/2021"],  # line 5: overlaps the stored March
    ]
    path = write_csv(tmp_path / "mixed.csv", rows)
    with pytest.raises(IngestRejected) as caught:
        ingest(roster_db, "totals", path, now=NOW, allow_outside_licence=True)
    found = {(p.line, p.found.split(",")[0][:40]) for p in caught.value.problems}
    assert {line for line, _ in found} == {2, 4, 5}
    assert any(
        line == 4 and "on line 3" in p.found for p in caught.value.problems for line in [p.line]
    )
