"""Plan synthetic services of 5 to 3,000 teams of 10 over 13 weeks, duty generated, and
print every figure beside its goal (and beside its baseline, where there is one).

1. Decomposed (duty first, then the teams in parallel) next to the same instance as one
   flat model, for 5, 30 and 100 teams.
2. Scale: each size in a fresh process, so its imports and peak memory are its own:
   imports, building the service, the duty stage (proven optimal or within 1% of its
   bound; in wall seconds only, as the teams duty passes by are planned beside it on
   the other processes), the team solves after it on ``--workers`` processes (for 100
   teams, one worker too, as the baseline) and the two together, writing the Rota,
   Summary and Checks sheets (300 staff: under 0.5 s, against 2.4 s before their styles
   were shared), the whole run (1,000 teams: under
   60 s; 3,000 teams: under 4 minutes) and peak memory (under 4 GB, the planning process
   and its largest team worker added together). Each time is wall seconds, with the CPU
   seconds of the planner and its team workers beside it: on a machine busy with other
   work, CPU seconds over the cores is about what the run takes on the machine alone.

Run: python benchmarks/bench_service.py [--sizes 5 30 100 1000 3000] [--flat-limit S]
"""

from __future__ import annotations

import time

STARTED = (time.perf_counter(), time.process_time())  # before the imports, to count them

import argparse  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

SIZES = (5, 30, 100, 1000, 3000)
FLAT_SIZES = (5, 30, 100)  # the flat model is hopeless beyond these
TEAM_SIZE, WEEKS = 10, 13  # WEEKS: unless --weeks says otherwise
WHOLE_RUN_GOAL = {30: 10.0, 1000: 60.0, 3000: 240.0}  # seconds
WRITE_GOAL, WRITE_BEFORE, WRITE_UP_TO = 0.5, 2.4, 100  # seconds, seconds, teams written
MEMORY_GOAL = 4 * 1024  # MiB
DUTY_GAP_GOAL = 0.01
ONE_WORKER_BASELINE = 100  # teams: also solved on one worker, to show what two give


def flat_versus_decomposed(teams: int, weeks: int, flat_limit: float) -> list[str]:
    """Rows: the decomposed plan and the flat model on the same service."""
    from rota.domain.synthetic import synthetic_service
    from rota.solve.service_plan import plan_service
    from rota.solve.solver import SolveOptions

    service = synthetic_service(teams, team_size=TEAM_SIZE, weeks=weeks, seed=teams)
    rows = []
    for method, flat, limit in (("decomposed", False, 600.0), ("flat", True, flat_limit)):
        started = time.perf_counter()
        try:
            info = plan_service(service, SolveOptions(time_limit=limit), flat=flat).info
        except Exception as error:  # a flat model that finds nothing in time is a result too
            status, gap, reached = f"none ({type(error).__name__})", float("nan"), ""
        else:
            status, gap = info.status, info.gap
            reached = f"{len(info.objectives)}/{info.goals}" if flat else "all"
        seconds = time.perf_counter() - started
        rows.append(
            f"{teams:>5} {teams * TEAM_SIZE:>6} {method:>10} {status:>22} {gap:>7.1%} "
            f"{reached:>6} {seconds:>8.2f}"
        )
    return rows


def scale_row(teams: int, weeks: int, workers: int):
    """One size's figures, each beside its goal, as they come; run in a process of its own."""
    from rota.domain.synthetic import synthetic_service
    from rota.io.excel import write_service_rota
    from rota.solve.solver import SolveOptions
    from rota.solve.teams import duty_and_teams, plan_teams

    imported = _now()
    service = synthetic_service(teams, team_size=TEAM_SIZE, weeks=weeks, seed=teams)
    built = _now()
    options = SolveOptions(time_limit=7200.0).started()  # ample: the figures are the point
    yield f"{teams} teams, {teams * TEAM_SIZE} staff, {weeks} weeks, {workers} workers"
    yield _figure("imports", STARTED, imported)
    yield _figure("building the service", imported, built)
    # cover soft, as with --allow-short: some synthetic teams cannot meet their minimum
    stages = duty_and_teams(service, options, workers, allow_short=True)
    solved = _now()
    duty_done = built[0] + stages.duty_seconds  # the teams ran beside it: no CPU of its own
    yield _wall("duty stage", stages.duty_seconds, _duty_quality(stages.duty))
    yield _wall("team solves after the duty stage", solved[0] - duty_done, _ahead(stages))
    yield _figure(f"duty stage and team solves ({workers} workers)", built, solved)
    problems, plans = (list(side) for side in zip(*stages.teams, strict=True))
    yield f"  {'':<40} {_optimal(plans)}"
    if teams == ONE_WORKER_BASELINE and workers > 1:
        again = _now()
        plan_teams(problems, options, 1, True)
        yield _figure("team solves (1 worker, the baseline)", again, _now())
    finished = solved
    if teams <= WRITE_UP_TO:
        with tempfile.TemporaryDirectory() as folder:
            started = _now()
            write_service_rota(Path(folder) / "rota.xlsx", stages.teams)
            written = _now()
        goal = WRITE_GOAL if teams == 30 else None
        yield _figure("writing Rota, Summary, Checks", started, written, goal, _was(teams))
        finished = tuple(s + w - b for s, w, b in zip(solved, written, started, strict=True))
    yield _figure("whole run", STARTED, finished, WHOLE_RUN_GOAL.get(teams))
    yield _memory()


