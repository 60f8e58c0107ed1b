"""Time the team planner on synthetic teams of 8, 15 and 25 over 13 weeks.

Run: python benchmarks/bench_rota.py   Target: a team of 15 proven optimal in under 2 s
on 2 cores.
"""

import time

from rota.solver import SolveOptions, plan
from rota.synthetic import synthetic_team

TARGET_SIZE, TARGET_SECONDS = 15, 2.0


def main() -> None:
    print(f"{'staff':>5} {'weeks':>5} {'status':>9} {'gap':>6} {'seconds':>8}")
    for size in (8, 15, 25):
        problem = synthetic_team(size, 13, seed=size)
        started = time.perf_counter()
        result = plan(problem, SolveOptions(time_limit=60))
        seconds = time.perf_counter() - started
        info = result.info
        print(f"{size:>5} {13:>5} {info.status:>9} {info.gap:>6.1%} {seconds:>8.2f}")
        if size == TARGET_SIZE:
            met = info.proven_optimal and seconds < TARGET_SECONDS
            print(f"      target: 15 staff proven optimal in < {TARGET_SECONDS} s: "
                  f"{'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
