"""``workwell rota gaps``: a thin command over the cover-gaps checker and its report."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from rota.cli.params import writing
from rota.cli.support import BAD_INPUT, GAPS_FOUND, fail, rules_option
from rota.gaps.find import DEFAULT_THRESHOLD, closed_team_days, find_gaps
from rota.gaps.report import (
    HEATMAP,
    SUMMARY,
    WORKBOOK,
    GapsContext,
    summary_text,
    write_gaps_report,
)
from rota.gaps.setup import read_gaps_inputs
from rota.io.files import Place, output_problems

NO_GAPS = 0


@click.command("gaps")
@click.argument("rota_workbook", type=click.Path(path_type=Path))
@rules_option
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
    inputs = read_gaps_inputs(unsafe, rota_workbook, rules_path, min_present, min_senior, seniors)
    if inputs is None:
        _fail(unsafe)
    grid, rules = inputs.grid, inputs.rules
    found = find_gaps(
        grid,
        rules,
        duty_slots=inputs.duty_slots,
        threshold=threshold,
        duty_groups=inputs.duty_groups,
    )
    closed = frozenset(closed_team_days(grid, rules))
    context = GapsContext(
        rota_workbook.name, inputs.words, grid.teams, grid.days, threshold, closed
    )
    with writing(Place("--out", out)):
        paths = write_gaps_report(out, found, context)
    click.echo(summary_text(found, context))
    click.echo(f"Wrote {', '.join(p.name for p in paths)} in {out}.")
    sys.exit(GAPS_FOUND if found else NO_GAPS)


def _fail(problems: list[str]) -> None:
    problems = list(dict.fromkeys(problems))
    if len(problems) == 1:
        fail([f"Cannot check the rota, nothing written: {problems[0]}"], BAD_INPUT)
    count = f" ({len(problems)} problems)" if len(problems) > 1 else ""
    fail(problems, BAD_INPUT, f"Cannot check the rota{count}; nothing written:")
