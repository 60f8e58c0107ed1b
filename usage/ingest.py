"""``ingest(db, kind, path)``: validate one file completely, then store it in one transaction.

A file with any problem is rejected whole (every problem listed, nothing
written) unless ``skip_bad`` is set, in which case the good rows are stored and
the bad ones written, with reasons, to a rejects CSV beside the input file
(emails, phone numbers and roster names and identifiers removed from its cells).
A file with no data rows is refused. Every row read is accounted for: accepted,
rejected, or skipped (and what was skipped is named).
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from usage.model import KINDS, IngestRejected, IngestReport, Problem, UsageError
from usage.pseudonym import load_or_create_key
from usage.readers.activity import ActivityReader
from usage.readers.checks import Context, Parsed, Reader
from usage.readers.columns import ROSTER_IDENTIFIERS, USER, ColumnMap, load_column_map
from usage.readers.columns import normalise_header as norm
from usage.readers.grids import read_grid
from usage.readers.logs import SessionsReader, TotalsReader
from usage.readers.parse import Clock
from usage.readers.roster import NAME_COLUMNS, RosterReader
from usage.readers.scrub import scrub
from usage.readers.survey import SurveyReader
from usage.safety import safe_text
from usage.store import database as store

READERS: dict[str, Reader] = {
    reader.kind: reader
    for reader in (
        RosterReader(),
        SessionsReader(),
        TotalsReader(),
        ActivityReader(),
        SurveyReader(),
    )
}

# Columns whose values name a person: removed from every cell of a rejects file.
PERSONAL_COLUMNS = (
    NAME_COLUMNS
    | set(USER.variants)
    | set(ROSTER_IDENTIFIERS)
    | {"recipientfirstname", "recipientlastname", "recipientemail", "externalreference"}
)


@dataclass(frozen=True)
class IngestOptions:
    """How to read the files of one ingest command (see ``workwell usage ingest --help``)."""

    skip_bad: bool = False
    authority: str | None = None
    rejects_dir: Path | None = None
    clock: Clock = Clock()
    column_map: ColumnMap = ColumnMap()
    allow_outside_licence: bool = False
    keep_free_text: bool = False


def ingest(
    db_path: Path,
    kind: str,
    path: Path,
    *,
    now: pd.Timestamp | None = None,
    options: IngestOptions | None = None,
    **option_values,
) -> IngestReport:
    """Ingest one file of ``kind`` into the store at ``db_path``; see the module docstring.

    Options come as an :class:`IngestOptions` or as its fields by keyword.
    """
    options = options or IngestOptions(**option_values)
    if kind not in READERS:
        raise UsageError(f"unknown kind {kind!r}: expected one of {', '.join(KINDS)}")
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    content_sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    conn = store.connect(db_path)
    try:
        if store.find_ingest(conn, content_sha256, kind) is not None:
            return IngestReport(path.name, kind, 0, 0, 0, 0, already_ingested=True)
        context = _context(conn, db_path, options, now)
        parsed = READERS[kind].parse(read_grid(path), context)
        _refuse_unless_storable(parsed, path.name, options.skip_bad)
        rejects = (
            _write_rejects(parsed, path, options.rejects_dir, context) if parsed.bad.any() else None
        )
        return _store(conn, kind, path.name, content_sha256, parsed, rejects)
    finally:
        conn.close()


def column_map_from(path: Path | None) -> ColumnMap:
    """The column map in ``path`` (TOML), checked against every field we read."""
    if path is None:
        return ColumnMap()
    from usage.readers.columns import ALL_FIELDS
    from usage.readers.survey import QUESTIONS

    return load_column_map(path, set(ALL_FIELDS) | {q.name for q in QUESTIONS})


def _refuse_unless_storable(parsed: Parsed, file: str, skip_bad: bool) -> None:
    """Refuse a file with problems (unless skipping bad rows) or with no data rows."""
    if parsed.fatal or (parsed.problems and not skip_bad):
        raise IngestRejected(file, parsed.problems)
    if len(parsed.table.frame) == 0:
        skipped = f" ({parsed.skipped_what})" if parsed.skipped else ""
        found = f"a header but no data rows{skipped}"
        raise IngestRejected(file, [Problem(file, 0, "", found, "at least one row of data")])


def _context(conn, db_path: Path, options: IngestOptions, now: pd.Timestamp | None) -> Context:
    licences = pd.read_sql_query(
        "SELECT person_id, licence_start, licence_end FROM people", conn, index_col="person_id"
    )
    periods = {
        table: pd.DataFrame(
            store.stored_periods(conn, table),
            columns=["person_id", "period_start", "period_end", "file_name"],
        )
        for table in ("totals", "activity")
    }
    return Context(
        key=load_or_create_key(db_path),
        identifiers=store.identifier_map(conn),
        now=now if now is not None else pd.Timestamp.now(tz="UTC"),
        authority=options.authority,
        surveyed=store.surveyed_people(conn),
        person_authority=dict(conn.execute("SELECT person_id, authority FROM people")),
        clock=options.clock,
        column_map=options.column_map,
        licences=licences,
        outside_licence_ok=options.allow_outside_licence,
        keep_free_text=options.keep_free_text,
        name_hashes=store.name_hashes(conn),
        stored_periods=periods,
    )


def _store(
    conn, kind: str, file_name: str, content_sha256: str, parsed: Parsed, rejects: Path | None
) -> IngestReport:
    """Write the good rows and the ingest log entry, all in one transaction."""
    good = parsed.rows[~parsed.bad]
    covered = int(good["covered"].sum()) if "covered" in good else 0
    skipped_what = parsed.skipped_what
    if covered:
        covered_what = f"{covered} already covered by a stored longer period"
        skipped_what = "; ".join(filter(None, [skipped_what, covered_what]))
    read = len(parsed.rows) + parsed.skipped
    rejected = int(parsed.bad.sum())
    accepted = len(good) - covered
    # Sessions check their references as a whole (store.require_people), not row by row.
    with store.transaction(conn, foreign_keys=kind != "sessions"):
        ingest_id = store.start_ingest(conn, file_name, content_sha256, kind)
        new = READERS[kind].store(conn, good, ingest_id)
        store.finish_ingest(conn, ingest_id, read, accepted, new, rejected)
    return IngestReport(
        file_name,
        kind,
        read,
        accepted,
        new,
        rejected,
        rejects_path=None if rejects is None else str(rejects),
        rows_skipped=parsed.skipped + covered,
        skipped_what=skipped_what,
        partial=parsed.partial,
        notes=parsed.notes,
    )


def _write_rejects(parsed: Parsed, path: Path, rejects_dir: Path | None, context: Context) -> Path:
    """One CSV row per rejected input row: where, why, then the row as read, with emails,
    phone numbers, roster names and identifiers, and the row's own names and
    identifiers removed from every cell."""
    reasons: dict[int, list[Problem]] = {}
    for problem in parsed.problems:
        reasons.setdefault(problem.line, []).append(problem)
    out = (rejects_dir or path.parent) / f"{path.stem}.rejects.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    frame = parsed.table.frame
    hashes = context.name_hashes | frozenset(context.identifiers)
    personal = [c for c in frame.columns if norm(c) in PERSONAL_COLUMNS]

    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["line", "problems", *frame.columns])
        for i in parsed.bad.nonzero()[0]:
            line = int(parsed.table.lines[i])
            why = "; ".join(
                f"{p.column}: found {p.found}, expected {p.expected}" for p in reasons.get(line, [])
            )
            own = frame.iloc[i][personal].tolist()

            def clean(value: object, own=own) -> str:
                return safe_text(scrub(str(value), context.key, hashes, own))

            cells = [clean(v) for v in frame.iloc[i].tolist()]
            writer.writerow([line, clean(why), *cells])
    return out
