"""Time writing (and reading back) a service's rota workbook, beside openpyxl writing the
same number of plain cells, in the same run.

Plans a synthetic service once (30 teams of 10 over 13 weeks unless told otherwise; its
cover soft, as with --allow-short, since some synthetic teams cannot meet their minimum),
then, best and median of ``--repeats`` runs, each in wall and CPU seconds:

1. ``write_service_rota``: the Rota, Summary and Checks sheets, the figure issue 13 asks
   to be under 0.5 s for 300 staff (2.4 s before styles were shared);
2. the baseline: openpyxl making and saving a workbook of as many cells, values only;
3. the same rota workbook saved by openpyxl's own ``save`` and by ``common.xlsx_save``;
4. ``read_rota`` of the workbook written (what ``rota check`` and ``rota gaps`` open).

With ``--before DIR`` (a checkout of an earlier writer, e.g. from ``git worktree add`` or
``git archive``), step 1 is also timed with DIR's code on the same plan, in a process of
its own. On a machine busy with other work the CPU seconds are the steadier figure.

Run: python benchmarks/bench_rota_write.py [--teams 30] [--repeats 5] [--before DIR]
"""

from __future__ import annotations

import argparse
import pickle
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

GOAL = 0.5  # seconds, for 30 teams (300 staff)
TEAM_SIZE, WEEKS = 10, 13


def planned(teams: int, time_limit: float) -> list:
    """(problem, plan) for each team of a synthetic service."""
    from rota.domain.synthetic import synthetic_service
    from rota.solve.service_plan import plan_service
    from rota.solve.solver import SolveOptions

    service = synthetic_service(teams, team_size=TEAM_SIZE, weeks=WEEKS, seed=teams)
    return plan_service(service, SolveOptions(time_limit=time_limit), allow_short=True).teams


def timed(run, repeats: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each of ``repeats`` calls of ``run``."""
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), _cpu()
        run()
        walls.append(time.perf_counter() - wall)
        cpus.append(_cpu() - cpu)
    return walls, cpus


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def line(what: str, walls: list[float], cpus: list[float], goal: float | None = None) -> str:
    text = (
        f"  {what:<44} best {min(walls):6.3f} s (CPU {min(cpus):6.3f} s), "
        f"median {statistics.median(walls):6.3f} s (CPU {statistics.median(cpus):6.3f} s)"
    )
    if goal is not None:
        text += f"   goal < {goal:g} s: {'met' if min(walls) < goal else 'NOT met'}"
    return text


def plain_cells(path: Path, rows: int, columns: int) -> None:
    """The baseline: openpyxl making and saving ``rows`` x ``columns`` plain cells."""
    from openpyxl import Workbook

    sheet = Workbook().active
    for row in range(1, rows + 1):
        for column in range(1, columns + 1):
            sheet.cell(row, column, "W" if column % 3 else column)
    sheet.parent.save(path)


def cells_written(path: Path) -> int:
    from openpyxl import load_workbook

    book = load_workbook(path)
    return sum(1 for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None)


def write_figures(teams: list, folder: Path, repeats: int) -> list[str]:
    """Writing the rota workbook, in this checkout or another (run as a script there)."""
    import rota.io.excel
    from rota.io.excel import write_service_rota

    path = folder / "rota.xlsx"
    walls, cpus = timed(lambda: write_service_rota(path, teams), repeats)
    return [f"  (the writer in {rota.io.excel.__file__})", line("write_service_rota", walls, cpus)]


def saves(teams: list, folder: Path, saving, repeats: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of ``saving`` the rota workbook, made anew (untimed) each time,
    its cells kept as the writer leaves them."""
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = timed(partial(saving, unsaved(teams, folder)), 1)
        walls += wall
        cpus += cpu
    return walls, cpus


def unsaved(teams: list, folder: Path):
    """The rota workbook ``write_service_rota`` makes, before it is saved."""
    import rota.io.excel as excel

    books = []
    writing_out = excel.save
    excel.save = lambda book, _: books.append(book)
    try:
        excel.write_service_rota(folder / "unsaved.xlsx", teams)
    finally:
        excel.save = writing_out
    return books[0]


def figures(teams: list, folder: Path, repeats: int, goal: float | None) -> list[str]:
    """Every figure of this checkout, in the order of the module docstring."""
    import rota.io.excel as excel
    from common.xlsx_save import save
    from rota.io.rotaread import read_rota

    path = folder / "rota.xlsx"
    walls, cpus = timed(lambda: excel.write_service_rota(path, teams), repeats)
    rows = [line("write_service_rota (Rota, Summary, Checks)", walls, cpus, goal)]
    cells = cells_written(path)
    columns = 65
    baseline = timed(lambda: plain_cells(folder / "plain.xlsx", cells // columns, columns), repeats)
    rows.append(line(f"baseline: openpyxl, {cells} plain cells", *baseline))
    rows.append(
        line(
            "  its save: openpyxl's own",
            *saves(teams, folder, lambda book: book.save(path), repeats),
        )
    )
    rows.append(
        line(
            "  its save: common.xlsx_save",
            *saves(teams, folder, lambda book: save(book, path), repeats),
        )
    )
    rows.append(line("read_rota of the workbook", *timed(lambda: read_rota(path), repeats)))
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--teams", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--time-limit", type=float, default=120.0, help="for the plan (s)")
    parser.add_argument("--before", type=Path, help="a checkout of an earlier writer")
    parser.add_argument("--plan", type=Path, help=argparse.SUPPRESS)  # --before's process
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        if args.plan:  # in the earlier checkout: its writer, on the plan made by the caller
            teams = pickle.loads(args.plan.read_bytes())
            print("\n".join(write_figures(teams, folder, args.repeats)), flush=True)
            return
        started = time.perf_counter()
        teams = planned(args.teams, args.time_limit)
        staff = sum(len(problem.staff) for problem, _ in teams)
        print(f"{args.teams} teams, {staff} staff, {WEEKS} weeks: planned in "
              f"{time.perf_counter() - started:.1f} s", flush=True)  # fmt: skip
        goal = GOAL if args.teams == 30 else None
        print("\n".join(figures(teams, folder, args.repeats, goal)), flush=True)
        if args.before:
            plan = folder / "plan.pickle"
            plan.write_bytes(pickle.dumps(teams))
            print(f"before ({args.before}):", flush=True)
            command = [sys.executable, str(args.before / "benchmarks" / Path(__file__).name)]
            if not Path(command[1]).exists():
                command[1] = str(Path(__file__).resolve())  # an earlier checkout without it
            command += ["--plan", str(plan), "--repeats", str(args.repeats)]
            subprocess.run(command, check=True, cwd=args.before, env=_path_env(args.before))


def _path_env(checkout: Path) -> dict:
    """The environment with ``checkout`` first on the import path."""
    import os

    return {**os.environ, "PYTHONPATH": str(checkout.resolve())}


if __name__ == "__main__":
    main()
