"""The rota writing benchmark runs as written, on one team, beside its baseline and an
earlier checkout (this one, standing in)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[3]
BENCH = ROOT / "benchmarks" / "bench_rota_write.py"


def test_the_rota_writing_benchmark_runs_on_one_team():
    command = [sys.executable, str(BENCH), "--teams", "1", "--repeats", "1"]
    command += ["--time-limit", "20", "--before", str(ROOT)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    assert "1 teams, 10 staff, 13 weeks" in done.stdout
    for figure in ("write_service_rota (Rota, Summary, Checks)", "baseline: openpyxl, ",
                   "its save: openpyxl's own", "its save: common.xlsx_save",
                   "read_rota of the workbook", "before ("):  # fmt: skip
        assert figure in done.stdout, done.stdout
    assert done.stdout.count("write_service_rota") == 2, done.stdout  # this one, the earlier
