"""``workwell rota plan``, ``check``, ``replan`` and ``template``: thin commands over the
planner, its readers and its writers. The solver is imported inside the commands that solve."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from common.errors import InputError
from rota.cli.params import (
    DATE,
    carried_rules_or_exit,
    parse_date,
    refuse_unsafe_outputs,
    writing,
)
from rota.cli.support import (
    BAD_INPUT,
    GAPS_FOUND,
    INFEASIBLE,
    TIMED_OUT,
    fail,
    rules_option,
    seed_option,
    time_limit_option,
    workers_option,
)
from rota.domain.problem import ProblemError
from rota.domain.seams import service_end_words, start_words
from rota.domain.service import Service
from rota.domain.words import plural
from rota.io.cells import WorkbookError
from rota.io.files import Place
from rota.io.service_workbook import read_any, write_service_workbook
from rota.io.template import write_team_workbook
from rota.plan_words import check_lines, flexi_words, shortfall_lines, sick_day_lines

if TYPE_CHECKING:
    from rota.replan import Absence
    from rota.solve.service_plan import ServicePlan


def _read(path: Path, warnings: list[str] | None = None) -> Service:
    """Read a team or service workbook; print its warnings; exit 2 listing its mistakes.
    ``plan``, ``check`` and ``replan`` all read through here, so they say the same."""
    warnings = [] if warnings is None else warnings
    try:
        service = read_any(path, warnings)
    except (WorkbookError, ProblemError) as error:
        _warn([*warnings, *getattr(error, "warnings", [])])
        count = len(error.problems)
        heading = f"{path.name} cannot be used" + (f" ({count} problems):" if count > 1 else ":")
        fail(error.problems, BAD_INPUT, heading)
    _warn(warnings)
    return service


def _warn(warnings: list[str]) -> None:
    for warning in warnings:
        click.echo(f"Warning: {warning}", err=True)


@click.command("plan")
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
    "--previous",
    "previous_path",
    type=click.Path(path_type=Path),
    help="The rota of the weeks just before (written by workwell, or in its layout): the "
    "fortnight straddling the two gets one day across both, the A/B cycle and standing "
    "days carry on.",
)
@time_limit_option
@seed_option
@workers_option
@click.option(
    "--allow-short",
    is_flag=True,
    help="When cover cannot be met, write the rota fewest staff-days short (exit code 3) "
    "instead of refusing.",
)
def plan_command(
    workbook: Path,
    out: Path,
    csv_path: Path | None,
    previous_path: Path | None,
    time_limit: float,
    seed: int,
    workers: int,
    allow_short: bool,
) -> None:
    """Plan a rota from a team or service workbook and write it to Excel.

    A service workbook (one with a Teams sheet) gets its duty rota too. With --previous,
    the plan carries on from the rota before it.

    Example: workwell rota plan fixtures/rota/team.xlsx --out rota.xlsx
    [--previous last-quarter.xlsx]
    """
    from rota.io.csvout import write_csv
    from rota.io.excel import write_service_rota
    from rota.solve.duty import DutyError
    from rota.solve.service_plan import plan_service
    from rota.solve.solver import InfeasibleError, SolveOptions, TimedOutError

    outputs = [Place("--out", out)] + ([Place("--csv", csv_path)] if csv_path else [])
    service = _read(workbook)  # first, so plan and check say the same of a broken workbook
    inputs = [Place("the workbook", workbook)]
    inputs += [Place("--previous", previous_path)] if previous_path else []
    refuse_unsafe_outputs(outputs, inputs)
    service = carry_on(service, previous_path)
    try:
        options = SolveOptions(time_limit, seed)
        result = plan_service(service, options, processes=workers, allow_short=allow_short)
    except (InfeasibleError, DutyError) as error:
        lines = getattr(error, "conflicts", None) or error.problems
        fail(lines, INFEASIBLE, "No rota can meet the hard rules; nothing written.")
    except TimedOutError as error:
        fail([f"{error}; nothing written."], TIMED_OUT)
    with writing(outputs[0]):
        write_service_rota(
            out, result.teams, result.info, rules=service, service_short=result.uncovered_duty
        )
    if csv_path:
        with writing(outputs[1]):
            write_csv(csv_path, result.teams)
    _say_what_was_planned(out, service, result)
    for line in service_end_words(service.teams):
        click.echo(line)
    _exit_if_short(result.teams, result.uncovered_duty)


def carry_on(service: Service, previous_path: Path | None) -> Service:
    """The service carried on from the previous rota (exit 2 naming every reason it
    cannot be); without one, a warning where a fortnight begun before is unaccounted for."""
    from rota.io.previous import follow_on
    from rota.io.rotaread import read_rota

    if previous_path is None:
        _warn([w for problem in service.teams if (w := start_words(problem))][:1])
        return service
    warnings: list[str] = []
    try:
        service = follow_on(service, read_rota(previous_path), warnings)
    except InputError as error:  # the file unreadable, or not the rota before this one
        _warn([str(w) for w in error.warnings])
        heading = f"{previous_path.name} cannot be used as the previous rota:"
        fail([str(p) for p in error.problems], BAD_INPUT, heading)
    _warn(warnings)
    return service


def _exit_if_short(teams, service_short=()) -> None:
    """Name the days short of cover and exit 3 (as ``gaps`` does), or return."""
    lines = shortfall_lines(teams, service_short)
    if not lines:
        return
    for line in lines:
        click.echo(line)
    sys.exit(GAPS_FOUND)


def _say_what_was_planned(out: Path, service: Service, result: ServicePlan) -> None:
    staff = sum(len(p.staff) for p in service.teams)
    teams = f"{len(service.teams)} teams, " if len(service.teams) > 1 else ""
    click.echo(
        f"Wrote {out} for {service.name}: {teams}{staff} staff, "
        f"{service.teams[0].team.weeks} weeks."
    )
    click.echo(f"{flexi_words(result.teams)} (reasons on the Summary sheet).")
    info = result.info
    quality = "proven optimal" if info.proven_optimal else f"gap {info.gap:.1%} to the bound"
    n = len(result.teams)
    cut = sum(len(p.info.objectives) < p.info.goals for _, p in result.teams if p.info)
    if cut:
        teams = f"{cut} of {plural(n, 'team')}"
        quality += f"; time ran out before every goal was optimised ({teams})"
    click.echo(f"Solver: {quality} in {info.seconds:.1f} s.")
    if result.improvement and result.improvement.pairs_tried:
        better = result.improvement
        click.echo(
            f"Then {plural(better.pairs_tried, 'pair')} of teams re-planned together to share "
            f"duty better: {plural(better.changes_kept, 'change')} kept, in "
            f"{better.seconds:.1f} s (--time-limit caps this)."
        )


@click.command("check")
@click.argument("workbook", type=click.Path(path_type=Path))
def check_command(workbook: Path) -> None:
    """Check a team or service workbook for mistakes without planning.

    Example: workwell rota check fixtures/rota/team.xlsx
    """
    warnings: list[str] = []
    service = _read(workbook, warnings)
    unsaid = [w for problem in service.teams if (w := start_words(problem))][:1]
    _warn(unsaid)  # said by plan too, unless --previous says it
    for line in check_lines(workbook.name, service, warnings + unsaid):
        click.echo(line)


@click.command("template")
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--service", is_flag=True, help="A service workbook: several teams sharing duty.")
@click.option(
    "--force", is_flag=True, help="Replace OUT if it exists (a filled-in workbook is lost)."
)
def template_command(out: Path, service: bool, force: bool) -> None:
    """Write a blank team (or service) workbook with instructions and example rows.
    An existing file is never replaced without --force.

    Example: workwell rota template team.xlsx
    """
    refuse_unsafe_outputs([Place("OUT", out)], overwrite=force)
    with writing(Place("OUT", out)):
        (write_service_workbook if service else write_team_workbook)(out)
    sheets = "Team, Teams, Staff, Duty and Leave" if service else "Team, Staff, Duty and Leave"
    click.echo(f"Wrote {out}: fill in the {sheets} sheets.")


def _absence(text: str) -> Absence:
    from rota.replan import Absence

    try:
        staff_id, first, last = text.split(":")
        return Absence(staff_id, parse_date(first), parse_date(last))
    except (ValueError, InputError) as error:  # unpacking, a date, the absence's own check
        raise click.BadParameter(
            f"{text!r}: expected ID:FROM:TO, e.g. SW01:2027-05-17:2027-05-21 "
            f"or SW01:17/05/2027:21/05/2027 ({error})"
        ) from None


def _swap(text: str) -> tuple[dt.date, dt.date]:
    try:
        first, second = text.split(":")
        return parse_date(first), parse_date(second)
    except (ValueError, InputError) as error:  # unpacking, or a date
        raise click.BadParameter(
            f"{text!r}: expected FROM:TO, e.g. 2027-05-18:2027-05-20 ({error})"
        ) from None


def _parse_all(texts, parse) -> tuple[list, list[str]]:
    """Parse every option value; return what parsed and a message for each that did not."""
    parsed, problems = [], []
    for text in texts:
        try:
            parsed.append(parse(text))
        except click.BadParameter as error:
            problems.append(error.message)
    return parsed, problems


@click.command("replan")
@click.argument("rota_workbook", type=click.Path(path_type=Path))
@rules_option
@click.option(
    "--absent",
    "absences",
    multiple=True,
    metavar="ID:FROM:TO",
    help="Someone off from FROM to TO (2027-05-17 or 17/05/2027); repeat for several people.",
)
@click.option(
    "--duty-swap",
    "swaps",
    multiple=True,
    metavar="FROM:TO",
    help="Duty on FROM moves to TO (2027-05-17 or 17/05/2027); repeat for several.",
)
@click.option(
    "--from",
    "replan_from",
    type=DATE,
    help="Re-plan from this date (2027-05-17 or 17/05/2027); earlier days never change. "
    "Default: the first absence or swap.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    required=True,
    help="The re-planned rota workbook, with a Changes sheet.",
)
@time_limit_option
@seed_option
def replan_command(
    rota_workbook: Path,
    rules_path: Path,
    absences,
    swaps,
    replan_from,
    out: Path,
    time_limit: float,
    seed: int,
) -> None:
    """Re-plan a rota when someone is off or duty moves, changing as little as possible.

    Example: workwell rota replan rota.xlsx --rules fixtures/rota/team.xlsx
    --absent SP01:2027-05-17:2027-05-21 --out rota-replanned.xlsx
    """
    from rota.io.excel import write_service_rota
    from rota.io.rotaread import read_rota
    from rota.replan import check_inputs, replan
    from rota.solve.solver import InfeasibleError, SolveOptions, TimedOutError

    inputs = [Place("the rota", rota_workbook)]
    refuse_unsafe_outputs(
        [Place("--out", out)],
        inputs + ([Place("the rules workbook", rules_path)] if rules_path else []),
    )
    service = _read(rules_path) if rules_path else None
    try:
        grid = read_rota(rota_workbook, rules=service is None)
    except WorkbookError as error:
        fail(error.problems, BAD_INPUT, f"Cannot re-plan {rota_workbook.name}:")
    service = service or carried_rules_or_exit(grid)
    absent, swapped, problems = _parse_all(absences, _absence), _parse_all(swaps, _swap), []
    problems = [
        *absent[1],
        *swapped[1],
        *check_inputs(service, grid, absent[0], swapped[0], replan_from),
    ]
    if problems:
        fail(problems, BAD_INPUT, f"Cannot re-plan {rota_workbook.name}:")
    try:
        result = replan(
            service, grid, absent[0], swapped[0], replan_from, SolveOptions(time_limit, seed)
        )
    except InfeasibleError as error:
        fail(error.conflicts, INFEASIBLE, "No re-plan can meet the hard rules; nothing written.")
    except TimedOutError as error:
        fail([f"{error}; nothing written."], TIMED_OUT)
    with writing(Place("--out", out)):
        write_service_rota(out, result.teams, changes=result.changes, rules=service)
    click.echo(
        f"Wrote {out}: re-planned from {result.replan_from}, "
        f"{plural(len(result.changes), 'change')} (see the Changes sheet)."
    )
    for change in result.changes:
        click.echo(
            f"  {change.staff_id} {change.what}: {change.before or 'none'} -> "
            f"{change.after or 'none'} ({change.why})"
        )
    for line in sick_day_lines(result.lost):
        click.echo(f"  {line}")
    _exit_if_short(result.teams)
