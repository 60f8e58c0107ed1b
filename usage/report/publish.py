"""``report(db_path, options, out_dir)``: build the uptake report and write its files.

Each file is written atomically with the user's umask (see :mod:`common.files`). Where
the system can fork (Linux) and a second core is free, a child process reads half of the
session log while this one reads the other half, loads matplotlib while this one builds
the report, then draws the charts, with a copy of itself forked then, while this one
writes the workbook: this process never loads matplotlib, and two cores share the work.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sqlite3
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path

from common.files import CannotWrite, atomic_path, write_text
from common.xlsx_save import collector_paused
from usage.metrics.build import UsageReport, build_report
from usage.model import Period, ReportOptions, UsageError
from usage.report.summary import markdown_summary
from usage.report.workbook import write_workbook
from usage.store import database as store
from usage.store import load

WORKBOOK = "usage_report.xlsx"
SUMMARY = "summary.md"


@dataclass(frozen=True)
class ReportFiles:
    report: UsageReport
    workbook: Path
    summary: Path
    charts: list[Path]

    @property
    def paths(self) -> list[Path]:
        return [self.workbook, self.summary, *self.charts]


def report(db_path: Path, options: ReportOptions, out_dir: Path) -> ReportFiles:
    """Read the store at ``db_path`` and write workbook, Markdown and charts to ``out_dir``,
    the cycle collector paused (here and in the chart processes forked meanwhile: its
    passes over a million sessions' figures took a fifth of this process's time)."""
    if not db_path.is_file():
        raise UsageError(f"{db_path}: no such database; ingest a roster first")
    with collector_paused():
        return _report(db_path, options, out_dir)


def _report(db_path: Path, options: ReportOptions, out_dir: Path) -> ReportFiles:
    if not _can_fork():
        built = _build(db_path, options, out_dir)
        workbook, summary = _write_tables(built, out_dir)
        return ReportFiles(built, workbook, summary, save_charts(built, out_dir))
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        conn = store.connect(db_path)
        try:
            # One read transaction while both processes read: the store keeps SQLite's
            # rollback journal, so no ingest can commit while it holds its shared lock,
            # and the child's half of the log comes from the same store as this half.
            conn.execute("BEGIN")
            options = replace(options, period=options.period or load.default_period(conn))
            later = _later_half(pool, conn, db_path, options.period)
            _submit(pool, _load_charts)  # the child loads matplotlib while this process builds
            built = build_report(conn, options, later)
        finally:
            conn.close()
        out_dir.mkdir(parents=True, exist_ok=True)
        # Pickled here, not by the pool's feeder thread while this one writes the tables:
        # writing fills the report's caches, and a dict changing mid-pickle breaks it.
        drawn = _submit(pool, _draw_charts, pickle.dumps(built, pickle.HIGHEST_PROTOCOL), out_dir)
        workbook, summary = _write_tables(built, out_dir)
        try:
            paths, refused = drawn.result() if drawn else (save_charts(built, out_dir), None)
        except BrokenProcessPool:  # the chart process died (killed, out of memory): draw here
            paths, refused = save_charts(built, out_dir), None
    if refused:
        raise CannotWrite(*refused)
    return ReportFiles(built, workbook, summary, paths)


def _later_half(pool, conn, db_path: Path, period: Period) -> load.LaterHalf | None:
    """The later half of the session log, read by the child (None for an empty roster);
    read here after all where the child has died."""
    middle = load.middle_person(conn)
    if middle is None:
        return None
    future = _submit(pool, _session_rows_from, db_path, period, middle)

    def here() -> list[tuple]:
        return load.session_rows(conn, period, load.FROM, middle)

    def rows() -> list[tuple]:
        try:
            return future.result() if future else here()
        except BrokenProcessPool:  # the child died (killed, out of memory): read them here
            return here()

    return load.LaterHalf(middle, rows)


def _submit(pool: ProcessPoolExecutor, task, *args) -> Future | None:
    """``pool.submit``; None where the child has died (killed, out of memory)."""
    try:
        return pool.submit(task, *args)
    except BrokenProcessPool:
        return None


def _build(db_path: Path, options: ReportOptions, out_dir: Path) -> UsageReport:
    conn = store.connect(db_path)
    try:
        built = build_report(conn, options)
    finally:
        conn.close()
    out_dir.mkdir(parents=True, exist_ok=True)
    return built


def _write_tables(built: UsageReport, out_dir: Path) -> tuple[Path, Path]:
    with atomic_path(out_dir / WORKBOOK) as temporary:
        write_workbook(built, temporary)
    return out_dir / WORKBOOK, write_text(out_dir / SUMMARY, markdown_summary(built))


def save_charts(built: UsageReport, out_dir: Path) -> list[Path]:
    """Every chart, drawn here (matplotlib is loaded only by what draws)."""
    from usage.report.charts import save_charts as draw

    return draw(built, out_dir)


def _can_fork() -> bool:
    """Fork only where it is the system's own way and a second core is ours to use."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return "fork" in multiprocessing.get_all_start_methods() and (cores or 1) > 1


def _session_rows_from(db_path: Path, period: Period, middle: int) -> list[tuple]:
    """In the child: the session log of the people from ``middle`` on, read on a
    read-only connection of its own."""
    conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return load.session_rows(conn, period, load.FROM, middle)
    finally:
        conn.close()


def _load_charts() -> None:
    """In the child, before the report exists: load what drawing needs."""
    import usage.report.charts  # noqa: F401


def _draw_charts(pickled: bytes, out_dir: Path) -> tuple[list[Path], tuple[str, str] | None]:
    """In the child: draw every chart of the (pickled) report, with a copy of itself. A
    folder the system refuses comes back as words (CannotWrite does not cross processes)."""
    built = pickle.loads(pickled)
    from usage.report.charts import save_charts_in_two

    try:
        return save_charts_in_two(built, out_dir), None
    except CannotWrite as error:
        message = str(error).removesuffix(f": {error.strerror}")
        return [], (message, error.strerror)
