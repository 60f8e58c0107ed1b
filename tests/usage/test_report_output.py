"""What the report writes: privacy of every output, small groups, 'no log data', the
workbook's print setup and Notes, the agreement of logs with self-report, partial responses."""

from __future__ import annotations

import zipfile
import zlib

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from cli import main
from usage.metrics.build import build_report
from usage.model import ReportOptions
from usage.store.database import connect

FIRST = ["Amara", "Ben", "Chloe", "Dev", "Ewa", "Farah", "Gareth", "Hana", "Idris", "Jo"]
LAST = ["Okafor", "Nowak", "Brennan", "Patel", "Kowalski", "Haddad", "Llewellyn", "Sato"]


def person(i: int, authority: str) -> dict:
    first, last = FIRST[i % len(FIRST)], LAST[i % len(LAST)]
    return {
        "name": f"{first} {last}{i}",
        "email": f"{first.lower()}.{last.lower()}{i}@{authority.lower()}.example.gov.uk",
        "id": f"{authority[:3].upper()}{i:04d}",
        "authority": authority,
    }


# With session logs: Brent 12 licences, Harrow 3 (a small group), Ealing 6 (hidden too,
# or Harrow = all monitored less Brent and Ealing); Coventry: 8 licences, survey only.
PEOPLE = (
    [person(i, "Brent") for i in range(12)]
    + [person(i, "Harrow") for i in range(12, 15)]
    + [person(i, "Ealing") for i in range(15, 21)]
    + [person(i, "Coventry") for i in range(21, 29)]
)


def ingest(db, kind, path):
    result = CliRunner().invoke(main, ["usage", "ingest", kind, str(path), "--db", str(db)])
    assert result.exit_code == 0, result.output


@pytest.fixture
def named_db(tmp_path, write_csv):
    """A store ingested from files full of names, emails and staff ids."""
    roster = [["Staff ID", "Name", "Email", "Local Authority", "Team", "Role"]]
    roster += [
        [
            p["id"],
            p["name"],
            p["email"],
            p["authority"],
            "Court" if i < 3 else "Assessment" if i < 9 else "Family",
            "Social worker",
        ]
        for i, p in enumerate(PEOPLE)
    ]
    logged = [p for p in PEOPLE if p["authority"] != "Coventry"]
    sessions = [["User ID", "Session Start", "Duration"]]
    for i, p in enumerate(logged[:8] + logged[12:14] + logged[15:18]):
        for day in range(1, 2 + i % 4):
            sessions.append([p["email"], f"2021-03-{day + 7:02d} 10:{i:02d}:00", "00:06:00"])
    survey = [["Email", "Name", "Authority", "Frequency", "Continue", "Comments"]]
    answers = ["Most days", "Several times a week", "Once a week", "Less than once a week"]
    for i, p in enumerate(PEOPLE[:12] + PEOPLE[21:]):
        comment = f"{p['name']} here, call me on 07700 900{i:03d} or {p['email']}"
        survey.append([p["email"], p["name"], p["authority"], answers[i % 4], "Yes", comment])
    db = tmp_path / "usage.db"
    ingest(db, "roster", write_csv(tmp_path / "roster.csv", roster))
    ingest(db, "sessions", write_csv(tmp_path / "sessions.csv", sessions))
    ingest(db, "survey", write_csv(tmp_path / "survey.csv", survey))
    return db


def report(db, out, *extra):
    args = ["usage", "report", "--db", str(db), "--out", str(out)]
    args += ["--from", "2021-03-01", "--to", "2021-03-28", *extra]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return sorted(out.iterdir())


def png_text(data: bytes) -> bytes:
    """Every text chunk (tEXt, zTXt, iTXt) of a PNG, decompressed."""
    chunks, at = [], 8
    while at < len(data):
        length = int.from_bytes(data[at : at + 4], "big")
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        if kind == b"zTXt":
            key, _, rest = body.partition(b"\0")
            chunks.append(key + zlib.decompress(rest[1:]))
        elif kind in (b"tEXt", b"iTXt"):
            chunks.append(body)
        at += 12 + length
    return b"\n".join(chunks)