def _now() -> tuple[float, float]:
    """Wall seconds, and the CPU seconds of this process and its finished team workers:
    on a machine busy with other work, CPU seconds over the cores is the time it would
    take alone."""
    own, workers = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return time.perf_counter(), own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def _duty_quality(info) -> str:
    if info is None:
        return "no duty to generate"
    met = info.proven_optimal or info.gap <= DUTY_GAP_GOAL
    quality = "proven optimal" if info.proven_optimal else f"within {info.gap:.2%} of its bound"
    return f"{quality} (goal: optimal or within {DUTY_GAP_GOAL:.0%}: {_met(met)})"


def _ahead(stages) -> str:
    """How many teams were planned during the duty stage, on the cores it left free."""
    if not stages.planned_ahead and not stages.discarded:
        return "teams planned after the duty stage"
    return (
        f"{stages.planned_ahead + stages.discarded} teams planned during the duty stage, "
        f"{stages.discarded} of them again (duty reached them)"
    )


def _optimal(plans) -> str:
    proven = sum(p.info.proven_optimal for p in plans)
    short = [s.short for p in plans for s in p.shortfalls]
    return (
        f"{proven} of {len(plans)} teams proven optimal; {sum(1 for p in plans if p.shortfalls)}"
        f" short of cover, {sum(short)} staff-days in all"
    )


def _was(teams: int) -> str:
    return f"was {WRITE_BEFORE} s before styles were shared" if teams == 30 else ""


def _figure(what: str, since, until, goal: float | None = None, extra: str = "") -> str:
    seconds, cpu = until[0] - since[0], until[1] - since[1]
    line = f"  {what:<40} {seconds:>8.2f} s (CPU {cpu:>7.2f} s)"
    if goal is not None:
        line += f"   goal < {goal:g} s: {_met(seconds < goal)}"
    return line + (f"   {extra}" if extra else "")


def _wall(what: str, seconds: float, extra: str) -> str:
    """A figure in wall seconds only: work beside it shares its CPU seconds."""
    return f"  {what:<40} {seconds:>8.2f} s {'(wall)':>15}   {extra}"


def _memory() -> str:
    """Peak resident memory of this process plus the largest team worker (MiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    peak = own + worker
    return (
        f"  {'peak memory (planner + largest worker)':<40} {peak:>8.0f} MiB"
        f"   goal < {MEMORY_GOAL} MiB: {_met(peak < MEMORY_GOAL)}"
        f"   ({own:.0f} + {worker:.0f}; {os.cpu_count()} cores)"
    )


def _met(met: bool) -> str:
    return "met" if met else "NOT met"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="teams")
    parser.add_argument(
        "--flat-limit", type=float, default=30.0, help="time limit for the flat model (s)"
    )
    parser.add_argument("--weeks", type=int, default=WEEKS)
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a scale row, in-process
    args = parser.parse_args(argv)
    if args.one:
        for line in scale_row(args.one, args.weeks, args.workers):
            print(line, flush=True)
        return
    flat_sizes = [n for n in args.sizes if n in FLAT_SIZES]
    if flat_sizes:
        print(f"{'teams':>5} {'staff':>6} {'method':>10} {'status':>22} {'gap':>7} "
              f"{'goals':>6} {'seconds':>8}")  # fmt: skip
        for teams in flat_sizes:
            print("\n".join(flat_versus_decomposed(teams, args.weeks, args.flat_limit)), flush=True)
    for teams in args.sizes:
        command = [sys.executable, __file__, "--one", str(teams), "--weeks", str(args.weeks)]
        command += ["--workers", str(args.workers)]
        subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
