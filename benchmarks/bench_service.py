"""Time service planning (duty generated) for 5, 30 and 100 teams of 10 over 13 weeks,
decomposed (duty first, then teams in parallel) next to the same instance as one flat model.

Run: python benchmarks/bench_service.py [--flat-limit SECONDS]
Target: 30 teams (300 staff), duty generated, proven optimal in under 10 s on 2 cores.
"""

import argparse
import time

from rota.domain.synthetic import synthetic_service
from rota.solve.service_plan import plan_service
from rota.solve.solver import SolveOptions

TARGET_TEAMS, TARGET_SECONDS = 30, 10.0


def run(teams: int, flat: bool, limit: float) -> tuple[str, float, float, str]:
    service = synthetic_service(teams, team_size=10, weeks=13, seed=teams)
    started = time.perf_counter()
    try:
        result = plan_service(service, SolveOptions(time_limit=limit), flat=flat)
    except Exception as error:  # a flat model that finds nothing in time is a result too
        return f"none ({type(error).__name__})", float("nan"), time.perf_counter() - started, ""
    info = result.info
    reached = f"{len(info.objectives)}/{info.goals}" if flat else "all"
    return info.status, info.gap, time.perf_counter() - started, reached


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--flat-limit", type=float, default=30.0, help="time limit for the flat model (s)"
    )
    args = parser.parse_args()
    print(
        f"{'teams':>5} {'staff':>5} {'weeks':>5} {'method':>10} {'status':>22} "
        f"{'gap':>6} {'seconds':>8}"
    )
    for teams in (5, 30, 100):
        for method, flat, limit in (("decomposed", False, 60.0), ("flat", True, args.flat_limit)):
            status, gap, seconds, _goals_reached = run(teams, flat, limit)
            print(
                f"{teams:>5} {teams * 10:>5} {13:>5} {method:>10} {status:>22} {gap:>6.1%} "
                f"{seconds:>8.2f}",
                flush=True,
            )
            if teams == TARGET_TEAMS and not flat:
                met = status == "OPTIMAL" and seconds < TARGET_SECONDS
                print(
                    f"      target: {TARGET_TEAMS} teams proven optimal in < {TARGET_SECONDS} s:"
                    f" {'met' if met else 'NOT met'}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
