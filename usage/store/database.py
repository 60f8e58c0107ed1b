"""The SQLite store: schema by named migrations, one transaction per ingest.

Only pseudonyms (see :mod:`usage.pseudonym`) are stored, never a raw
identifier, name or IP address. Times are stored as UTC epoch seconds, with the
Europe/London calendar day beside them so weekly and daily counts need no
time-zone arithmetic in SQL.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

SESSIONS_BY_DAY = "CREATE INDEX sessions_by_day ON sessions (local_day)"
BULK_ROWS = 50_000
BULK_CACHE_KIB = -65_536  # a 64 MB page cache while loading a large log

MIGRATIONS: tuple[tuple[str, str], ...] = (
    (
        "0001_initial_tables",
        """
        CREATE TABLE people (
            person_id INTEGER PRIMARY KEY,
            pseudonym TEXT NOT NULL UNIQUE,
            authority TEXT NOT NULL,
            team TEXT NOT NULL DEFAULT '',
            role TEXT NOT NULL DEFAULT '',
            licence_start TEXT,
            licence_end TEXT
        );
        CREATE TABLE identifiers (
            hash TEXT PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES people(person_id)
        );
        CREATE TABLE ingests (
            ingest_id INTEGER PRIMARY KEY,
            file_name TEXT NOT NULL,
            content_sha256 TEXT NOT NULL,
            kind TEXT NOT NULL,
            rows_read INTEGER NOT NULL,
            rows_accepted INTEGER NOT NULL,
            rows_new INTEGER NOT NULL,
            rows_rejected INTEGER NOT NULL,
            ingested_at TEXT NOT NULL,
            UNIQUE (content_sha256, kind)
        );
        CREATE TABLE sessions (
            person_id INTEGER NOT NULL REFERENCES people(person_id),
            start_utc INTEGER NOT NULL,
            local_day INTEGER NOT NULL,
            duration_s INTEGER NOT NULL CHECK (duration_s BETWEEN 0 AND 86400),
            words INTEGER,
            device TEXT,
            ingest_id INTEGER NOT NULL REFERENCES ingests(ingest_id),
            PRIMARY KEY (person_id, start_utc)
        ) WITHOUT ROWID;
        CREATE TABLE totals (
            person_id INTEGER NOT NULL REFERENCES people(person_id),
            period_start TEXT NOT NULL DEFAULT '',
            period_end TEXT NOT NULL DEFAULT '',
            minutes REAL NOT NULL CHECK (minutes >= 0),
            sessions INTEGER NOT NULL CHECK (sessions >= 0),
            first_use TEXT,
            last_use TEXT,
            ingest_id INTEGER NOT NULL REFERENCES ingests(ingest_id),
            PRIMARY KEY (person_id, period_start, period_end)
        );
        CREATE TABLE survey_responses (
            response_key TEXT PRIMARY KEY,
            person_id INTEGER REFERENCES people(person_id),
            authority TEXT NOT NULL,
            responded_on TEXT,
            frequency TEXT,
            intention TEXT,
            hours_saved REAL,
            free_text TEXT,
            ingest_id INTEGER NOT NULL REFERENCES ingests(ingest_id)
        );
        """,
    ),
    ("0002_index_sessions_by_day", SESSIONS_BY_DAY + ";"),
    (
        "0003_licence_activity",
        """
        CREATE TABLE activity (
            person_id INTEGER NOT NULL REFERENCES people(person_id),
            period_start TEXT NOT NULL,
            period_end TEXT NOT NULL,
            logins INTEGER NOT NULL,
            last_login TEXT,
            ingest_id INTEGER NOT NULL,
            PRIMARY KEY (person_id, period_start, period_end)
        );
        """,
    ),
    (
        "0004_survey_finished_flag",
        "ALTER TABLE survey_responses ADD COLUMN finished INTEGER NOT NULL DEFAULT 1;",
    ),
    (
        "0005_roster_name_hashes",
        # Keyed hashes of roster names, so free text can be scrubbed without storing names.
        "CREATE TABLE name_hashes (hash TEXT PRIMARY KEY);",
    ),
)


def connect(db_path: Path) -> sqlite3.Connection:
    """Open (creating if needed) the store and bring its schema up to date."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA secure_delete = ON")  # deleted rows leave no old bytes behind
    migrate(conn)
    return conn


