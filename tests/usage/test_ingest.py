"""Ingest: every kind and variant, idempotence, atomicity and every bad input in the issue."""

import sqlite3
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

import usage.ingest
from usage.ingest import ingest
from usage.model import IngestRejected, UsageError
from usage.readers.parse import Clock
from usage.store.database import MIGRATIONS, applied_migrations, connect

NOW = pd.Timestamp("2021-06-01", tz="UTC")
BRENT_EMAIL = "amara.adams1@brent.example.gov.uk"  # first Brent licence, a heavy user


def count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def rejected(db: Path, kind: str, path: Path, **options) -> list:
    with pytest.raises(IngestRejected) as caught:
        ingest(db, kind, path, now=NOW, **options)
    return caught.value.problems


def test_first_use_creates_store_with_named_migrations(roster_db):
    conn = connect(roster_db)
    assert applied_migrations(conn) == [name for name, _ in MIGRATIONS]
    assert count(roster_db, "people") == 52


def test_fixture_ingest_counts(pilot_db):
    assert count(pilot_db, "sessions") == 54
    assert count(pilot_db, "totals") == 20
    assert count(pilot_db, "survey_responses") == 22  # the preview response is dropped
    with sqlite3.connect(pilot_db) as conn:
        log = conn.execute("SELECT kind, rows_read, rows_accepted, rows_rejected FROM ingests")
        assert ("survey", 23, 22, 0) in log.fetchall()


def test_same_file_twice_changes_nothing_and_says_so(pilot_db, fixture_dir, dump):
    before = dump(pilot_db)
    again = ingest(pilot_db, "sessions", fixture_dir / "brent_sessions.csv", now=NOW)
    assert again.already_ingested and "already ingested" in again.summary()
    assert dump(pilot_db) == before


def test_overlapping_export_adds_only_new_sessions(roster_db, tmp_path, write_csv):
    header = ["User ID", "Session Start", "Duration"]
    first = [[BRENT_EMAIL, f"0{d}/03/2021 10:00", "00:05:00"] for d in (1, 2, 3)]
    second = first[1:] + [[BRENT_EMAIL, "04/03/2021 10:00", "00:05:00"]]
    # every day is 12 or under, so the order is given
    ingest(
        roster_db,
        "sessions",
        write_csv(tmp_path / "a.csv", [header, *first]),
        now=NOW,
        clock=Clock(order="dmy"),
    )
    report = ingest(
        roster_db,
        "sessions",
        write_csv(tmp_path / "b.csv", [header, *second]),
        now=NOW,
        clock=Clock(order="dmy"),
    )
    assert (report.rows_accepted, report.rows_new) == (3, 1)
    assert count(roster_db, "sessions") == 4


@pytest.mark.parametrize(
    ("header", "row"),
    [
        (["user", "start", "end"], [BRENT_EMAIL, "2021-03-01 10:00", "2021-03-01 10:05"]),
        (
            ["Login", "Login Time", "Logout Time"],
            [BRENT_EMAIL, "13/03/2021 10:00", "13/03/2021 10:05"],
        ),
        (["Email", "Timestamp", "Minutes"], [BRENT_EMAIL, "2021-03-01T10:00:00", "5"]),
        (["Username", "Session_Start", "Seconds"], [BRENT_EMAIL, "44256.41666667", "300"]),
        (["USER-ID", "session start", "Session Length"], [BRENT_EMAIL, "2021-03-01 10:00", "5m"]),
    ],
)
def test_session_column_variants(roster_db, tmp_path, header, row, write_csv):
    report = ingest(roster_db, "sessions", write_csv(tmp_path / "s.csv", [header, row]), now=NOW)
    assert report.rows_new == 1
    with sqlite3.connect(roster_db) as conn:
        (duration,) = conn.execute("SELECT duration_s FROM sessions").fetchone()
    assert duration == 300


