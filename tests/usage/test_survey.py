"""Survey ingest: Qualtrics three-row and legacy two-row exports, XLSX, plain CSV, recodes."""

import sqlite3

import openpyxl
import pandas as pd
import pytest

from usage.ingest import ingest
from usage.model import IngestRejected

NOW = pd.Timestamp("2021-06-01", tz="UTC")


def answers(db):
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT authority, frequency, intention, hours_saved FROM survey_responses"
            " ORDER BY frequency"
        ).fetchall()


def test_qualtrics_three_row_drops_preview_and_links_roster(pilot_db):
    with sqlite3.connect(pilot_db) as conn:
        rows = conn.execute("SELECT authority, person_id IS NOT NULL FROM survey_responses")
        assert set(rows.fetchall()) == {("Coventry", 1)}


def test_legacy_two_row_layout_with_recode_numbers(tmp_path, write_csv):
    rows = [
        ["V1", "V2", "V3", "Q1", "Q2", "Q3"],
        [
            "ResponseID",
            "Status",
            "EndDate",
            "How often did you use the app?",
            "Would you continue to use it?",
            "Hours saved per week",
        ],
        ["R_1", "0", "2021-03-29 10:00:00", "1", "1", "6"],
        ["R_2", "0", "2021-03-29 11:00:00", "4", "2", ""],
        ["R_3", "1", "2021-03-29 12:00:00", "2", "3", "1"],  # Status 1 = preview
    ]
    db = tmp_path / "u.db"
    report = ingest(
        db, "survey", write_csv(tmp_path / "legacy.csv", rows), authority="Coventry", now=NOW
    )
    assert (report.rows_read, report.rows_new) == (3, 2)
    assert answers(db) == [
        ("Coventry", "less than once a week", "not sure", None),
        ("Coventry", "most days", "yes", 6.0),
    ]


def test_plain_csv_and_xlsx_give_the_same_answers(tmp_path, write_csv):
    rows = [
        ["Authority", "Frequency", "Continue", "Hours saved"],
        ["Brent", "Most days", "Yes", "2"],
        ["Brent", "never", "NO", "0"],
    ]
    write_csv(tmp_path / "plain.csv", rows)
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(tmp_path / "plain.xlsx")
    ingest(tmp_path / "a.db", "survey", tmp_path / "plain.csv", now=NOW)
    ingest(tmp_path / "b.db", "survey", tmp_path / "plain.xlsx", now=NOW)
    assert (
        answers(tmp_path / "a.db")
        == answers(tmp_path / "b.db")
        == [("Brent", "most days", "yes", 2.0), ("Brent", "never", "no", 0.0)]
    )


def test_survey_problems_unknown_answer_duplicates_unknown_person(roster_db, tmp_path, write_csv):
    rows = [
        ["ResponseId", "RecipientEmail", "Frequency", "Continue"],
        ["R_1", "amara.adams1@brent.example.gov.uk", "Weekly-ish", "Yes"],
        ["R_1", "ben.begum2@brent.example.gov.uk", "Most days", "Yes"],
        ["R_3", "amara.adams1@brent.example.gov.uk", "Never", "No"],
        ["R_4", "nobody@example.org", "Never", "Yes"],
    ]
    with pytest.raises(IngestRejected) as caught:
        ingest(roster_db, "survey", write_csv(tmp_path / "s.csv", rows), now=NOW)
    found = {
        (p.line, p.column, p.expected.split(" (")[0].split(" [")[0]) for p in caught.value.problems
    }
    assert (2, "Frequency", "one of") in found
    assert (3, "ResponseId", "each response once") in found
    assert (4, "RecipientEmail", "one response per person") in found
    assert any(p.line == 5 and "on the roster" in p.expected for p in caught.value.problems)


def test_file_without_survey_questions_is_the_wrong_kind(roster_db, fixture_dir):
    with pytest.raises(IngestRejected) as caught:
        ingest(roster_db, "survey", fixture_dir / "brent_sessions.csv", now=NOW)
    assert caught.value.problems[0].line == 0


def test_anonymous_response_without_authority_is_reported(tmp_path, write_csv):
    rows = [["Frequency", "Continue"], ["Most days", "Yes"]]
    with pytest.raises(IngestRejected) as caught:
        ingest(tmp_path / "u.db", "survey", write_csv(tmp_path / "s.csv", rows), now=NOW)
    assert "--authority" in caught.value.problems[0].expected
