"""Dates and clocks: the file's date order, the autumn repeated hour, the spring gap, UTC logs."""

import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from usage.ingest import ingest
from usage.model import IngestRejected
from usage.readers.parse import Clock, order_evidence, parse_datetimes

NOW = pd.Timestamp("2022-06-01", tz="UTC")
A = "amara.adams1@brent.example.gov.uk"
B = "ben.begum2@brent.example.gov.uk"
HEADER = ["User ID", "Session Start", "Duration"]


def starts(db) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT person_id, datetime(start_utc, 'unixepoch') FROM sessions ORDER BY 1, 2"
        ).fetchall()


@pytest.fixture
def autumn_db(tmp_path, write_csv):
    """Two people licensed over the 2021 autumn clock change."""
    db = tmp_path / "u.db"
    roster = [
        ["Email", "Authority", "Licence Start", "Licence End"],
        [A, "Brent", "2021-10-01", "2021-11-30"],
        [B, "Brent", "2021-10-01", "2021-11-30"],
    ]
    ingest(db, "roster", write_csv(tmp_path / "r.csv", roster), now=NOW)
    return db


def test_two_sessions_in_the_repeated_hour_are_both_kept(autumn_db, tmp_path, write_csv):
    rows = [
        HEADER,
        [A, "31/10/2021 01:30:00", "00:10:00"],  # first pass: BST, 00:30 UTC
        [B, "31/10/2021 01:45:00", "00:10:00"],  # B's only pass through the hour: BST
        [A, "31/10/2021 01:30:00", "00:10:00"],  # same wall time again: GMT, 01:30 UTC
        [A, "31/10/2021 01:50:00", "00:05:00"],  # still the second pass: GMT
    ]
    report = ingest(autumn_db, "sessions", write_csv(tmp_path / "s.csv", rows), now=NOW)
    assert report.rows_new == 4
    assert "hour the clocks went back" in report.summary()
    assert starts(autumn_db) == [
        (1, "2021-10-31 00:30:00"),
        (1, "2021-10-31 01:30:00"),
        (1, "2021-10-31 01:50:00"),
        (2, "2021-10-31 00:45:00"),
    ]


AUTUMN = [
    [A, "31/10/2021 00:40:00", "00:10:00"],  # before the hour: BST, 23:40 UTC the day before
    [A, "31/10/2021 01:30:00", "00:10:00"],  # first pass: BST, 00:30 UTC
    [B, "31/10/2021 01:45:00", "00:10:00"],  # BST: another person's time goes back after it
    [A, "31/10/2021 01:20:00", "00:10:00"],  # goes back: GMT, 01:20 UTC
    [B, "31/10/2021 01:50:00", "00:05:00"],  # after the turn: GMT, 01:50 UTC
    [A, "31/10/2021 02:30:00", "00:05:00"],  # after the hour: GMT
]
AUTUMN_UTC = [
    (1, "2021-10-30 23:40:00"),
    (1, "2021-10-31 00:30:00"),
    (1, "2021-10-31 01:20:00"),
    (1, "2021-10-31 02:30:00"),
    (2, "2021-10-31 00:45:00"),
    (2, "2021-10-31 01:50:00"),
]


def test_the_repeated_hour_is_placed_by_the_files_time_order(autumn_db, tmp_path, write_csv):
    report = ingest(
        autumn_db, "sessions", write_csv(tmp_path / "s.csv", [HEADER, *AUTUMN]), now=NOW
    )
    assert report.rows_new == 6
    assert starts(autumn_db) == AUTUMN_UTC


def test_rows_grouped_by_person_in_time_order_are_placed_the_same(autumn_db, tmp_path, write_csv):
    by_person = sorted(AUTUMN, key=lambda row: row[0])  # stable: each person's order kept
    b_turns = [[B, "31/10/2021 01:40:00", "00:05:00"]]  # B's own times go back too
    path = write_csv(tmp_path / "s.csv", [HEADER, *by_person, *b_turns])
    ingest(autumn_db, "sessions", path, now=NOW)
    # Alone, B's 01:45 and 01:50 both come before B's own turn: both summer time.
    b_starts = [(2, "2021-10-31 00:45:00"), (2, "2021-10-31 00:50:00"), (2, "2021-10-31 01:40:00")]
    assert starts(autumn_db) == [*AUTUMN_UTC[:4], *b_starts]


@pytest.mark.parametrize("order", [[5, 4, 3, 2, 1, 0], [0, 3, 1, 2, 4, 5], [1, 0, 2, 3, 4, 5]])
def test_shuffled_rows_are_refused_never_read_another_way(autumn_db, tmp_path, write_csv, order):
    before = Path(autumn_db).read_bytes()
    path = write_csv(tmp_path / "s.csv", [HEADER, *(AUTUMN[i] for i in order)])
    with pytest.raises(IngestRejected) as refused:
        ingest(autumn_db, "sessions", path, now=NOW)
    text = "\n".join(str(problem) for problem in refused.value.problems)
    assert "repeated when the clocks went back" in text
    # Shuffled, the rows either break time order or (in order 1) never go back.
    assert "not in time order" in text or "no time in the file goes back" in text
    assert "--timezone UTC" in text
    assert Path(autumn_db).read_bytes() == before


