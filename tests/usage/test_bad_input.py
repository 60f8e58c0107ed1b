"""A corpus of bad and awkward files, each driven through the CLI.

Every file is either ingested with the right figures, or refused whole: exit
code 2, the file and line (or "whole file") named, and the database file
byte-for-byte unchanged with no journal left behind.
"""

from __future__ import annotations

import codecs
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from usage.commands import usage
from usage.ingest import ingest

NOW = pd.Timestamp("2021-06-01", tz="UTC")
A = "amara.adams1@brent.example.gov.uk"  # Brent licence 01/03/2021 to 28/03/2021
B = "ben.begum2@brent.example.gov.uk"
SESSIONS = "User ID,Session Start,Duration\n"
TOTALS = "User,Cumulative Minutes,Number of Sessions,Period Start,Period End\n"
ACTIVITY = "User,Login Count,Last Login,Period Start,Period End\n"


def text(body: str) -> bytes:
    return body.encode("utf-8")


# (name, kind, file name, bytes, extra CLI options, what the message must name)
REFUSED = [
    ("empty file", "sessions", "empty.csv", b"", [], ["empty.csv line 1", "an empty file"]),
    ("only blank lines", "sessions", "blank.csv", b"\n\n  \n", [], ["blank.csv line 1"]),
    ("header only", "sessions", "header.csv", text(SESSIONS), [], ["header.csv", "no data rows"]),
    (
        "row with a cell too many",
        "sessions",
        "wide.csv",
        text(SESSIONS + f"{A},13/03/2021 10:00,00:05:00\n{A},14/03/2021 10:00,00:05:00,x\n"),
        [],
        ["wide.csv line 3", "a row of 4 cells", "3 cells"],
    ),
    (
        "row with a cell missing",
        "sessions",
        "narrow.csv",
        text(SESSIONS + f"{A},13/03/2021 10:00,00:05:00\n{A},14/03/2021 10:00\n"),
        [],
        ["narrow.csv line 3", "a row of 2 cells"],
    ),
    (
        "quote never closed",
        "sessions",
        "quote.csv",
        text(SESSIONS + f'{A},13/03/2021 10:00,00:05:00\n"{A},14/03/2021 10:00,00:05:00\n'),
        [],
        ["quote.csv line", "broken quote"],
    ),
    (
        "ragged row in a quoted file",
        "sessions",
        "quoted.csv",
        text(SESSIONS + f'"{A}",13/03/2021 10:00,00:05:00\n"{A}",14/03/2021 10:00\n'),
        [],
        ["quoted.csv line 3", "a row of 2 cells"],
    ),
    (
        "every day 12 or under",
        "sessions",
        "ambiguous.csv",
        text(SESSIONS + f"{A},01/03/2021 10:00,00:05:00\n{A},02/03/2021 10:00,00:05:00\n"),
        [],
        ["ambiguous.csv whole file", "--date-order dmy"],
    ),
    (
        "both date orders in one file",
        "sessions",
        "mixed.csv",
        text(SESSIONS + f"{A},13/03/2021 10:00,00:05:00\n{A},03/14/2021 10:00,00:05:00\n"),
        [],
        ["mixed.csv whole file", "line 2", "line 3", "one date order"],
    ),
    (
        "a date in the future",
        "sessions",
        "future.csv",
        text(SESSIONS + f"{A},13/03/2031 10:00,00:05:00\n"),
        ["--allow-outside-licence"],
        ["future.csv line 2, column 'Session Start'", "not in the future"],
    ),
    (
        "a session over 24 hours",
        "sessions",
        "long.csv",
        text(SESSIONS + f"{A},13/03/2021 10:00,25:00:00\n"),
        [],
        ["long.csv line 2, column 'Duration'", "no longer than 24 hours"],
    ),
    (
        "a negative duration",
        "sessions",
        "negative.csv",
        text(SESSIONS + f"{A},13/03/2021 10:00,-00:05:00\n"),
        [],
        ["negative.csv line 2, column 'Duration'", "0 or more"],
    ),
    (
        "a user not on the roster",
        "sessions",
        "stranger.csv",
        text(SESSIONS + "stranger@example.org,13/03/2021 10:00,00:05:00\n"),
        [],
        ["stranger.csv line 2, column 'User ID'", "on the roster"],
    ),
    (
        "formula text as a user name",
        "sessions",
        "formula.csv",
        text(SESSIONS + '"=HYPERLINK(""http://x"",""y"")",13/03/2021 10:00,00:05:00\n'),
        [],
        ["formula.csv line 2, column 'User ID'", "on the roster"],
    ),
    (
        "a renamed column without a map",
        "sessions",
        "renamed.csv",
        text(f"Work Email,Session Start,Duration\n{A},13/03/2021 10:00,00:05:00\n"),
        [],
        ["renamed.csv whole file, column 'user'", "Work Email"],
    ),
    (
        "a time inside the spring gap",
        "sessions",
        "gap.csv",
        text(SESSIONS + f"{A},28/03/2021 01:30,00:05:00\n"),
        [],
        ["gap.csv line 2, column 'Session Start'", "--timezone UTC"],
    ),
    (
        "a session after the licence ended",
        "sessions",
        "late.csv",
        text(SESSIONS + f"{A},13/03/2021 10:00,00:05:00\n{A},15/04/2021 10:00,00:05:00\n"),
        [],
        ["late.csv line 3, column 'Session Start'", "licence window"],
    ),
    (
        "a 12-hour clock with hour 13",
        "sessions",
        "pm.csv",
        text(SESSIONS + f"{A},3/13/2021 1:05 PM,00:05:00\n{A},3/14/2021 13:05 PM,00:05:00\n"),
        [],
        ["pm.csv line 3, column 'Session Start'", "1 to 12"],
    ),
    (
        "a two-digit year",
        "sessions",
        "year.csv",
        text(SESSIONS + f"{A},13/03/2021 10:00,00:05:00\n{A},14/03/21 10:00,00:05:00\n"),
        [],
        ["year.csv line 3", "four-digit year"],
    ),
    (
        "the 31st of February",
        "sessions",
        "feb.csv",
        text(SESSIONS + f"{A},13/03/2021 10:00,00:05:00\n{A},31/02/2021 10:00,00:05:00\n"),
        [],
        ["feb.csv line 3", "real calendar date"],
    ),
    (
        "a totals file given as sessions",
        "sessions",
        "kind.csv",
        text(TOTALS + f"{A},12.5,3,01/03/2021,28/03/2021\n"),
        [],
        ["kind.csv whole file", "looks like a totals file"],
    ),
    (
        "a workbook renamed .csv",
        "sessions",
        "renamed_xlsx.csv",
        b"PK\x03\x04" + b"\x00" * 40,
        [],
        ["renamed_xlsx.csv whole file", "binary content"],
    ),
    (
        "bytes neither UTF-8 nor Windows-1252",
        "sessions",
        "bytes.csv",
        text(SESSIONS + f"{A},13/03/2021 10:00,00:05:00\n") + b"\x81bad,13/03/2021,00:01:00\n",
        [],
        ["bytes.csv line 3", "neither UTF-8 nor Windows-1252"],
    ),
    (
        "two overlapping periods for one person",
        "totals",
        "overlap.csv",
        text(TOTALS + f"{A},12.5,3,01/03/2021,14/03/2021\n{A},20,4,08/03/2021,21/03/2021\n"),
        [],
        ["overlap.csv line 3", "overlapping 2021-03-01 to 2021-03-14 on line 2"],
    ),
    (
        "a comma inside a number in a comma file",
        "totals",
        "comma.csv",
        text(TOTALS + f'{A},"1,5",3,01/03/2021,28/03/2021\n'),
        [],
        ["comma.csv line 2, column 'Cumulative Minutes'"],
    ),
    (
        "a survey label we do not know",
        "survey",
        "label.csv",
        text("Authority,Frequency,Continue\nBrent,Weekly-ish,Yes\n"),
        [],
        ["label.csv line 2, column 'Frequency'", "answer_scales.toml"],
    ),
    (
        "the same survey response twice",
        "survey",
        "dupe.csv",
        text("ResponseId,Authority,Frequency\nR_1,Brent,Most days\nR_1,Brent,Never\n"),
        [],
        ["dupe.csv line 3, column 'ResponseId'", "each response once"],
    ),
    (
        "a negative word count",
        "sessions",
        "words.csv",
        text("User ID,Session Start,Duration,Words\n" + f"{A},13/03/2021 10:00,00:05:00,-4\n"),
        [],
        ["words.csv line 2, column 'Words'", "0 or more"],
    ),
    (
        "a licence that ends before it starts",
        "roster",
        "roster.csv",
        text("Email,Authority,Licence Start,Licence End\nz@x.gov.uk,Brent,13/03/2021,01/03/2021\n"),
        [],
        ["roster.csv line 2, column 'Licence End'", "on or after its start"],
    ),
    (
        "a negative login count",
        "activity",
        "logins.csv",
        text(ACTIVITY + f"{A},-1,,01/03/2021,28/03/2021\n"),
        [],
        ["logins.csv line 2, column 'Login Count'", "0 or more"],
    ),
    (
        "an activity export without its period",
        "activity",
        "noperiod.csv",
        text(f"User,Login Count,Last Login\n{A},3,13/03/2021\n"),
        [],
        ["noperiod.csv whole file, column 'period_start'"],
    ),
    (
        "a last login after the period",
        "activity",
        "lastlogin.csv",
        text(ACTIVITY + f"{A},3,27/03/2021,01/03/2021,14/03/2021\n"),
        [],
        ["lastlogin.csv line 2, column 'Last Login'", "a day in the period"],
    ),
    (
        "a Qualtrics export of previews only",
        "survey",
        "preview.csv",
        text("ResponseId,Status,Authority,Frequency\nR_1,Survey Preview,Brent,Most days\n"),
        [],
        ["preview.csv whole file", "no data rows (1 preview or test response(s))"],
    ),
]


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A store with the roster and the Brent totals for March, built once."""
    from usage.pseudonym import key_path_for

    folder = tmp_path_factory.mktemp("template")
    path = folder / "usage.db"
    fixtures = Path(__file__).resolve().parents[2] / "fixtures" / "usage"
    ingest(path, "roster", fixtures / "roster.csv", now=NOW)
    ingest(path, "totals", fixtures / "brent_totals.csv", now=NOW)
    assert key_path_for(path).exists()
    return path


@pytest.fixture
def db(tmp_path: Path, template: Path) -> Path:
    """A private copy of the template store and its key."""
    for suffix in ("", ".key"):
        shutil.copy2(template.with_name(template.name + suffix), tmp_path / f"usage.db{suffix}")
    return tmp_path / "usage.db"


def run(db: Path, kind: str, path: Path, *options: str):
    args = ["ingest", kind, str(path), "--db", str(db), *options]
    return CliRunner().invoke(usage, args, catch_exceptions=False)


@pytest.mark.parametrize(
    ("kind", "name", "content", "options", "named"),
    [case[1:] for case in REFUSED],
    ids=[case[0] for case in REFUSED],
)
def test_bad_file_is_refused_whole_and_the_store_is_unchanged(
    db, tmp_path, kind, name, content, options, named
):
    path = tmp_path / name
    path.write_bytes(content)
    before = db.read_bytes()
    result = run(db, kind, path, *options)
    assert result.exit_code == 2, result.output
    for words in named:
        assert words in result.output
    assert "Traceback" not in result.output
    assert db.read_bytes() == before
    assert not db.with_name(db.name + "-journal").exists()


def test_corpus_is_large_enough():
    assert len(REFUSED) + len(ACCEPTED) >= 30


def stored(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def sessions_of(db: Path) -> list[tuple]:
    return stored(
        db,
        "SELECT datetime(start_utc, 'unixepoch'), duration_s FROM sessions ORDER BY start_utc",
    )


def write_utf8_bom(path: Path) -> None:
    path.write_bytes(codecs.BOM_UTF8 + text(SESSIONS + f"{A},13/03/2021 10:00,00:05:00\n"))


def write_utf16_tabs(path: Path) -> None:
    body = SESSIONS.replace(",", "\t") + f"{A}\t13/03/2021 10:00\t00:05:00\n"
    path.write_bytes(body.replace("\n", "\r\n").encode("utf-16"))  # Excel "Unicode text"


def write_cp1252_semicolons(path: Path) -> None:
    body = "User;Cumulative Minutes;Number of Sessions;Period Start;Period End;Note\r\n"
    body += f"{A};12,5;3;01/03/2021;28/03/2021;Siân’s “notes”\r\n"
    path.write_bytes(body.encode("cp1252"))


def write_us_twelve_hour(path: Path) -> None:
    rows = f"{A},3/13/2021 8:26:17 AM,00:05:00\n{A},3/1/2021 12:05:00 PM,00:01:00\n"
    path.write_bytes(text(SESSIONS + rows))


def write_xlsx(path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["User ID", "Session Start", "Duration (seconds)"])
    sheet.append([A, datetime(2021, 3, 2, 10, 0), 300])
    sheet.append([A, "03/02/2021 11:00", 60])  # text typed by hand: the cells show no order
    workbook.save(path)


def write_blank_lines_and_multiline(path: Path) -> None:
    body = "User ID,Session Start,Duration,Device\n\n"
    body += f'{A},13/03/2021 10:00,00:05:00,"an old\nphone"\n\n{A},14/03/2021 10:00,00:01:00,=1+1\n'
    path.write_bytes(text(body))


# (name, kind, file name, writer, CLI options, SQL, expected rows)
ACCEPTED = [
    (
        "UTF-8 with a byte-order mark",
        "sessions",
        "bom.csv",
        write_utf8_bom,
        [],
        None,
        [("2021-03-13 10:00:00", 300)],
    ),
    (
        "UTF-16 tab-separated (Excel Unicode text)",
        "sessions",
        "unicode.txt",
        write_utf16_tabs,
        [],
        None,
        [("2021-03-13 10:00:00", 300)],
    ),
    (
        "Windows-1252, semicolons and a decimal comma",
        "totals",
        "european.csv",
        write_cp1252_semicolons,
        [],
        "SELECT minutes, sessions FROM totals WHERE ingest_id = (SELECT MAX(ingest_id)"
        " FROM ingests)",
        [(12.5, 3)],
    ),
    (
        "US month-first dates with a 12-hour clock",
        "sessions",
        "us.csv",
        write_us_twelve_hour,
        [],
        None,
        [("2021-03-01 12:05:00", 60), ("2021-03-13 08:26:17", 300)],
    ),
    (
        "ISO 8601 with and without an offset",
        "sessions",
        "iso.csv",
        lambda p: p.write_bytes(
            text(
                SESSIONS
                + f"{A},2021-03-13T10:00:00+01:00,00:05:00\n{A},2021-03-13T10:00:00,00:01:00\n"
            )
        ),
        [],
        None,
        [("2021-03-13 09:00:00", 300), ("2021-03-13 10:00:00", 60)],
    ),
    (
        "a UTC vendor log across the spring change",
        "sessions",
        "utc.csv",
        lambda p: p.write_bytes(text(SESSIONS + f"{A},28/03/2021 01:30,00:05:00\n")),
        ["--timezone", "UTC"],
        None,
        [("2021-03-28 01:30:00", 300)],
    ),
    (
        "an Excel workbook with date-time cells and hand-typed text",
        "sessions",
        "log.xlsx",
        write_xlsx,
        ["--date-order", "mdy"],
        None,
        [("2021-03-02 10:00:00", 300), ("2021-03-02 11:00:00", 60)],
    ),
    (
        "blank lines, a cell over two lines and formula text in a device",
        "sessions",
        "awkward.csv",
        write_blank_lines_and_multiline,
        [],
        "SELECT duration_s, device FROM sessions ORDER BY start_utc",
        [(300, "an old\nphone"), (60, "=1+1")],
    ),
]


@pytest.mark.parametrize(
    ("kind", "name", "writer", "options", "sql", "expected"),
    [case[1:] for case in ACCEPTED],
    ids=[case[0] for case in ACCEPTED],
)
def test_awkward_file_is_ingested_with_the_right_figures(
    db, tmp_path, kind, name, writer, options, sql, expected
):
    path = tmp_path / name
    writer(path)
    result = run(db, kind, path, *options)
    assert result.exit_code == 0, result.output
    assert (stored(db, sql) if sql else sessions_of(db)) == expected


def test_rejects_file_line_numbers_survive_blank_lines_and_multiline_cells(db, tmp_path):
    path = tmp_path / "skip.csv"
    body = "User ID,Session Start,Duration,Device\n\n"
    body += f'{A},13/03/2021 10:00,00:05:00,"two\nlines"\n{A},14/03/2021 10:00,99:00:00,x\n'
    path.write_bytes(text(body))
    result = run(db, "sessions", path, "--skip-bad")
    assert result.exit_code == 0, result.output
    assert "2 rows read = 1 accepted (1 new) + 1 rejected + 0 skipped" in result.output
    assert (tmp_path / "skip.rejects.csv").read_text().splitlines()[1].startswith("5,")
