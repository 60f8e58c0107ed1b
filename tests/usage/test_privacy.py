"""Privacy: keyed pseudonyms only, key file 0600 beside the store and never in outputs."""

import stat

from usage.model import ReportOptions
from usage.pseudonym import key_path_for, load_or_create_key, pseudonym
from usage.report.publish import report


def raw_values(fixture_dir):
    """Every email, staff id, name and IP address in the shipped fixtures."""
    import csv

    values = set()
    with (fixture_dir / "roster.csv").open() as handle:
        for row in csv.DictReader(handle):
            values |= {row["Email"], row["Staff ID"], row["Name"], row["Email"].upper()}
    with (fixture_dir / "coventry_survey.csv").open() as handle:
        for row in list(csv.DictReader(handle))[2:]:
            values |= {row["IPAddress"], row["RecipientEmail"], row["RecipientLastName"]}
    return values


def test_no_raw_identifier_name_or_ip_in_the_database_file(pilot_db, fixture_dir):
    data = pilot_db.read_bytes().lower()
    raw = raw_values(fixture_dir)
    assert len(raw) > 100
    leaked = [v for v in raw if v and v.lower().encode() in data]
    assert leaked == []
    assert b"192.0.2." not in data and b"example.gov.uk" not in data


def test_key_file_is_private_and_stable(tmp_path):
    db = tmp_path / "usage.db"
    key = load_or_create_key(db)
    mode = stat.S_IMODE(key_path_for(db).stat().st_mode)
    assert mode == 0o600
    assert load_or_create_key(db) == key
    assert pseudonym(key, " Ann@X.gov.uk") == pseudonym(key, "ann@x.gov.uk")
    assert pseudonym(key, "ann@x.gov.uk") != pseudonym(b"k" * 32, "ann@x.gov.uk")


def test_outputs_hold_neither_key_nor_free_text_by_default(pilot_db, tmp_path):
    key_hex = key_path_for(pilot_db).read_text().strip()
    files = report(pilot_db, ReportOptions(), tmp_path / "out")
    for path in files.paths:
        data = path.read_bytes()
        assert key_hex.encode() not in data
        assert b"accents" not in data  # a survey comment
    assert "free text" not in files.workbook.read_bytes().decode("latin-1")