def test_a_repeated_hour_time_nothing_places_is_refused_with_its_line(
    autumn_db, tmp_path, write_csv
):
    rows = [HEADER, [A, "31/10/2021 00:40:00", "00:10:00"], [A, "31/10/2021 01:30:00", "00:10:00"]]
    with pytest.raises(IngestRejected) as refused:
        ingest(autumn_db, "sessions", write_csv(tmp_path / "s.csv", rows), now=NOW)
    [problem] = refused.value.problems
    assert problem.line == 3 and problem.column == "Session Start"
    assert "no time in the file goes back" in problem.expected


def test_a_log_in_utc_is_read_as_utc(autumn_db, tmp_path, write_csv):
    rows = [HEADER, [A, "31/10/2021 01:30:00", "00:10:00"], [A, "31/10/2021 01:31", "1m"]]
    path = write_csv(tmp_path / "s.csv", rows)
    ingest(autumn_db, "sessions", path, now=NOW, clock=Clock("UTC"))
    assert starts(autumn_db) == [(1, "2021-10-31 01:30:00"), (1, "2021-10-31 01:31:00")]


def test_a_time_in_the_spring_gap_is_an_error_never_shifted():
    values, errors = parse_datetimes(pd.Series(["2021-03-28 01:30", "2021-03-28 02:00"]))
    assert pd.isna(values.iloc[0]) and "--timezone UTC" in errors.iloc[0]
    assert values.iloc[1] == pd.Timestamp("2021-03-28 01:00", tz="UTC")


def test_another_zone_can_be_named():
    values, _ = parse_datetimes(pd.Series(["2021-03-01 09:00"]), Clock("America/New_York"))
    assert values.iloc[0] == pd.Timestamp("2021-03-01 14:00", tz="UTC")
    with pytest.raises(ValueError, match="unknown time zone"):
        Clock("Europe/Londn")


@pytest.mark.parametrize(
    ("values", "day_first", "month_first", "ambiguous"),
    [
        (["13/03/2021", "01/03/2021"], 0, None, True),
        (["3/1/2021 8:26:17 AM", "3/14/2021 1:00 PM"], None, 1, True),
        (["01/01/2021", "2021-03-01"], None, None, False),  # day == month reads the same
        (["2021/03/13", "44256.5"], None, None, False),
    ],
)
def test_order_evidence(values, day_first, month_first, ambiguous):
    found = order_evidence(pd.Series(values))
    assert (found.day_first_row, found.month_first_row, found.ambiguous) == (
        day_first,
        month_first,
        ambiguous,
    )


def test_order_is_found_across_every_date_column_of_the_file(autumn_db, tmp_path, write_csv):
    rows = [
        ["User ID", "Start", "End"],
        [A, "10/01/2021 10:00", "10/01/2021 10:05"],
        [A, "10/02/2021 10:00", "10/30/2021 10:05"],  # only the end shows month-first
    ]
    path = write_csv(tmp_path / "s.csv", rows)
    with pytest.raises(IngestRejected) as caught:  # 30 hours is too long: but read as US order
        ingest(autumn_db, "sessions", path, now=NOW)
    assert [p.line for p in caught.value.problems] == [3]
    assert "24 hours" in caught.value.problems[0].expected


def test_given_order_overrides_and_a_wrong_one_is_located(autumn_db, tmp_path, write_csv):
    rows = [HEADER, [A, "01/10/2021 10:00", "1m"], [A, "10/13/2021 10:00", "1m"]]
    path = write_csv(tmp_path / "s.csv", rows)
    with pytest.raises(IngestRejected) as caught:
        ingest(autumn_db, "sessions", path, now=NOW, clock=Clock(order="dmy"))
    assert [(p.line, "month would be over 12" in p.expected) for p in caught.value.problems] == [
        (3, True)
    ]


def test_a_column_kept_as_a_day_reads_the_repeated_hour_without_refusing():
    raw = pd.Series(["2021-10-31 01:30", "2021-10-20 09:00"])  # one time, nothing to place it
    exact, errors = parse_datetimes(raw)
    assert exact.isna().iloc[0] and "repeated when the clocks went back" in errors.iloc[0]
    days, errors = parse_datetimes(raw, day_only=True)
    assert errors.isna().all()
    assert days.dt.tz_convert("Europe/London").dt.date.astype(str).tolist() == [
        "2021-10-31",
        "2021-10-20",
    ]