@contextmanager
def transaction(
    conn: sqlite3.Connection, foreign_keys: bool = True
) -> Iterator[sqlite3.Connection]:
    """All or nothing: commit if the block finishes, roll back if anything raises.

    ``foreign_keys=False`` leaves SQLite's per-row reference checks off for a bulk load
    whose rows are checked as a whole instead (:func:`require_people`): two index
    look-ups a row are a third of the cost of storing a million sessions. SQLite reads
    the setting only outside a transaction, so it is set before and restored after.
    """
    if not foreign_keys:
        conn.execute("PRAGMA foreign_keys = OFF")
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    finally:
        conn.execute("PRAGMA foreign_keys = ON")


def require_people(conn: sqlite3.Connection, person_ids: np.ndarray) -> None:
    """Every id names a stored person (the references a bulk load does not check per row).
    The readers take ids from the store itself, so a miss is a bug, never the user's."""
    known = np.array([row[0] for row in conn.execute("SELECT person_id FROM people")])
    missing = np.setdiff1d(np.unique(person_ids), known)
    if len(missing):
        raise RuntimeError(f"sessions for person ids not in the store: {missing[:5].tolist()}")


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply every migration not yet recorded; return the names applied now."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    done = {row[0] for row in conn.execute("SELECT name FROM migrations")}
    applied = []
    for name, sql in MIGRATIONS:
        if name in done:
            continue
        with transaction(conn):
            for statement in filter(str.strip, sql.split(";")):
                conn.execute(statement)
            conn.execute("INSERT INTO migrations VALUES (?, ?)", (name, _now()))
        applied.append(name)
    return applied


def applied_migrations(conn: sqlite3.Connection) -> list[str]:
    return [row[0] for row in conn.execute("SELECT name FROM migrations ORDER BY name")]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def find_ingest(conn: sqlite3.Connection, content_sha256: str, kind: str) -> int | None:
    row = conn.execute(
        "SELECT ingest_id FROM ingests WHERE content_sha256 = ? AND kind = ?",
        (content_sha256, kind),
    ).fetchone()
    return None if row is None else row[0]


def start_ingest(conn: sqlite3.Connection, file_name: str, content_sha256: str, kind: str) -> int:
    """Log an ingest (counts filled in by :func:`finish_ingest`) and return its id."""
    cursor = conn.execute(
        "INSERT INTO ingests (file_name, content_sha256, kind, rows_read, rows_accepted,"
        " rows_new, rows_rejected, ingested_at) VALUES (?, ?, ?, 0, 0, 0, 0, ?)",
        (file_name, content_sha256, kind, _now()),
    )
    return cursor.lastrowid


def finish_ingest(
    conn: sqlite3.Connection, ingest_id: int, read: int, accepted: int, new: int, rejected: int
) -> None:
    conn.execute(
        "UPDATE ingests SET rows_read = ?, rows_accepted = ?, rows_new = ?, rows_rejected = ?"
        " WHERE ingest_id = ?",
        (read, accepted, new, rejected, ingest_id),
    )


def identifier_map(conn: sqlite3.Connection) -> dict[str, int]:
    """Every known identifier hash -> person id."""
    return dict(conn.execute("SELECT hash, person_id FROM identifiers"))


def upsert_person(conn: sqlite3.Connection, person: dict, hashes: Iterable[str]) -> bool:
    """Insert or update one licensed person; return True if they are new."""
    existing = conn.execute(
        "SELECT person_id FROM people WHERE pseudonym = ?", (person["pseudonym"],)
    ).fetchone()
    columns = ("authority", "team", "role", "licence_start", "licence_end")
    values = tuple(person[c] for c in columns)
    if existing:
        person_id = existing[0]
        sets = ", ".join(f"{c} = ?" for c in columns)
        conn.execute(f"UPDATE people SET {sets} WHERE person_id = ?", (*values, person_id))
    else:
        cursor = conn.execute(
            "INSERT INTO people (pseudonym, authority, team, role, licence_start, licence_end)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (person["pseudonym"], *values),
        )
        person_id = cursor.lastrowid
    conn.executemany(
        "INSERT OR REPLACE INTO identifiers (hash, person_id) VALUES (?, ?)",
        [(h, person_id) for h in hashes],
    )
    return existing is None


