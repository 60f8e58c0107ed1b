"""What the rota commands share: exit codes, the failure message, common options."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

INFEASIBLE, BAD_INPUT, GAPS_FOUND, REFUSED = 1, 2, 3, 4
TIMED_OUT = 5

time_limit_option = click.option(
    "--time-limit",
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    help="Seconds the whole command may take: duty, every team and any explanation.",
)
seed_option = click.option(
    "--seed", type=int, default=0, show_default=True, help="Solver random seed."
)
rules_option = click.option(
    "--rules",
    "rules_path",
    type=click.Path(path_type=Path),
    help="The team or service workbook the rota was planned from: minimums, seniors, buddies, "
    "caseloads, duty. Not needed for a rota planned by workwell: it carries its rules.",
)


def machine_cores() -> int:
    """The processors this process may run on (fewer than the machine's when pinned)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


workers_option = click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=machine_cores,
    show_default="this machine's cores",
    help="Teams planned at once, each in its own process; the rota is the same for any number.",
)


def fail(lines: list[str], code: int, heading: str | None = None) -> None:
    """Print a heading and one line per problem to stderr, then exit with ``code``."""
    if heading:
        click.echo(heading, err=True)
    for line in lines:
        click.echo(f"  - {line}" if heading else line, err=True)
    sys.exit(code)


def the_request(command):
    """The team workbook and the request in it: what `rota request` and `rota refusal` take."""
    for decorator in reversed(
        [
            click.argument("team_workbook", type=click.Path(path_type=Path)),
            click.option(
                "--staff", "staff_id", required=True, help="Staff id of the person asking."
            ),
            click.option(
                "--pattern", required=True, help="9DF (nine-day fortnight) or 4DW (four-day week)."
            ),
            click.option(
                "--day",
                required=True,
                help="The standing day asked for: Mon, Tue, Wed, Thu or Fri.",
            ),
            click.option(
                "--week", help="For 9DF, week A or B; leave out to judge both and pick the better."
            ),
        ]
    ):
        command = decorator(command)
    return command
