"""``report(db_path, options, out_dir)``: build the uptake report and write its files.

Each file is written atomically with the user's umask (see :mod:`common.files`). Where
the system can fork (Linux) and a second core is free, a child process draws most of the
charts while this one writes the workbook and draws the rest, so two cores share the work.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from common.files import CannotWrite, atomic_path, write_text
from usage.metrics.build import UsageReport, build_report
from usage.model import ReportOptions, UsageError
from usage.report.charts import CHARTS, save_charts
from usage.report.summary import markdown_summary
from usage.report.workbook import write_workbook
from usage.store import database as store

WORKBOOK = "usage_report.xlsx"
SUMMARY = "summary.md"
_DRAWING: list[UsageReport] = []  # the report a forked chart process inherits (not pickled)
# The charts the child draws: about as long to draw as the workbook and the rest take here.
FORKED_CHARTS = (
    "funnel.png",
    "minutes_per_person.png",
    "weekly_active_users.png",
    "retention.png",
    "active_users.png",
    "power_users.png",
)


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
    """Read the store at ``db_path`` and write workbook, Markdown and charts to ``out_dir``."""
    if not db_path.is_file():
        raise UsageError(f"{db_path}: no such database; ingest a roster first")
    conn = store.connect(db_path)
    try:
        built = build_report(conn, options)
    finally:
        conn.close()
    text = markdown_summary(built)
    out_dir.mkdir(parents=True, exist_ok=True)
    if not _can_fork():
        workbook, summary = _write_tables(built, text, out_dir)
        return ReportFiles(built, workbook, summary, save_charts(built, out_dir))
    _DRAWING[:] = [built]
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            forked = pool.submit(_draw_charts, out_dir)
            workbook, summary = _write_tables(built, text, out_dir)
            here = save_charts(built, out_dir, [n for n in CHARTS if n not in FORKED_CHARTS])
            paths, refused = forked.result()
    finally:
        _DRAWING.clear()
    if refused:
        raise CannotWrite(*refused)
    charts = sorted([*here, *paths], key=lambda path: list(CHARTS).index(path.name))
    return ReportFiles(built, workbook, summary, charts)


def _write_tables(built: UsageReport, text: str, out_dir: Path) -> tuple[Path, Path]:
    with atomic_path(out_dir / WORKBOOK) as temporary:
        write_workbook(built, temporary)
    return out_dir / WORKBOOK, write_text(out_dir / SUMMARY, text)


def _can_fork() -> bool:
    """Fork only where it is the system's own way and a second core is ours to use."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return "fork" in multiprocessing.get_all_start_methods() and (cores or 1) > 1


def _draw_charts(out_dir: Path) -> tuple[list[Path], tuple[str, str] | None]:
    """In the forked child: draw its share of the charts of the inherited report. A folder
    the system refuses comes back as words (CannotWrite itself does not cross processes)."""
    try:
        return save_charts(_DRAWING[0], out_dir, FORKED_CHARTS), None
    except CannotWrite as error:
        message = str(error).removesuffix(f": {error.strerror}")
        return [], (message, error.strerror)