def insert_rows(conn: sqlite3.Connection, table: str, columns: tuple[str, ...], rows) -> int:
    """Insert rows, ignoring any whose key is already stored; return how many were new."""
    marks = ", ".join("?" for _ in columns)
    before = conn.total_changes
    conn.executemany(f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
    return conn.total_changes - before


def insert_block(
    conn: sqlite3.Connection,
    table: str,
    columns: tuple[str, ...],
    block: np.ndarray,
    per_statement: int = 50,
) -> int:
    """Insert the rows of a 2-D object array, ignoring any whose key is already stored, and
    return how many were new. ``per_statement`` rows go in each INSERT: one statement per
    row would cost SQLite a step and a reset for each of a million rows."""
    width = len(columns)
    one = f"({', '.join('?' * width)})"
    head = f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) VALUES "
    full = len(block) // per_statement * per_statement
    before = conn.total_changes
    if full:
        many = block[:full].reshape(-1, width * per_statement).tolist()
        conn.executemany(head + ", ".join([one] * per_statement), many)
    if full < len(block):
        conn.executemany(head + one, block[full:].tolist())
    return conn.total_changes - before


def insert_sessions(conn: sqlite3.Connection, columns: tuple[str, ...], chunks, count: int) -> int:
    """Insert sessions (``count`` of them, given as lists of rows); a bulk load as large as
    the table already stored drops the by-day index and builds it again afterwards, which
    is about twice as fast, with a page cache large enough that the load is not written
    out half-way. Both happen inside the caller's transaction, so a failure leaves the
    index as it was."""
    stored = conn.execute(
        "SELECT COALESCE(SUM(rows_new), 0) FROM ingests WHERE kind = 'sessions'"
    ).fetchone()[0]
    rebuild = count >= BULK_ROWS and count >= stored
    if rebuild:
        conn.execute("DROP INDEX sessions_by_day")
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = {BULK_CACHE_KIB if count >= BULK_ROWS else cache}")
    try:
        new = sum(insert_block(conn, "sessions", columns, chunk) for chunk in chunks)
        if rebuild:
            conn.execute(SESSIONS_BY_DAY)
    finally:
        conn.execute(f"PRAGMA cache_size = {cache}")
    return new


def upsert_periods(
    conn: sqlite3.Connection,
    table: str,
    columns: tuple[str, ...],
    rows: list[tuple],
    ingest_id: int,
) -> int:
    """Store cumulative per-period figures: ``rows`` are (person, start, end, *columns).

    Stored periods of the same person inside the new one (or equal to it) are
    removed first: the new export supersedes them. Return how many rows changed.
    """
    names = ("person_id", "period_start", "period_end", *columns, "ingest_id")
    insert = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})"
    select = f"SELECT {', '.join(columns)} FROM {table}"
    key = " WHERE person_id = ? AND period_start = ? AND period_end = ?"
    inside = " WHERE person_id = ? AND period_start >= ? AND period_end <= ?"
    new = 0
    for row in rows:
        if conn.execute(select + key, row[:3]).fetchone() == tuple(row[3:]):
            continue
        where = key if row[1] == "" else inside
        conn.execute(f"DELETE FROM {table}" + where, row[:3])
        conn.execute(insert, (*row, ingest_id))
        new += 1
    return new


def stored_periods(conn: sqlite3.Connection, table: str) -> list[tuple]:
    """(person, period start, period end, file name) of every stored cumulative figure."""
    return conn.execute(
        f"SELECT t.person_id, t.period_start, t.period_end, i.file_name FROM {table} t"
        " JOIN ingests i USING (ingest_id)"
    ).fetchall()


def add_name_hashes(conn: sqlite3.Connection, hashes: Iterable[str]) -> None:
    conn.executemany("INSERT OR IGNORE INTO name_hashes (hash) VALUES (?)", [(h,) for h in hashes])


def name_hashes(conn: sqlite3.Connection) -> frozenset[str]:
    return frozenset(row[0] for row in conn.execute("SELECT hash FROM name_hashes"))


def surveyed_people(conn: sqlite3.Connection) -> dict[int, str]:
    """Person id -> response key for every identified survey response stored."""
    return dict(
        conn.execute(
            "SELECT person_id, response_key FROM survey_responses"
            " WHERE person_id IS NOT NULL AND finished = 1"
        )
    )
