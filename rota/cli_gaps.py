"""``workwell rota gaps``: a thin command over the cover-gaps checker and its report."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import click
from openpyxl import load_workbook

from rota.cells import WorkbookError
from rota.cli_params import writing
from rota.cli_support import BAD_INPUT, GAPS_FOUND, fail
from rota.files import Place, output_problems
from rota.gaps import DEFAULT_THRESHOLD, closed_team_days, find_gaps
from rota.gaps_input import rota_problems, rules_from_rota
from rota.gaps_report import (
    HEATMAP,
    SUMMARY,
    WORKBOOK,
    GapsContext,
    summary_text,
    write_gaps_report,
)
from rota.planned_with import carried_rules
from rota.problem import Problem, ProblemError
from rota.rotaread import read_rota
from rota.service_workbook import read_any

NO_GAPS = 0


@click.command("gaps")
@click.argument("rota_workbook", type=click.Path(path_type=Path))
@click.option(
    "--rules",
    "rules_path",
    type=click.Path(path_type=Path),
    help="Team or service workbook with the rules: minimums, seniors, buddies, caseloads, "
    "duty. Not needed for a rota planned by workwell: it carries the rules it was planned with.",
)
@click.option(
    "--min-present",
    type=click.IntRange(min=0),
    help="Minimum staff in on every team-day (overrides the rules' minimum).",
)
@click.option(
    "--min-senior",
    type=click.IntRange(min=0),
    help="Minimum senior staff in on every team-day (overrides the rules' minimum).",
)
@click.option(
    "--senior",
    "seniors",
    multiple=True,
    metavar="ID",
    help="Without --rules: a senior worker's ID, repeated for each (the rota does not say).",
)
@click.option(
    "--threshold",
    type=click.FloatRange(min=0),
    default=DEFAULT_THRESHOLD,
    show_default=True,
    help="Flag displaced workload above this many cases of absent colleagues per present "
    "worker per day.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    required=True,
    help="Folder to write gaps.xlsx, gaps.png and summary.txt into.",
)
def gaps(rota_workbook, rules_path, min_present, min_senior, seniors, threshold, out) -> None:
    """Find cover gaps in a rota, for service leads: short cover, no senior in, buddies
    both away, flexi days on duty days, duty not covered and displaced workload.

    Reads a rota written by workwell or a hand-made one (a header row with an ID column,
    optional Team, Name and Pattern columns, one column per date; codes W, D, NWD, L, BH,
    PT, blank for working). A rota planned by workwell carries its rules; a hand-made one
    needs --rules (or --min-present). Exit code 0: no gaps; 3: gaps found; 2: bad input.

    \b
    Example: workwell rota gaps rota.xlsx --out gaps
    Example: workwell rota gaps handmade.xlsx --rules fixtures/rota/team.xlsx --out gaps
    Example: workwell rota gaps handmade.xlsx --min-present 7 --min-senior 1 --senior TM01
    --out gaps
    """
    unsafe = output_problems(
        [Place("--out", out / name) for name in (WORKBOOK, HEATMAP, SUMMARY)],
        [Place("the rota", rota_workbook)] + ([Place("--rules", rules_path)] if rules_path else []),
        folder=Place("--out", out),
    )
    grid, rules, duty_slots, service = _inputs(
        unsafe, rota_workbook, rules_path, min_present, min_senior, seniors
    )
    groups = service.duty_groups if service else None
    found = find_gaps(grid, rules, duty_slots=duty_slots, threshold=threshold, duty_groups=groups)
    context = GapsContext(
        rota_workbook.name,
        _rules_words(rules_path, service, rota_workbook, min_present, min_senior),
        grid.teams,
        grid.days,
        threshold,
        frozenset(closed_team_days(grid, rules)),
    )
    with writing(Place("--out", out)):
        paths = write_gaps_report(out, found, context)
    click.echo(summary_text(found, context))
    click.echo(f"Wrote {', '.join(p.name for p in paths)} in {out}.")
    sys.exit(GAPS_FOUND if found else NO_GAPS)


def _inputs(problems: list[str], rota_path, rules_path, min_present, min_senior, seniors):
    """Read and cross-check the rota and its rules; exit 2 listing every problem, these
    ``problems`` (with the outputs) first."""
    service = _rules(problems, rota_path, rules_path, min_present)
    if (service is not None or rules_path is not None) and seniors:
        problems.append("--senior is only for use without rules: the rules say who is senior")
    rules = service.teams if service else None
    default_team = rules[0].team.name if rules and len(rules) == 1 else "Team"
    grid = _collect(problems, read_rota, rota_path, default_team)
    if grid is not None and service is None and min_present is not None:
        rules = _collect(problems, rules_from_rota, grid, min_present, min_senior or 0, seniors)
    elif rules is not None:
        rules = _collect(problems, _override, rules, min_present, min_senior)
    if grid is not None and rules is not None:
        problems += rota_problems(grid, rules, _sheet_name(rota_path))
    if problems:
        _fail(problems)
    return grid, rules, _duty_slots(service), service


def _rules(problems: list[str], rota_path: Path, rules_path: Path | None, min_present):
    """The rules: from --rules, else those a workwell rota carries; None for a hand-made
    rota, which then needs --min-present (or --rules)."""
    if rules_path is not None:
        return _collect(problems, read_any, rules_path)
    before = len(problems)
    service = _collect(problems, carried_rules, rota_path)
    if service is None and min_present is None and len(problems) == before:
        problems.append(
            f"{rota_path.name} carries no rules (it was not planned by workwell): give "
            "--rules TEAM.xlsx, or --min-present N (with --min-senior N and --senior ID for "
            "each senior worker)"
        )
    return service


def _duty_slots(service) -> frozenset | None:
    """A service that generates its duty needs some team on duty every working day; its
    workbook names no duty days, so say so (None: the rules' own duty days)."""
    if service is None or not (service.duty.generate and service.shares_duty):
        return None
    return frozenset(service.teams[0].working_days)


def _collect(problems: list[str], read, *args):
    """``read(*args)``, or None with its problems added to ``problems``."""
    try:
        return read(*args)
    except (WorkbookError, ProblemError) as error:
        problems.extend(error.problems)
    except ValueError as error:
        problems.append(str(error))
    return None


def _override(rules: list[Problem], min_present: int | None, min_senior: int | None):
    changes = {"min_present": min_present, "min_senior": min_senior}
    changes = {name: value for name, value in changes.items() if value is not None}
    return [
        dataclasses.replace(p, team=dataclasses.replace(p.team, **changes)) if changes else p
        for p in rules
    ]


def _sheet_name(path: Path) -> str:
    """The sheet read_rota reads: 'Rota', or else the first sheet."""
    book = load_workbook(path, read_only=True)
    try:
        return "Rota" if "Rota" in book.sheetnames else book.sheetnames[0]
    finally:
        book.close()


def _rules_words(rules_path: Path | None, service, rota_path, min_present, min_senior) -> str:
    overrides = [
        f"{words} {value}"
        for words, value in (("minimum present", min_present), ("minimum senior", min_senior))
        if value is not None
    ]
    if rules_path is None and service is None:
        return "options: " + ", ".join(overrides)
    source = rules_path.name if rules_path else f"the rules {rota_path.name} was planned with"
    return source + (f" with {', '.join(overrides)}" if overrides else "")


def _fail(problems: list[str]) -> None:
    problems = list(dict.fromkeys(problems))
    if len(problems) == 1:
        fail([f"Cannot check the rota, nothing written: {problems[0]}"], BAD_INPUT)
    count = f" ({len(problems)} problems)" if len(problems) > 1 else ""
    fail(problems, BAD_INPUT, f"Cannot check the rota{count}; nothing written:")
