"""``workwell rota``: thin commands over the planner, its readers and its writers."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from rota.csvout import write_csv
from rota.excel import write_rota
from rota.problem import ProblemError
from rota.solver import InfeasibleError, SolveOptions, plan
from rota.template import write_team_workbook
from rota.workbook import WorkbookError, read_team

BAD_INPUT, INFEASIBLE = 2, 1


def _fail(lines: list[str], code: int, heading: str) -> None:
    click.echo(heading, err=True)
    for line in lines:
        click.echo(f"  - {line}", err=True)
    sys.exit(code)


def _read(path: Path):
    try:
        return read_team(path)
    except (WorkbookError, ProblemError) as error:
        _fail(
            error.problems,
            BAD_INPUT,
            f"{path.name} cannot be used ({len(error.problems)} problems):"
            if len(error.problems) > 1
            else f"{path.name} cannot be used:",
        )


@click.group()
def rota() -> None:
    """Flexitime rota planner: place 9DF and 4DW days around duty, cover and leave."""


@rota.command("plan")
@click.argument("team_workbook", type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("rota.xlsx"),
    show_default=True,
    help="Rota workbook to write.",
)
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(path_type=Path),
    help="Also write the plan as CSV, one row per person per weekday.",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    help="Seconds the solver may take in all.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Solver random seed.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Solver threads; 1 gives the same rota on every run.",
)
def plan_command(
    team_workbook: Path,
    out: Path,
    csv_path: Path | None,
    time_limit: float,
    seed: int,
    workers: int,
) -> None:
    """Plan a rota from a team workbook and write it to Excel.

    Example: workwell rota plan fixtures/rota/team.xlsx --out rota.xlsx
    """
    problem = _read(team_workbook)
    try:
        result = plan(problem, SolveOptions(time_limit, seed, workers))
    except InfeasibleError as error:
        _fail(error.conflicts, INFEASIBLE, "No rota can meet the hard rules; nothing written.")
    write_rota(out, problem, result)
    if csv_path:
        write_csv(csv_path, problem, result)
    owed = result.owed
    click.echo(
        f"Wrote {out} for {problem.team.name}: {len(problem.staff)} staff, "
        f"{problem.team.weeks} weeks."
    )
    click.echo(
        f"Flexi days: {sum(o.taken is not None for o in owed)} taken, "
        f"{sum(o.moved for o in owed)} moved, "
        f"{sum(o.taken is None and not o.absorbed_by_bank_holiday for o in owed)} "
        "not taken (reasons on the Summary sheet)."
    )
    info = result.info
    quality = "proven optimal" if info.proven_optimal else f"gap {info.gap:.1%} to the bound"
    click.echo(f"Solver: {quality} in {info.seconds:.1f} s.")


@rota.command("check")
@click.argument("team_workbook", type=click.Path(path_type=Path))
def check_command(team_workbook: Path) -> None:
    """Check a team workbook for mistakes without planning.

    Example: workwell rota check fixtures/rota/team.xlsx
    """
    problem = _read(team_workbook)
    flexi = sum(p.pattern.is_flexi for p in problem.staff)
    click.echo(
        f"{team_workbook.name} is fine: {problem.team.name}, {len(problem.staff)} staff "
        f"({flexi} on 9DF or 4DW), {problem.team.weeks} weeks from {problem.team.start}, "
        f"{len(problem.duty_days)} duty days, {len(problem.leave)} spells of leave, "
        f"{len(problem.bank_holidays)} bank holidays."
    )


@rota.command("template")
@click.argument("out", type=click.Path(path_type=Path))
def template_command(out: Path) -> None:
    """Write a blank team workbook with instructions and one example row per sheet.

    Example: workwell rota template team.xlsx
    """
    write_team_workbook(out)
    click.echo(f"Wrote {out}: fill in the Team, Staff, Duty and Leave sheets.")
