"""``workwell rota``: thin commands over the planner, its readers and its writers."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from rota.csvout import write_csv
from rota.duty import DutyError
from rota.excel import write_service_rota
from rota.problem import ProblemError
from rota.service import Service
from rota.service_plan import ServicePlan, plan_service
from rota.service_workbook import read_any, write_service_workbook
from rota.solver import InfeasibleError, SolveOptions
from rota.template import write_team_workbook
from rota.workbook import WorkbookError

BAD_INPUT, INFEASIBLE = 2, 1


def _fail(lines: list[str], code: int, heading: str) -> None:
    click.echo(heading, err=True)
    for line in lines:
        click.echo(f"  - {line}", err=True)
    sys.exit(code)


def _read(path: Path) -> Service:
    try:
        return read_any(path)
    except (WorkbookError, ProblemError) as error:
        count = len(error.problems)
        heading = f"{path.name} cannot be used" + (f" ({count} problems):" if count > 1 else ":")
        _fail(error.problems, BAD_INPUT, heading)


@click.group()
def rota() -> None:
    """Flexitime rota planner: place 9DF and 4DW days around duty, cover and leave."""


@rota.command("plan")
@click.argument("workbook", type=click.Path(path_type=Path))
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
    help="Seconds the solver may take for each team (and the duty rota).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Solver random seed.")
def plan_command(
    workbook: Path, out: Path, csv_path: Path | None, time_limit: float, seed: int
) -> None:
    """Plan a rota from a team or service workbook and write it to Excel.

    A service workbook (one with a Teams sheet) gets its duty rota too.

    Example: workwell rota plan fixtures/rota/team.xlsx --out rota.xlsx
    """
    service = _read(workbook)
    try:
        result = plan_service(service, SolveOptions(time_limit, seed))
    except (InfeasibleError, DutyError) as error:
        lines = getattr(error, "conflicts", None) or error.problems
        _fail(lines, INFEASIBLE, "No rota can meet the hard rules; nothing written.")
    write_service_rota(out, result.teams, result.info)
    if csv_path:
        write_csv(csv_path, result.teams)
    _say_what_was_planned(out, service, result)


def _say_what_was_planned(out: Path, service: Service, result: ServicePlan) -> None:
    staff = sum(len(p.staff) for p in service.teams)
    teams = f"{len(service.teams)} teams, " if len(service.teams) > 1 else ""
    click.echo(
        f"Wrote {out} for {service.name}: {teams}{staff} staff, "
        f"{service.teams[0].team.weeks} weeks."
    )
    owed = [o for _, plan in result.teams for o in plan.owed]
    not_taken = sum(o.taken is None and not o.absorbed_by_bank_holiday for o in owed)
    click.echo(
        f"Flexi days: {sum(o.taken is not None for o in owed)} taken, "
        f"{sum(o.moved for o in owed)} moved, {not_taken} not taken "
        "(reasons on the Summary sheet)."
    )
    info = result.info
    quality = "proven optimal" if info.proven_optimal else f"gap {info.gap:.1%} to the bound"
    click.echo(f"Solver: {quality} in {info.seconds:.1f} s.")


@rota.command("check")
@click.argument("workbook", type=click.Path(path_type=Path))
def check_command(workbook: Path) -> None:
    """Check a team or service workbook for mistakes without planning.

    Example: workwell rota check fixtures/rota/team.xlsx
    """
    service = _read(workbook)
    for problem in service.teams:
        flexi = sum(p.pattern.is_flexi for p in problem.staff)
        click.echo(
            f"{problem.team.name}: {len(problem.staff)} staff ({flexi} on 9DF or 4DW), "
            f"{problem.team.weeks} weeks from {problem.team.start}, "
            f"{len(problem.duty_days)} duty days, {len(problem.leave)} spells of leave, "
            f"{len(problem.bank_holidays)} bank holidays."
        )
    click.echo(f"{workbook.name} is fine.")


@rota.command("template")
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--service", is_flag=True, help="A service workbook: several teams sharing duty.")
def template_command(out: Path, service: bool) -> None:
    """Write a blank team (or service) workbook with instructions and example rows.

    Example: workwell rota template team.xlsx
    """
    (write_service_workbook if service else write_team_workbook)(out)
    sheets = "Team, Teams, Staff, Duty and Leave" if service else "Team, Staff, Duty and Leave"
    click.echo(f"Wrote {out}: fill in the {sheets} sheets.")
