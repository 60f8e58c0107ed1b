"""``ingest(db, kind, path)``: validate one file completely, then store it in one transaction.

A file with any problem is rejected whole (every problem listed, nothing
written) unless ``skip_bad`` is set, in which case the good rows are stored and
the bad ones written, with reasons, to a rejects CSV beside the input file (it
holds raw values, so it belongs with the raw data, never in the database).
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pandas as pd

from usage import store
from usage.checks import Context, Parsed, Reader
from usage.logs import SessionsReader, TotalsReader
from usage.model import KINDS, IngestRejected, IngestReport, Problem, UsageError
from usage.pseudonym import load_or_create_key
from usage.roster import RosterReader
from usage.safety import safe_text
from usage.survey import SurveyReader
from usage.tables import read_grid

READERS: dict[str, Reader] = {
    reader.kind: reader
    for reader in (RosterReader(), SessionsReader(), TotalsReader(), SurveyReader())
}


def ingest(
    db_path: Path,
    kind: str,
    path: Path,
    *,
    skip_bad: bool = False,
    authority: str | None = None,
    rejects_dir: Path | None = None,
    now: pd.Timestamp | None = None,
) -> IngestReport:
    """Ingest one file of ``kind`` into the store at ``db_path``; see the module docstring."""
    if kind not in READERS:
        raise UsageError(f"unknown kind {kind!r}: expected one of {', '.join(KINDS)}")
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    content_sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    conn = store.connect(db_path)
    try:
        if store.find_ingest(conn, content_sha256, kind) is not None:
            return IngestReport(path.name, kind, 0, 0, 0, 0, already_ingested=True)
        context = _context(conn, db_path, authority, now)
        parsed = READERS[kind].parse(read_grid(path), context)
        if parsed.fatal or (parsed.problems and not skip_bad):
            raise IngestRejected(path.name, parsed.problems)
        rejects = _write_rejects(parsed, path, rejects_dir) if parsed.bad.any() else None
        return _store(conn, kind, path.name, content_sha256, parsed, rejects)
    finally:
        conn.close()


def _context(conn, db_path: Path, authority: str | None, now: pd.Timestamp | None) -> Context:
    return Context(
        key=load_or_create_key(db_path),
        identifiers=store.identifier_map(conn),
        now=now if now is not None else pd.Timestamp.now(tz="UTC"),
        authority=authority,
        surveyed=store.surveyed_people(conn),
        person_authority=dict(conn.execute("SELECT person_id, authority FROM people")),
    )


def _store(
    conn, kind: str, file_name: str, content_sha256: str, parsed: Parsed, rejects: Path | None
) -> IngestReport:
    """Write the good rows and the ingest log entry, all in one transaction."""
    good = parsed.rows[~parsed.bad]
    read = len(parsed.rows) + parsed.skipped
    rejected = int(parsed.bad.sum())
    with store.transaction(conn):
        ingest_id = store.start_ingest(conn, file_name, content_sha256, kind)
        new = READERS[kind].store(conn, good, ingest_id)
        store.finish_ingest(conn, ingest_id, read, len(good), new, rejected)
    return IngestReport(
        file_name,
        kind,
        read,
        len(good),
        new,
        rejected,
        rejects_path=None if rejects is None else str(rejects),
    )


def _write_rejects(parsed: Parsed, path: Path, rejects_dir: Path | None) -> Path:
    """One CSV row per rejected input row: where, why, then the row as read."""
    reasons: dict[int, list[Problem]] = {}
    for problem in parsed.problems:
        reasons.setdefault(problem.line, []).append(problem)
    out = (rejects_dir or path.parent) / f"{path.stem}.rejects.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    frame = parsed.table.frame
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["line", "problems", *frame.columns])
        for i in parsed.bad.nonzero()[0]:
            line = int(parsed.table.lines[i])
            why = "; ".join(
                f"{p.column}: found {p.found}, expected {p.expected}" for p in reasons.get(line, [])
            )
            cells = [safe_text(v) for v in frame.iloc[i].tolist()]
            writer.writerow([line, safe_text(why), *cells])
    return out
