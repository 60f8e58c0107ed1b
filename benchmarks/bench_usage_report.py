"""Benchmark: the usage report on a 1,000,000-session store, and `workwell usage` start-up.

Targets (2 cores): the report (tables, workbook, summary and charts) under 1.5 s;
any `workwell usage` command starting in under 0.8 s.
Run by hand: ``.venv/bin/python benchmarks/bench_usage_report.py [--rows N] [--db PATH]``
(``--db`` keeps the store between runs; it is built through the ingest if absent).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPORT_SECONDS, START_SECONDS = 1.5, 0.8


def build_store(db: Path, rows: int) -> None:
    """Ingest the synthetic roster and session log of bench_usage.py into ``db``."""
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_usage import write_inputs

    from usage.ingest import ingest

    with tempfile.TemporaryDirectory() as tmp:
        roster, sessions = write_inputs(Path(tmp), rows)
        ingest(db, "roster", roster)
        ingest(db, "sessions", sessions)


def time_report(db: Path) -> dict[str, float]:
    """Seconds for each step of one report, imports included (a fresh process)."""
    code = f"""
import time
t0 = time.perf_counter()
from pathlib import Path
from usage.report.publish import report
t1 = time.perf_counter()
files = report(Path({str(db)!r}), __import__("usage.model").model.ReportOptions(),
               Path({str(db.parent / "out")!r}))
t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    imports, work = map(float, out.stdout.split())
    return {"imports": imports, "report": work, "process": wall}


def time_start(command: list[str]) -> float:
    """Wall seconds of a `workwell usage` command (best of three)."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "usage.db"
        if not db.exists():
            build_store(db, args.rows)
        timing = time_report(db)
    workwell = Path(sys.executable).with_name("workwell")
    starts = {
        "usage --help": time_start([str(workwell), "usage", "--help"]),
        "usage report --help": time_start([str(workwell), "usage", "report", "--help"]),
    }
    print(
        f"report on {args.rows:,} sessions: {timing['report']:.2f} s after imports "
        f"({timing['imports']:.2f} s of imports; whole process {timing['process']:.2f} s; "
        f"target < {REPORT_SECONDS:g} s)"
    )
    for name, seconds in starts.items():
        print(f"workwell {name}: {seconds:.2f} s (target < {START_SECONDS:g} s)")
    ok = timing["report"] < REPORT_SECONDS and max(starts.values()) < START_SECONDS
    print("targets met" if ok else "TARGETS MISSED")


if __name__ == "__main__":
    main()
