"""The service benchmark runs as written, on its smallest size, and prints its goals."""

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).parents[2] / "benchmarks" / "bench_service.py"


def test_the_service_benchmark_runs_on_its_smallest_size():
    command = [sys.executable, str(BENCH), "--sizes", "5", "--weeks", "4", "--flat-limit", "1"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any(line.split()[:3] == ["5", "50", "decomposed"] for line in lines), done.stdout
    assert any(line.split()[:3] == ["5", "50", "flat"] for line in lines), done.stdout
    assert "5 teams, 50 staff, 4 weeks" in done.stdout
    assert "5 of 5 teams proven optimal; " in done.stdout
    assert "duty stage" in done.stdout and "goal: optimal or within 1%: met" in done.stdout
    assert "peak memory" in done.stdout and "goal < 4096 MiB: met" in done.stdout
