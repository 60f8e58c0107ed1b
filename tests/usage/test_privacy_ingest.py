"""Privacy at ingest: files full of names, emails and ids leave none of them in the database
file, its journal, or the rejects file, even with free text kept."""

import sqlite3

import pandas as pd
import pytest

import usage.store.database
from usage.ingest import ingest

NOW = pd.Timestamp("2021-06-01", tz="UTC")
PEOPLE = [
    ("SW0417", "Rhiannon Okonkwo-Fairweather", "rhiannon.okonkwo@northshire.example.gov.uk"),
    ("SW0932", "Bartholomew Achterberg", "b.achterberg@northshire.example.gov.uk"),
    ("SW1188", "Oluwaseun Van der Berg", "oluwaseun.vdb@northshire.example.gov.uk"),
]
OUTSIDER = ("Zebedee Quartermaine", "zebedee.q@elsewhere.example.org", "+44 7700 900456")


def secrets() -> list[str]:
    words = [OUTSIDER[1], OUTSIDER[2], "7700 900456", "Zebedee.Q"]
    for staff_id, name, email in PEOPLE:
        parts = [w for w in name.split() if len(w) > 3]  # "der" is inside "under"
        words += [staff_id, name, email, *parts, email.split("@")[0]]
    return words


@pytest.fixture
def persistent_journal(monkeypatch):
    """Keep SQLite's rollback journal on disk after each transaction, so it can be read."""
    connect = usage.store.database.connect

    def keep_journal(path):
        conn = connect(path)
        conn.execute("PRAGMA journal_mode = PERSIST")
        return conn

    monkeypatch.setattr(usage.store.database, "connect", keep_journal)


def test_no_name_email_or_id_reaches_the_database_journal_or_rejects(
    tmp_path, write_csv, persistent_journal
):
    db = tmp_path / "usage.db"
    roster = [["Staff ID", "Name", "Email", "Authority", "Licence Start", "Licence End"]]
    roster += [[i, n, e, "Northshire", "2021-03-01", "2021-03-28"] for i, n, e in PEOPLE]
    ingest(db, "roster", write_csv(tmp_path / "roster.csv", roster), now=NOW)
    sessions = [["User ID", "Session Start", "Duration", "Device"]]
    sessions += [[e, "2021-03-02 10:00", "00:05:00", f"{n}'s iPhone"] for _, n, e in PEOPLE]
    sessions += [[OUTSIDER[1], "2021-03-02 11:00", "00:05:00", f"call {OUTSIDER[2]}"]]
    ingest(db, "sessions", write_csv(tmp_path / "s.csv", sessions), now=NOW, skip_bad=True)
    survey = [["ResponseId", "RecipientFirstName", "RecipientLastName", "RecipientEmail"]]
    survey[0] += ["Frequency", "Comments"]
    comments = [
        f"Ask {PEOPLE[1][1]} or {PEOPLE[2][1].split()[0]} ({PEOPLE[2][0]}); I'm {PEOPLE[0][1]}",
        f"Call {OUTSIDER[2]} or mail {OUTSIDER[1]}, says {PEOPLE[0][2]}",
        f"{PEOPLE[1][1].upper()} and {PEOPLE[1][2].split('@')[0]} liked it",
    ]
    for n, ((_, name, email), comment) in enumerate(zip(PEOPLE, comments, strict=True)):
        first, last = name.split(" ", 1)
        survey.append([f"R_{n}", first, last, email, "Most days", comment])
    survey.append(["R_9", OUTSIDER[0], "", OUTSIDER[1], "Hourly", f"{OUTSIDER[0]} here"])
    path = write_csv(tmp_path / "survey.csv", survey)
    report = ingest(db, "survey", path, now=NOW, skip_bad=True, keep_free_text=True)
    assert (report.rows_accepted, report.rows_rejected) == (3, 1)

    journal = db.with_name(db.name + "-journal")
    rejects = sorted(tmp_path.glob("*.rejects.csv"))
    assert journal.exists() and len(rejects) == 2
    for path in (db, journal, *rejects):
        data = path.read_bytes().lower()
        leaked = [word for word in secrets() if word.lower().encode() in data]
        assert leaked == [], path.name
    with sqlite3.connect(db) as conn:
        kept = [row[0] for row in conn.execute("SELECT free_text FROM survey_responses")]
    assert all("[removed]" in text for text in kept) and "liked it" in kept[2]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call 07700 900123 or (020) 7946 0000", "call [removed] or [removed]"),
        ("+44 7700 900456, found 'z.q@x.org'", "[removed], found '[removed]'"),
        ("2021-03-02 11:00 and 02-03-2021 10:00", "2021-03-02 11:00 and 02-03-2021 10:00"),
        ("0.5 hours, 3 of 10 days", "0.5 hours, 3 of 10 days"),
        ("Ann Lee's notes; ann.lee said", "[removed]'s notes; [removed] said"),
        ("Annual leave", "Annual leave"),
    ],
)
def test_scrub_removes_people_not_dates_or_numbers(text, expected):
    from usage.pseudonym import pseudonym
    from usage.readers.scrub import name_parts, scrub

    key = b"k" * 32
    parts = name_parts("Ann Lee") | name_parts("ann.lee@x.gov.uk")
    assert scrub(text, key, frozenset(pseudonym(key, p) for p in parts)) == expected
