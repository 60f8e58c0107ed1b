"""Benchmark: the usage report on a 1,000,000-session store, and `workwell usage` start-up.

Targets (2 cores): the report (tables, workbook, summary and charts) under 1.5 s;
any `workwell usage` command starting in under 0.8 s. In the same run a plain baseline
does a smaller job the obvious way (one SQL summary per person, ``DataFrame.to_excel``,
eight bar charts with ``savefig``), so a slow shared machine shows as a slow baseline.
Run by hand: ``.venv/bin/python benchmarks/bench_usage_report.py [--rows N] [--db PATH]``
(``--db`` keeps the store between runs; it is built through the ingest if absent).
"""

from __future__ import annotations

import argparse
import resource
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
    started, cpu = time.perf_counter(), children_cpu()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    wall, cpu = time.perf_counter() - started, children_cpu() - cpu
    imports, work = map(float, out.stdout.split())
    return {"imports": imports, "report": work, "process": wall, "cpu": cpu}


def children_cpu() -> float:
    """User + system seconds of the finished child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


BASELINE = """
import time
t0 = time.perf_counter()
import sqlite3
from pathlib import Path
import pandas as pd
from matplotlib.figure import Figure
t1 = time.perf_counter()
out = Path({out!r})
out.mkdir(exist_ok=True)
with sqlite3.connect({db!r}) as conn:
    people = pd.read_sql_query(
        "SELECT person_id, COUNT(*) AS sessions, SUM(duration_s) / 60.0 AS minutes,"
        " COUNT(DISTINCT local_day) AS active_days, MIN(local_day) AS first_day,"
        " MAX(local_day) AS last_day FROM sessions GROUP BY person_id", conn)
people.to_excel(out / "baseline.xlsx", index=False)
for i in range(8):
    figure = Figure(figsize=(5, 3.4), layout="constrained")
    ax = figure.subplots()
    ax.bar(range(40), people["minutes"].head(40))
    ax.set_title(f"Chart {{i}}")
    figure.savefig(out / f"baseline_{{i}}.png", dpi=150)
t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""


def time_baseline(db: Path) -> dict[str, float]:
    """Seconds of the plain baseline in a fresh process, as :func:`time_report`."""
    code = BASELINE.format(db=str(db), out=str(db.parent / "baseline"))
    cpu = children_cpu()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    imports, work = map(float, out.stdout.split())
    return {"imports": imports, "report": work, "cpu": children_cpu() - cpu}


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
        baseline = time_baseline(db)
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
    print(
        f"baseline (one SQL summary, to_excel, eight savefig charts): {baseline['report']:.2f} s"
        f" after {baseline['imports']:.2f} s of imports; report / baseline = "
        f"{timing['report'] / baseline['report']:.2f}"
    )
    print(
        f"CPU of the whole process (imports included): report {timing['cpu']:.1f} s, "
        f"baseline {baseline['cpu']:.1f} s, ratio {timing['cpu'] / baseline['cpu']:.2f}"
    )
    for name, seconds in starts.items():
        print(f"workwell {name}: {seconds:.2f} s (target < {START_SECONDS:g} s)")
    ok = timing["report"] < REPORT_SECONDS and max(starts.values()) < START_SECONDS
    print("targets met" if ok else "TARGETS MISSED")


if __name__ == "__main__":
    main()