def output_text(path) -> str:
    """What a reader of the file could see: unzipped xlsx parts, Markdown, PNG metadata."""
    data = path.read_bytes()
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as archive:
            return "\n".join(archive.read(n).decode("utf-8") for n in archive.namelist())
    if path.suffix == ".png":
        assert data.startswith(b"\x89PNG")
        return png_text(data).decode("latin-1")
    return data.decode("utf-8")


def test_no_name_email_or_id_reaches_any_output(named_db, tmp_path):
    # Free text is left out: scrubbing it is the ingest's job (--keep-free-text).
    outputs = report(named_db, tmp_path / "out", "--licence-cost", "50")
    assert len(outputs) == 10
    secrets = set()
    for p in PEOPLE:
        local = p["email"].split("@")[0]
        secrets |= {p["name"], p["email"], p["id"], local, p["name"].split()[1]}
    secrets |= {"07700 900"}
    for path in outputs:
        text = output_text(path).lower()
        leaked = sorted(s for s in secrets if s.lower() in text)
        assert leaked == [], f"{path.name} holds {leaked}"


def test_small_groups_never_shown_on_per_person_sheets(named_db, tmp_path):
    report(named_db, tmp_path / "out")
    workbook = openpyxl.load_workbook(tmp_path / "out" / "usage_report.xlsx")
    for name in ("per licence", "reclaim", "licence review"):
        header = next(workbook[name].iter_rows(min_row=2, max_row=2, values_only=True))
        if "authority" not in header:  # an empty table: its reason
            continue
        rows = list(workbook[name].iter_rows(min_row=3, values_only=True))
        shown = {row[header.index("authority")] for row in rows}
        assert shown and not shown & {"Harrow", "Ealing"}, name
    rows = list(workbook["per licence"].iter_rows(min_row=2, values_only=True))
    table = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    brent = [r for r in table if r["authority"] == "Brent"]
    assert {r["team"] for r in brent} == {
        "other (group under 5)",
        "Assessment",
    }  # Court 3, Family 3
    funnel = [r for r in workbook["funnel"].iter_rows(min_row=3, values_only=True)]
    for authority in ("Harrow", "Ealing"):
        rows = [r for r in funnel if r[1] == authority]
        assert rows and all(r[4] is None and r[8].startswith("suppressed") for r in rows)
    assert any(r[1] == "Brent" and r[4] is not None for r in funnel)


def test_survey_only_people_read_no_log_data_never_zero(named_db, tmp_path):
    report(named_db, tmp_path / "out")
    rows = list(
        openpyxl.load_workbook(tmp_path / "out" / "usage_report.xlsx")["per licence"].iter_rows(
            min_row=2, values_only=True
        )
    )
    table = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    coventry = [r for r in table if r["authority"] == "Coventry"]
    assert len(coventry) == 8
    for r in coventry:
        assert r["sessions"] == r["minutes"] == r["last_active"] == "no log data"
    never = [r for r in table if r["authority"] == "Brent" and r["sessions"] == 0]
    assert never and all(r["last_active"] == "never used" for r in never)


def test_every_sheet_prints_a4_landscape_with_headings_and_notes(named_db, tmp_path):
    report(named_db, tmp_path / "out")
    workbook = openpyxl.load_workbook(tmp_path / "out" / "usage_report.xlsx")
    notes = {
        (row[0], row[1]): row[2]
        for row in workbook["Notes"].iter_rows(values_only=True)
        if row[0] and row[1]
    }
    for sheet in workbook.worksheets:
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert str(sheet.page_setup.paperSize) == str(sheet.PAPERSIZE_A4)
        assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
        if sheet.title == "Notes":
            row = int(sheet.print_title_rows.split(":")[0].strip("$"))
            assert [c.value for c in sheet[row]][:3] == ["sheet", "column", "definition"]
            continue
        assert sheet.print_title_rows == "$1:$2"
        header = [c.value for c in sheet[2]]
        if sheet.max_row == 2 and len([h for h in header if h]) == 1:
            assert len(header[0].split()) > 4, f"{sheet.title}: an empty table says why"
            continue
        for column in header:
            assert (sheet.title, column) in notes, (sheet.title, column)
            assert "Licences or responses in" not in notes[(sheet.title, column)], column
        percents = [i for i, h in enumerate(header) if "percent" in h]
        for row in sheet.iter_rows(min_row=3):
            for i in percents:
                if isinstance(row[i].value, float | int):
                    assert row[i].number_format == '0.0"%"' and 0 <= row[i].value <= 100


