"""Benchmark: all five experiments end to end, 10,000 RI draws on the 3,030-row experiment,
and the wild cluster bootstrap (9,999 draws, 3,030 rows, 303 clusters) with its interval.

Run by hand: ``.venv/bin/python benchmarks/bench_trials.py``. Targets on 2 cores: the
10,000 RI draws under 10 s; the wild cluster bootstrap p-value and interval under 5 s.
Prints seconds.
"""

import tempfile
import time
from pathlib import Path

import numpy as np

from trials.data import load_data
from trials.pipeline import run_experiment
from trials.ri import difference_in_means, randomisation_test
from trials.spec import load_spec
from trials.wildboot import wild_cluster_bootstrap

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "trials"
EXPERIMENTS = ("symbolic_awards", "swing", "mod_ing", "joint_separate", "blinding")
TARGET_SECONDS = 10.0
WILD_TARGET_SECONDS = 5.0


def end_to_end(out: Path) -> None:
    for name in EXPERIMENTS:
        start = time.perf_counter()
        run_experiment(name, str(FIXTURES / f"{name}.csv"), out / name)
        print(f"{name:>16}: {time.perf_counter() - start:6.2f} s end to end")


def ri_rows(draws: int = 10_000) -> float:
    """Row-level statistic on all 3,030 decisions, participants re-assigned as clusters."""
    spec = load_spec("joint_separate")
    frame = load_data(FIXTURES / "joint_separate.csv", spec).frame
    labels = (frame["condition"] == "joint").to_numpy(int)
    mask = (frame["ethnicity"] == "minority").to_numpy()
    statistic = difference_in_means(frame["progressed"].to_numpy(float), 1, 0, mask)
    start = time.perf_counter()
    result = randomisation_test(
        statistic, labels, cluster=frame["participant"].to_numpy(), draws=draws, seed=1
    )
    seconds = time.perf_counter() - start
    print(
        f"RI {draws} draws on {len(frame)} rows: {seconds:6.2f} s (p = {result.p_value:.4f}, "
        f"target < {TARGET_SECONDS:.0f} s)"
    )
    return seconds


def wild_bootstrap(draws: int = 9_999) -> float:
    """Joint - separate for minority-name CVs: condition x ethnicity LPM, CR2-studentised."""
    spec = load_spec("joint_separate")
    frame = load_data(FIXTURES / "joint_separate.csv", spec).frame
    joint = (frame["condition"] == "joint").to_numpy(float)
    minority = (frame["ethnicity"] == "minority").to_numpy(float)
    X = np.column_stack([np.ones(len(frame)), joint, minority, joint * minority])
    clusters = frame["participant"].to_numpy()
    start = time.perf_counter()
    result = wild_cluster_bootstrap(
        frame["progressed"].to_numpy(float),
        X,
        clusters,
        np.array([0.0, 1.0, 0.0, 1.0]),
        draws=draws,
        se_type="CR2",
    )
    seconds = time.perf_counter() - start
    print(
        f"wild cluster bootstrap {result.draws} draws, {len(frame)} rows, {result.clusters} "
        f"clusters: {seconds:6.2f} s (p = {result.p_value:.4f}, 95% CI {result.ci_low:.3f} to "
        f"{result.ci_high:.3f}; target < {WILD_TARGET_SECONDS:.0f} s)"
    )
    return seconds


if __name__ == "__main__":
    np.seterr(all="ignore")
    with tempfile.TemporaryDirectory() as folder:
        total = time.perf_counter()
        end_to_end(Path(folder))
        print(f"{'all five':>16}: {time.perf_counter() - total:6.2f} s")
    seconds = ri_rows()
    wild = wild_bootstrap()
    fast = seconds < TARGET_SECONDS and wild < WILD_TARGET_SECONDS
    print("PASS" if fast else "SLOWER THAN TARGET")
