"""``report(db_path, options, out_dir)``: build the uptake report and write its files.

Each file is written atomically with the user's umask (see :mod:`common.files`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from common.files import atomic_path, write_text
from usage.metrics.build import UsageReport, build_report
from usage.model import ReportOptions, UsageError
from usage.report.charts import save_charts
from usage.report.summary import markdown_summary
from usage.report.workbook import write_workbook
from usage.store import database as store

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
    with atomic_path(out_dir / WORKBOOK) as temporary:
        write_workbook(built, temporary)
    summary = write_text(out_dir / SUMMARY, text)
    return ReportFiles(built, out_dir / WORKBOOK, summary, save_charts(built, out_dir))
