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


QUALTRICS = ["ResponseId", "Finished", "Progress", "RecipientEmail", "Q1", "Q2"]
LABELS = ["Response ID", "Finished", "Progress", "Recipient Email", "How often?", "Continue?"]


def qualtrics(tmp_path, write_csv, rows):
    imports = [f'{{"ImportId":"{name}"}}' for name in QUALTRICS]
    return write_csv(tmp_path / "q.csv", [QUALTRICS, LABELS, imports, *rows])


def test_partial_responses_are_counted_apart_and_stored_flagged(roster_db, tmp_path, write_csv):
    rows = [
        ["R_1", "True", "100", "amara.adams1@brent.example.gov.uk", "Definitely yes", "Yes"],
        ["R_2", "False", "40", "ben.begum2@brent.example.gov.uk", "2-3 times a week", ""],
        ["R_3", "1", "100", "ben.begum2@brent.example.gov.uk", "Every day", "Probably not"],
    ]
    rows[0][4], rows[0][5] = "Daily", "Definitely yes"
    report = ingest(roster_db, "survey", qualtrics(tmp_path, write_csv, rows), now=NOW)
    assert (report.rows_read, report.rows_accepted, report.partial) == (3, 3, 1)
    assert "1 of the accepted are partial" in report.summary()
    with sqlite3.connect(roster_db) as conn:
        stored = conn.execute(
            "SELECT frequency, intention, finished FROM survey_responses ORDER BY finished"
        ).fetchall()
    assert stored == [
        ("several times a week", None, 0),
        ("most days", "yes", 1),
        ("most days", "no", 1),
    ]


def test_progress_alone_marks_partial_responses(tmp_path, write_csv):
    rows = [["Authority", "Progress", "Frequency"], ["Brent", "100", "Weekly"], ["Brent", "60", ""]]
    report = ingest(tmp_path / "u.db", "survey", write_csv(tmp_path / "p.csv", rows), now=NOW)
    assert report.partial == 1


def test_once_a_week_or_less_is_its_own_band_and_a_map_can_say_otherwise(
    tmp_path, write_csv, fixture_dir
):
    from usage.ingest import column_map_from

    rows = [["Authority", "Frequency", "Continue"], ["Coventry", "Once a week or less", "Yes"]]
    path = write_csv(tmp_path / "s.csv", rows)
    ingest(tmp_path / "u.db", "survey", path, now=NOW)
    assert answers(tmp_path / "u.db") == [("Coventry", "once a week or less", "yes", None)]
    column_map = column_map_from(fixture_dir / "columns_example.toml")  # maps it on
    ingest(tmp_path / "m.db", "survey", path, now=NOW, column_map=column_map)
    assert answers(tmp_path / "m.db") == [("Coventry", "less than once a week", "yes", None)]


def test_a_survey_on_the_three_point_scale_is_counted_on_it():
    from usage.metrics.survey import build_survey
    from usage.model import COARSE_FREQUENCIES, ReportOptions

    said = ["most days"] * 2 + ["several times a week"] * 3 + ["once a week or less"] * 6
    said += ["never"]  # another survey's answer: read on the three-point scale too
    responses = pd.DataFrame(
        {
            "person_id": None,
            "authority": "Coventry",
            "frequency": said,
            "intention": "yes",
            "hours_saved": None,
            "free_text": None,
            "finished": 1,
        }
    )
    tables = build_survey(responses, ReportOptions(min_group=2))
    everyone = tables.frequency[tables.frequency["group"] == "All respondents"]
    assert tuple(everyone["answer"]) == COARSE_FREQUENCIES
    assert everyone["count"].tolist() == [2, 3, 7]
    assert tables.crosstab.index.tolist() == [*COARSE_FREQUENCIES, "total"]


def test_free_text_is_dropped_unless_asked_for(pilot_db):
    with sqlite3.connect(pilot_db) as conn:
        assert conn.execute(
            "SELECT COUNT(*) FROM survey_responses WHERE free_text IS NOT NULL"
        ).fetchone() == (0,)


def test_kept_free_text_is_scrubbed_of_people(roster_db, tmp_path, write_csv):
    rows = [
        ["ResponseId", "RecipientFirstName", "RecipientEmail", "Frequency", "Comments"],
        [
            "R_1",
            "Amara",
            "amara.adams1@brent.example.gov.uk",
            "Most days",
            "Amara here: ask Ben Begum (BRE002, ben.b@brent.gov.uk, 07700 900123) on 2021-03-04.",
        ],
    ]
    path = write_csv(tmp_path / "s.csv", rows)
    ingest(roster_db, "survey", path, now=NOW, keep_free_text=True)
    with sqlite3.connect(roster_db) as conn:
        (text,) = conn.execute("SELECT free_text FROM survey_responses").fetchone()
    assert text == (
        "[removed] here: ask [removed] ([removed], [removed], [removed]) on 2021-03-04."
    )