def test_sessions_from_xlsx_with_real_dates_and_times(roster_db, tmp_path):
    from datetime import datetime, time

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Usage"
    sheet.append(["User ID", "Session Start", "Duration"])
    sheet.append([BRENT_EMAIL, datetime(2021, 3, 1, 10, 0), time(0, 5, 0)])
    sheet.append([BRENT_EMAIL, "not a date", "00:01:00"])
    workbook.save(tmp_path / "log.xlsx")
    problems = rejected(roster_db, "sessions", tmp_path / "log.xlsx")
    assert [(p.sheet, p.line, p.column) for p in problems] == [("Usage", 3, "Session Start")]
    report = ingest(roster_db, "sessions", tmp_path / "log.xlsx", skip_bad=True, now=NOW)
    assert (report.rows_new, report.rows_rejected) == (1, 1)


def test_every_problem_in_one_pass_with_line_and_column(roster_db, tmp_path, write_csv, dump):
    rows = [
        ["User ID", "Session Start", "Duration"],
        [BRENT_EMAIL, "01/03/2021 10:00", "00:05:00"],  # good
        [BRENT_EMAIL, "31/02/2021 10:00", "00:05:00"],  # impossible date
        [BRENT_EMAIL, "02/03/2021 10:00", "five minutes"],  # unparseable duration
        [BRENT_EMAIL, "03/03/2021 10:00", "-00:05:00"],  # negative
        [BRENT_EMAIL, "04/03/2021 10:00", "25:00:00"],  # longer than 24 hours
        [BRENT_EMAIL, "05/03/2031 10:00", "00:05:00"],  # future
        ["stranger@example.org", "06/03/2021 10:00", "00:05:00"],  # not on the roster
    ]
    before = dump(roster_db)
    problems = rejected(roster_db, "sessions", write_csv(tmp_path / "bad.csv", rows))
    located = {(p.line, p.column) for p in problems}
    assert located == {
        (3, "Session Start"),
        (4, "Duration"),
        (5, "Duration"),
        (6, "Duration"),
        (7, "Session Start"),
        (8, "User ID"),
    }
    text = "\n".join(map(str, problems))
    for expected in (
        "real calendar date",
        "HH:MM:SS",
        "0 or more",
        "24 hours",
        "not in the future",
        "on the roster",
    ):
        assert expected in text
    assert "bad.csv line 8, column 'User ID'" in text
    assert dump(roster_db) == before


def test_skip_bad_keeps_good_rows_and_writes_rejects_with_reasons(roster_db, tmp_path, write_csv):
    rows = [
        ["User ID", "Session Start", "Duration"],
        [BRENT_EMAIL, "13/03/2021 10:00", "00:05:00"],
        [BRENT_EMAIL, "14/03/2021 10:00", "=1+1"],
    ]
    report = ingest(
        roster_db,
        "sessions",
        write_csv(tmp_path / "mixed.csv", rows),
        skip_bad=True,
        rejects_dir=tmp_path / "rejects",
        now=NOW,
    )
    assert (report.rows_accepted, report.rows_rejected) == (1, 1)
    text = (tmp_path / "rejects" / "mixed.rejects.csv").read_text()
    assert "Duration: found '=1+1'" in text
    assert ",'=1+1" in text  # the raw cell is defused for spreadsheets
    assert count(roster_db, "sessions") == 1