def test_logs_against_self_report_agreement(named_db):
    built = build_report(connect(named_db), ReportOptions())
    summary = built.agreement.summary.set_index("authority")
    assert summary.loc["Brent", "matched"] == 12
    table = built.agreement.table
    assert table[table.columns[2:]].to_numpy().sum() == 12
    assert "Coventry" not in summary.index  # no logs there
    hidden = build_report(connect(named_db), ReportOptions(suppress_cells=True)).agreement
    cells = hidden.table[hidden.table.columns[2:]].to_numpy().ravel()
    assert not [c for c in cells if isinstance(c, int) and 0 < c < 5]


def test_partial_responses_are_reported_not_counted(named_db):
    conn = connect(named_db)
    columns = {row[1] for row in conn.execute("PRAGMA table_info(survey_responses)")}
    if "finished" not in columns:  # before the ingest side adds it: the same migration SQL
        conn.execute("ALTER TABLE survey_responses ADD COLUMN finished INTEGER NOT NULL DEFAULT 1")
    keys = [
        k
        for (k,) in conn.execute(
            "SELECT response_key FROM survey_responses WHERE authority = 'Coventry'"
        )
    ]
    conn.executemany(
        "UPDATE survey_responses SET finished = 0 WHERE response_key = ?", [(k,) for k in keys[:4]]
    )
    built = build_report(conn, ReportOptions())
    partial = built.survey.partial.set_index("group")
    # Coventry has 8 responses, 4 finished: a group of 4 is suppressed, partial ones too.
    assert partial.loc["Coventry", "finished"] == 4 and pd.isna(partial.loc["Coventry", "partial"])
    assert partial.loc["All respondents", "partial"] == 4
    freq = built.survey.frequency
    assert (freq.loc[freq["group"] == "Coventry", "text"] == "suppressed").all()
    assert freq.loc[freq["group"] == "All respondents", "answered"].iloc[0] == 16


def test_suppress_cells_hides_small_shares_in_survey_vs_logs(named_db):
    shown = build_report(connect(named_db), ReportOptions()).comparison
    assert shown["survey_percent"].notna().all()
    hidden = build_report(connect(named_db), ReportOptions(suppress_cells=True)).comparison
    brent = hidden[hidden["authority"] == "Brent"]
    counts = (brent["survey_percent"] * brent["survey_n"] / 100).round()
    assert not ((counts > 0) & (counts < 5)).any()
    assert brent["survey_percent"].isna().sum() != 1  # a lone hidden share follows from 100%


def test_a_three_point_survey_is_compared_with_the_logs_on_its_own_scale(named_db, tmp_path):
    from usage.model import COARSE_FREQUENCIES

    conn = connect(named_db)
    conn.execute(
        "UPDATE survey_responses SET frequency = 'once a week or less'"
        " WHERE frequency IN ('once a week', 'less than once a week')"
    )
    conn.commit()
    built = build_report(conn, ReportOptions())
    brent = built.comparison[built.comparison["authority"] == "Brent"]
    assert tuple(brent["frequency"]) == COARSE_FREQUENCIES
    assert brent["logs_percent"].sum() == pytest.approx(100)
    table = built.agreement.table
    assert tuple(table["reported frequency"]) == COARSE_FREQUENCIES
    assert [c[len("logged: ") :] for c in table.columns[2:]] == list(COARSE_FREQUENCIES)
    assert table[table.columns[2:]].to_numpy().sum() == 12
    from usage.report.charts import save_charts

    assert len(save_charts(built, tmp_path)) == 8  # the survey chart draws the band too
