"""Benchmark: ingest 1,000,000 synthetic session rows, then build the full report.

In the same run, a plain baseline does the same work the obvious pandas way
(``read_csv``, the keyed hash of each distinct user, dates and durations
parsed, ``to_sql`` into SQLite) in a child process, and the ratio is printed.

Targets (2 cores): ingest no slower than the baseline, under 8 s and under
600 MB peak memory; report under 1.5 s after its imports, in a process of its own as a
user runs it (``bench_usage_report.time_report``). On a shared machine the absolute times
are noisy; the ratio is the figure to compare.
Run by hand: ``.venv/bin/python benchmarks/bench_usage.py [--rows N]``.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import resource
import sqlite3
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
from bench_usage_report import time_report

from usage.ingest import ingest

INGEST_SECONDS, INGEST_MB, REPORT_SECONDS = 8.0, 600.0, 1.5
PEOPLE = 2_000


def write_inputs(folder: Path, rows: int) -> tuple[Path, Path]:
    """A roster of PEOPLE licences in four authorities and a session log of ``rows`` rows."""
    rng = np.random.default_rng(1)
    emails = np.array([f"worker{i}@la{i % 4}.example.gov.uk" for i in range(PEOPLE)])
    roster = pd.DataFrame(
        {
            "Email": emails,
            "Authority": [f"Authority {i % 4}" for i in range(PEOPLE)],
            "Team": [f"Team {i % 40}" for i in range(PEOPLE)],
            "Role": "Social worker",
            "Licence Start": "2021-01-01",
            "Licence End": "2021-12-31",
        }
    )
    # Real instants written as UK local time in time order, as a vendor would: none in the
    # spring gap; the autumn repeated hour placed by the order.
    starts = pd.Timestamp("2021-01-01", tz="UTC") + pd.to_timedelta(
        np.sort(rng.choice(365 * 86_400, size=rows, replace=False)), unit="s"
    )
    starts = starts.tz_convert("Europe/London")
    seconds = rng.integers(10, 3_600, size=rows)
    log = pd.DataFrame(
        {
            "User ID": emails[rng.integers(0, PEOPLE, size=rows)],
            "Session Start": starts.strftime("%d/%m/%Y %H:%M:%S"),
            "Duration": [f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}" for s in seconds],
            "Words": seconds * 2,
            "Device": rng.choice(["iPhone", "Android"], size=rows),
        }
    )
    roster.to_csv(folder / "roster.csv", index=False)
    log.to_csv(folder / "sessions.csv", index=False)
    return folder / "roster.csv", folder / "sessions.csv"


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def baseline(sessions: Path, db: Path, key: bytes) -> tuple[float, float, float]:
    """The same work in plain pandas; returns (seconds, CPU seconds, peak MB of this process)."""
    started, cpu = time.perf_counter(), cpu_seconds()
    frame = pd.read_csv(sessions, dtype=str)
    users = frame["User ID"].unique()
    hashes = {
        user: hmac.new(key, user.strip().lower().encode(), hashlib.sha256).hexdigest()
        for user in users
    }
    start = pd.to_datetime(frame["Session Start"], format="%d/%m/%Y %H:%M:%S")
    start = start.dt.tz_localize("Europe/London", ambiguous="NaT", nonexistent="NaT")
    rows = pd.DataFrame(
        {
            "person": frame["User ID"].map(hashes),
            "start_utc": start.dt.tz_convert("UTC").astype("int64") // 10**9,
            "duration_s": pd.to_timedelta(frame["Duration"]).dt.total_seconds(),
            "words": pd.to_numeric(frame["Words"]),
            "device": frame["Device"],
        }
    )
    with sqlite3.connect(db) as conn:
        rows.to_sql("sessions", conn, index=False)
    return time.perf_counter() - started, cpu_seconds() - cpu, peak_mb()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    rows = parser.parse_args().rows
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # Generate in a child process so the peak memory below is the ingest's own.
        with ProcessPoolExecutor(max_workers=1) as pool:
            roster, sessions = pool.submit(write_inputs, folder, rows).result()
        db = folder / "usage.db"
        ingest(db, "roster", roster)
        before = peak_mb()
        started, cpu = time.perf_counter(), cpu_seconds()
        result = ingest(db, "sessions", sessions)
        ingest_s, ingest_cpu = time.perf_counter() - started, cpu_seconds() - cpu
        ingest_mb = peak_mb()
        # The report is a command of its own: timed in a fresh process, as a user runs it.
        timing = time_report(db)
        key = (folder / "usage.db.key").read_text().strip().encode()
        with ProcessPoolExecutor(max_workers=1) as pool:
            base_s, base_cpu, base_mb = pool.submit(
                baseline, sessions, folder / "base.db", key
            ).result()
    print(f"rows ingested: {result.rows_new:,} of {rows:,}")
    print(
        f"ingest: {ingest_s:.1f} s, {rows / ingest_s:,.0f} rows/s (target < {INGEST_SECONDS:g} s)"
    )
    print(
        f"baseline (pandas read_csv + keyed hash + to_sql): {base_s:.1f} s, peak {base_mb:,.0f} MB;"
        f" ingest / baseline = {ingest_s / base_s:.2f} (target <= 1)"
    )
    print(
        f"CPU time (less disturbed by other work on a shared machine): ingest {ingest_cpu:.1f} s,"
        f" baseline {base_cpu:.1f} s, ratio {ingest_cpu / base_cpu:.2f}"
    )
    print(
        f"peak memory: {ingest_mb:,.0f} MB (before ingest {before:,.0f} MB; "
        f"target < {INGEST_MB:g} MB)"
    )
    print(
        f"report (a fresh `usage report` process): {timing['report']:.2f} s after "
        f"{timing['imports']:.2f} s of imports (target < {REPORT_SECONDS:g} s); whole process "
        f"{timing['process']:.2f} s, CPU {timing['cpu']:.2f} s in it and its chart processes"
    )
    ok = (
        ingest_s < INGEST_SECONDS
        and ingest_mb < INGEST_MB
        and timing["report"] < REPORT_SECONDS
        and ingest_s <= base_s
    )
    print("targets met" if ok else "TARGETS MISSED")


if __name__ == "__main__":
    main()