def test_crash_inside_the_transaction_leaves_store_unchanged(
    roster_db, fixture_dir, monkeypatch, dump
):
    before = dump(roster_db)

    def crash(*args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(usage.ingest.store, "finish_ingest", crash)  # after rows are inserted
    with pytest.raises(RuntimeError):
        ingest(roster_db, "sessions", fixture_dir / "brent_sessions.csv", now=NOW)
    assert dump(roster_db) == before
    monkeypatch.undo()
    assert ingest(roster_db, "sessions", fixture_dir / "brent_sessions.csv", now=NOW).rows_new == 54


def test_wrong_kind_of_file_is_named(roster_db, fixture_dir):
    problems = rejected(roster_db, "sessions", fixture_dir / "brent_totals.csv")
    assert problems[0].line == 0 and "looks like a totals file" in problems[0].found


def test_wrong_file_type_is_rejected(roster_db, tmp_path):
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    assert "a .csv, .tsv, .txt or .xlsx file" in str(
        rejected(roster_db, "sessions", tmp_path / "notes.pdf")[0]
    )


def test_missing_required_columns_fail_even_with_skip_bad(roster_db, tmp_path, write_csv):
    path = write_csv(tmp_path / "s.csv", [["User ID", "Words"], [BRENT_EMAIL, "10"]])
    problems = rejected(roster_db, "sessions", path, skip_bad=True)
    assert {p.column for p in problems} == {"start"}


def test_totals_ingest_and_bad_totals(roster_db, tmp_path, write_csv):
    header = ["User", "Total Minutes", "Sessions", "Last Use"]
    rows = [
        header,
        [BRENT_EMAIL, "12.5", "3", "20/03/2021"],
        ["ben.begum2@brent.example.gov.uk", "-1", "two", "20/03/2031"],
    ]
    problems = rejected(roster_db, "totals", write_csv(tmp_path / "t.csv", rows))
    assert {(p.line, p.column) for p in problems} == {
        (3, "Total Minutes"),
        (3, "Sessions"),
        (3, "Last Use"),
    }
    ingest(roster_db, "totals", write_csv(tmp_path / "ok.csv", rows[:2]), now=NOW)
    with sqlite3.connect(roster_db) as conn:
        assert conn.execute("SELECT minutes, sessions, period_start FROM totals").fetchall() == [
            (12.5, 3, "")
        ]


def test_roster_problems_and_update(tmp_path, write_csv):
    db = tmp_path / "u.db"
    rows = [
        ["Email", "Authority", "Team", "Licence Start", "Licence End"],
        ["a@x.gov.uk", "Brent", "A", "01/03/2021", "28/02/2021"],
        ["A@X.gov.uk ", "Brent", "A", "", ""],
        ["b@x.gov.uk", "", "A", "", ""],
    ]
    problems = rejected(db, "roster", write_csv(tmp_path / "r.csv", rows))
    assert {(p.line, p.column) for p in problems} == {
        (2, "Licence End"),
        (3, "Email"),
        (4, "Authority"),
    }
    good = [rows[0], ["a@x.gov.uk", "Brent", "A", "", ""]]
    ingest(db, "roster", write_csv(tmp_path / "r1.csv", good), now=NOW)
    moved = [rows[0], ["a@x.gov.uk", "Brent", "B", "", ""]]
    assert ingest(db, "roster", write_csv(tmp_path / "r2.csv", moved), now=NOW).rows_new == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT team FROM people").fetchall() == [("B",)]


def test_unknown_kind_and_missing_file_are_usage_errors(roster_db, tmp_path):
    with pytest.raises(UsageError):
        ingest(roster_db, "logs", tmp_path / "x.csv")
    with pytest.raises(UsageError):
        ingest(roster_db, "sessions", tmp_path / "absent.csv")


def test_a_bulk_transaction_restores_reference_checks_and_rolls_back(roster_db):
    from usage.store.database import connect, require_people, transaction

    conn = connect(roster_db)
    before = conn.execute("SELECT COUNT(*) FROM ingests").fetchone()
    with pytest.raises(RuntimeError, match="not in the store"):
        with transaction(conn, foreign_keys=False):
            conn.execute(
                "INSERT INTO ingests (file_name, content_sha256, kind, rows_read, rows_accepted,"
                " rows_new, rows_rejected, ingested_at)"
                " VALUES ('x', 'y', 'sessions', 1, 1, 1, 0, '')"
            )
            require_people(conn, np.array([1, 10**9]))
    assert conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
    assert conn.execute("SELECT COUNT(*) FROM ingests").fetchone() == before
