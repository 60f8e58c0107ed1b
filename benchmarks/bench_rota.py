"""Time the team planner on synthetic teams of 8, 15 and 25 over 13 weeks, and a re-plan
of the team of 15 after a week's sickness.

Run: python benchmarks/bench_rota.py
Targets, on 2 cores: a team of 15 proven optimal in under 2 s; its re-plan under 1 s.
"""

import datetime as dt
import tempfile
import time
from pathlib import Path

from rota.domain.service import Service
from rota.domain.synthetic import synthetic_team
from rota.io.excel import write_rota
from rota.io.rotaread import read_rota
from rota.replan import Absence, replan
from rota.solve.solver import SolveOptions, plan

TARGET_SIZE, TARGET_SECONDS, REPLAN_SECONDS = 15, 2.0, 1.0


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
            print(
                f"      target: 15 staff proven optimal in < {TARGET_SECONDS} s: "
                f"{'met' if met else 'NOT met'}"
            )


def time_replan() -> None:
    problem = synthetic_team(TARGET_SIZE, 13, seed=TARGET_SIZE)
    planned = plan(problem)
    with tempfile.TemporaryDirectory() as folder:
        grid = read_rota(write_rota(Path(folder) / "rota.xlsx", problem, planned))
    sick = next(p.id for p in problem.staff if planned.non_working_days(p.id))
    day_off = planned.non_working_days(sick)[3]
    first = day_off - dt.timedelta(days=day_off.weekday())  # the week of one of their days off
    started = time.perf_counter()
    result = replan(
        Service(problem.team.name, [problem]),
        grid,
        [Absence(sick, first, first + dt.timedelta(days=4))],
    )
    seconds = time.perf_counter() - started
    print(
        f"re-plan of {TARGET_SIZE} staff after a week's sickness: {seconds:.2f} s, "
        f"{len(result.changes)} changes, {result.teams[0][1].info.status}; target < "
        f"{REPLAN_SECONDS} s: {'met' if seconds < REPLAN_SECONDS else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
    time_replan()
