"""What a job hands back to the page: plain data and file bytes, and the small helpers
that shape the library's outputs into words. Nothing here imports the rota library."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from web.sheets import Grid


@dataclass
class Table:
    """A table of the Summary sheet after the people: hours, duty shares."""

    title: str  # may be empty: a table continuing the one before
    caption: list[str]
    rows: list[list[str]]  # the header first


@dataclass
class Outcome:
    """What a job found: ``status`` is done, bad_input, infeasible, timed_out, gaps or
    refused."""

    kind: str
    status: str
    heading: str = ""
    problems: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    grid: Grid | None = None
    table: list[list[str]] = field(default_factory=list)  # Summary, gaps or changes rows
    notes: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    heat: dict | None = None
    people: list[tuple[str, str, list[str]]] = field(default_factory=list)  # who, facts, why
    short: list[str] = field(default_factory=list)  # the days left short of cover, in words
    warnings: list[str] = field(default_factory=list)


def save_upload(folder: Path, name: str, data: bytes, sub: str = "in") -> Path:
    """Write an upload's bytes to ``folder/sub/name``; its path."""
    path = folder / sub / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def bad_input(kind: str, heading: str, problems: list[str]) -> Outcome:
    return Outcome(kind, "bad_input", heading, list(problems))


def zip_folder(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, path.name)
    return buffer.getvalue()


def staff_words(rows: list[list[str]]) -> list[str]:
    """How many staff (and teams) the Summary sheet lists."""
    staff = rows[1:]
    if not staff:
        return []
    teams = len({r[0] for r in staff})
    return [f"{len(staff)} staff" + (f" in {teams} teams" if teams > 1 else "") + "."]


def people_words(rows: list[list[str]]) -> list[tuple[str, str, list[str]]]:
    """Each Summary row in words: who, the facts as 'header value', the reasons one a line."""
    if not rows:
        return []
    header, why = rows[0], rows[0][-1]
    people = []
    for row in rows[1:]:
        values = dict(zip(header, row, strict=False))
        who = f"{values.get('Name', '')} ({values.get('ID', '')}, {values.get('Team', '')})"
        facts = "; ".join(
            f"{name.lower()} {value}"
            for name, value in values.items()
            if value and name not in ("Team", "ID", "Name", why)
        )
        people.append((who, facts, [r for r in values.get(why, "").splitlines() if r]))
    return people


def summary_parts(blocks: list[list[list[str]]]) -> tuple[list[Table], list[str]]:
    """The Summary sheet's blocks after the people: its tables, each with the lines of
    words above it, and the other lines (a fortnight left to the next plan, the goals)."""
    tables: list[Table] = []
    notes: list[str] = []
    above: list[str] = []  # a block of words with no table yet: a title, if one follows
    for block in blocks:
        words = [r[0] for r in _leading_words(block)]
        rows = block[len(words) :]
        if not rows:
            notes += above
            above = words
            continue
        if words:
            notes += above
        else:
            words = above
        above = []
        width = max(max((i + 1 for i, v in enumerate(r) if v), default=0) for r in rows)
        rows = [r[:width] + [""] * (width - len(r)) for r in rows]
        tables.append(Table(words[0] if words else "", words[1:], rows))
    return tables, notes + above


def _leading_words(block: list[list[str]]) -> list[list[str]]:
    """The rows at the top of a block that hold one cell each, the first one."""
    leading = []
    for row in block:
        if sum(bool(v) for v in row) != 1 or not row[0]:
            break
        leading.append(row)
    return leading


def date(label: str, text: str | None):
    if not text:
        return None, [] if label == "Re-plan from" else [f"{label}: no date"]
    try:
        return dt.date.fromisoformat(text), []
    except ValueError:
        return None, [f"{label}: {text!r} is not a date (expected YYYY-MM-DD)"]
