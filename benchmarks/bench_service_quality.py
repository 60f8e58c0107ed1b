"""Service plans, goal by goal: the decomposed plan (duty first, then each team; then the
improvement step) beside the flat model (duty and every team in one CP-SAT model), for
synthetic services of about 5, 30 and 300 staff (2 teams of 3; 3 and 30 teams of 10),
13 weeks, duty by the day.
Each plan is scored on the flat model's own goals, in priority order; the flat model's
best value and its bound are printed beside it. Then the duty model's build time at
1,000 teams, beside the build of the duty model as it was before (read from git).

Run: python benchmarks/bench_service_quality.py [--limit S] [--flat-limit S] [--staff N ...]
     [--build-only]
Goal: the decomposed plan at least as good as the flat model on every goal, and equal to
the flat model's optimum where it proves one; the duty model built in under 1 s.
"""

import argparse
import importlib
import subprocess
import sys
import time
import types
from pathlib import Path

from rota.domain.synthetic import synthetic_service
from rota.solve.duty import DutyModel
from rota.solve.flat import flat_model, score
from rota.solve.service_plan import plan_service
from rota.solve.solver import SolveOptions, TimedOutError, solve_in_order

SIZES = ((2, 3), (3, 10), (30, 10))  # (teams, staff per team): about 5, 30 and 300 staff
MAXIMISED = {"owed days taken", "agreed standing days kept"}
OLD_DUTY = ("17e14de", "rota/duty.py")  # the duty model before this work


def compare(teams: int, size: int, limit: float, flat_limit: float) -> None:
    service = synthetic_service(teams, team_size=size, weeks=13, seed=teams)
    print(f"\n{teams * size} staff ({teams} teams of {size}), 13 weeks", flush=True)
    started = time.perf_counter()
    try:
        start = plan_service(service, SolveOptions(limit), improve_plan=False)
        seconds = time.perf_counter() - started
        started = time.perf_counter()
        improved = plan_service(service, SolveOptions(limit))
        lns_seconds = time.perf_counter() - started
    except TimedOutError as error:  # a result too: say so and go on
        print(f"decomposed plan: {error}")
        return
    scoring = SolveOptions(600)
    decomposed, with_lns = (
        score(service, start.teams, scoring),
        score(service, improved.teams, scoring),
    )
    flat, bounds, flat_info, flat_seconds = _flat(service, flat_limit)
    print(
        f"decomposed {seconds:.1f} s; with improvement {lns_seconds:.1f} s "
        f"({improved.improvement.pairs_tried} pairs tried, "
        f"{improved.improvement.changes_kept} kept); flat {flat_seconds:.1f} s "
        f"({flat_info.status}, {len(flat_info.objectives)}/{flat_info.goals} goals)"
    )
    print(f"{'goal':<56} {'decomp':>8} {'+LNS':>8} {'flat':>8} {'bound':>9}  verdict")
    for name in with_lns:
        print(
            f"{name[:56]:<56} {decomposed[name]:>8} {with_lns[name]:>8} "
            f"{_show(flat.get(name)):>8} {_show(bounds.get(name)):>9}  "
            f"{_verdict(name, with_lns[name], flat.get(name), bounds.get(name))}"
        )
    print(f"lexicographically, decomposed + LNS vs flat: {_lexicographic(with_lns, flat)}")


def _flat(service, limit: float):
    """The flat model solved goal by goal, with each goal's bound."""
    started = time.perf_counter()
    model = flat_model(service)
    bounds: dict = {}
    _, info = solve_in_order(
        model.model, model.objectives, {}, SolveOptions(limit), started, bounds=bounds
    )
    return info.objectives, bounds, info, time.perf_counter() - started


def _show(value) -> str:
    return "-" if value is None else f"{value:g}"


def _verdict(name: str, mine: int, flat, bound) -> str:
    if flat is None:
        return "flat reached no value"
    sign = -1 if name in MAXIMISED else 1
    words = "better" if sign * mine < sign * flat else "equal" if mine == flat else "WORSE"
    if bound is not None and round(bound) == flat:
        words += " (flat proved optimum)"
    return words


def _lexicographic(mine: dict, flat: dict) -> str:
    for name, value in mine.items():
        if name not in flat:
            return "flat stopped before this goal; decomposed at least as good so far"
        if value != flat[name]:
            better = value > flat[name] if name in MAXIMISED else value < flat[name]
            return f"{'better' if better else 'WORSE'} (first differs on {name!r})"
    return "equal on every goal"


def build_times(teams: int = 1000) -> None:
    """The duty model's build (variables, rules and goals) at ``teams`` teams of 10, now
    and as it was (``OLD_DUTY`` from git), in the same run; bank holidays looked up first."""
    service = synthetic_service(teams, team_size=10, weeks=13, seed=teams)
    for problem in service.teams:
        problem.bank_holidays  # noqa: B018  (each team's calendar, outside the build)
    new = _timed(lambda: DutyModel(service).objectives())
    old_module = _old_duty()
    old = _timed(lambda: old_module.DutyModel(service).objectives()) if old_module else None
    old_words = f"{old[0]:.2f} s ({old[1]:.2f} s CPU)" if old else "not found in git"
    print(
        f"\nduty model build at {teams} teams: now {new[0]:.2f} s ({new[1]:.2f} s CPU); "
        f"before {old_words}"
    )
    print(f"target: under 1 s: {'met' if new[0] < 1 else 'NOT met'}")


def _timed(build) -> tuple[float, float]:
    """Wall and CPU seconds (the CPU figure is steadier on a shared machine)."""
    started, cpu = time.perf_counter(), time.process_time()
    build()
    return time.perf_counter() - started, time.process_time() - cpu


def _old_duty():
    """The old duty module, imported from git (its imports followed to where they now sit)."""
    root = Path(__file__).resolve().parents[1]
    commit, path = OLD_DUTY
    found = subprocess.run(
        ["git", "-C", str(root), "show", f"{commit}:{path}"], capture_output=True, text=True
    )
    if found.returncode != 0:
        return None
    module = types.ModuleType("old_duty")
    sys.modules["old_duty"] = module  # dataclasses look their module up
    source = found.stdout
    for line in [li for li in source.splitlines() if li.startswith("from rota.")]:
        name = line.split()[1]
        source = source.replace(f"from {name} import", f"from {_where(name)} import")
    exec(compile(source, "old_duty.py", "exec"), module.__dict__)  # noqa: S102
    return module


def _where(name: str) -> str:
    """``rota.x``, or the ``rota.<package>.x`` it moved to."""
    try:
        importlib.import_module(name)
        return name
    except ModuleNotFoundError:
        base = name.split(".")[-1]
        for package in ("domain", "solve", "io"):
            try:
                importlib.import_module(f"rota.{package}.{base}")
                return f"rota.{package}.{base}"
            except ModuleNotFoundError:
                continue
        raise


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=float, default=60.0, help="decomposed time limit (s)")
    parser.add_argument("--flat-limit", type=float, default=120.0, help="flat time limit (s)")
    parser.add_argument("--build-only", action="store_true", help="only the build times")
    parser.add_argument(
        "--staff", type=int, nargs="*", help="only the services of these staff counts"
    )
    args = parser.parse_args()
    if not args.build_only:
        for teams, size in SIZES:
            if not args.staff or teams * size in args.staff:
                compare(teams, size, args.limit, args.flat_limit)
    build_times()
    sys.stdout.flush()


if __name__ == "__main__":
    main()
