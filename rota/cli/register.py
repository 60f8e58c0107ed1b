"""``workwell rota register-template``, ``register`` and ``refusal``: the statutory process
around a flexible-working request. Thin commands over ``rota.domain.register``, ``rota.refusal``
and their writers.

Exit codes: 0 nothing to act on; 3 the register has something to act on (a third request
in 12 months, a decision due within two weeks or overdue); 4 a refusal case written (the
request cannot be granted); 2 bad input (nothing written); 1 and 5 as for ``rota request``.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from rota.cli.params import DATE, refuse_unsafe_outputs, writing
from rota.cli.support import (
    BAD_INPUT,
    GAPS_FOUND,
    INFEASIBLE,
    REFUSED,
    TIMED_OUT,
    fail,
    the_request,
    time_limit_option,
)
from rota.domain.refusal import Ground
from rota.domain.register import Finding, spelt
from rota.domain.words import plural
from rota.io.cells import WorkbookError
from rota.io.files import Place
from rota.io.register_book import read_register, write_register_status, write_register_template

GROUND_KEYS = [g.key for g in Ground]


@click.command("register-template")
@click.argument("out", type=click.Path(path_type=Path))
@click.option(
    "--force", is_flag=True, help="Replace OUT if it exists (a filled-in register is lost)."
)
def register_template(out: Path, force: bool) -> None:
    """Write a blank register of flexible-working requests for a manager to keep.
    An existing file is never replaced without --force.

    Example: workwell rota register-template register.xlsx
    """
    refuse_unsafe_outputs([Place("OUT", out)], overwrite=force)
    with writing(Place("OUT", out)):
        write_register_template(out)
    click.echo(f"Wrote {out}: one row per request on the Requests sheet (delete the example).")


@click.command("register")
@click.argument("register_workbook", type=click.Path(path_type=Path))
@click.option(
    "--today",
    type=DATE,
    help="The date to count from (2027-05-17 or 17/05/2027); default today.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Also write a status workbook here (a new file; the register is only read).",
)
def register(register_workbook: Path, today: dt.date | None, out: Path | None) -> None:
    """Check the register of flexible-working requests: warn at a person's third request
    in 12 months, and at a decision due within two weeks of the two-month limit or past
    it. Exit code 0 if nothing to act on, 3 if there is, 2 on bad input.

    \b
    Example: workwell rota register register.xlsx --out register-status.xlsx
    """
    from rota.domain.register import review

    today = today or dt.date.today()
    source = Place("the register", register_workbook)
    if out is not None:
        refuse_unsafe_outputs([Place("--out", out)], [source])
    warnings: list[str] = []
    try:
        book = read_register(register_workbook, today, warnings)
    except WorkbookError as error:
        _warn([*warnings, *error.warnings])
        fail(error.problems, BAD_INPUT, f"{register_workbook.name} cannot be used:")
    _warn(warnings)
    findings = review(book.requests, today)
    for line in register_words(register_workbook.name, book, findings, today):
        click.echo(line)
    if out is not None:
        with writing(Place("--out", out)):
            write_register_status(out, book, findings, today)
        click.echo(f"Wrote {out}.")
    if any(f.warning for f in findings):
        sys.exit(GAPS_FOUND)


def _warn(warnings: list[str]) -> None:
    for warning in warnings:
        click.echo(f"Warning: {warning}", err=True)


def register_words(name: str, book, findings: list[Finding], today: dt.date) -> list[str]:
    """A count, then each warning and note located by sheet, row and column."""
    requests = book.requests
    people = len({r.staff_id.casefold() for r in requests})
    waiting = sum(r.waiting for r in requests)
    lines = [
        f"{name}: {plural(len(requests), 'request')} from {plural(people, 'person', 'people')}, "
        f"{waiting} waiting for a decision, as at {spelt(today)}."
    ]
    for kind, flag in (("Warning", True), ("Note", False)):
        for finding in (f for f in findings if f.warning is flag):
            place = book.where(finding)
            row, column, header = place.of(finding.field)
            where = f"{name}: {place.sheet}, row {row}, column {_letter(column)} ({header})"
            lines.append(f"{kind}: {where}: {finding.message}")
    if not any(f.warning for f in findings):
        lines.append("Nothing to act on.")
    return lines


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


@click.command("refusal")
@the_request
@click.option("--received", type=DATE, help="The day the request was received, for the limit.")
@click.option(
    "--ground",
    "grounds",
    multiple=True,
    type=click.Choice(GROUND_KEYS, case_sensitive=False),
    help="A statutory business ground (repeatable); default: those the rota supports.",
)
@click.option("--note", default="", help="A sentence in your own words, added under the grounds.")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="The .docx to write.")
@time_limit_option
def refusal(
    team_workbook, staff_id, pattern, day, week, received, grounds, note, out, time_limit
) -> None:
    """Judge a flexible-working request as `rota request` does and, where it cannot be
    granted, write a one-page Word document for the consultation meeting: the business
    grounds, the dates and cover figures behind them, and the alternatives that could be
    granted. Exit code 4 when written, 0 when the request can be granted (nothing written).

    \b
    Example: workwell rota refusal team.xlsx --staff SW02 --pattern 9DF --day Mon
             --week A --received 2027-03-01 --out refusal-SW02.docx
    """
    from rota.cli.requests import _options, _read_team
    from rota.io.refusal_doc import write_refusal
    from rota.refusal import refusal_case
    from rota.requests import RequestError, answer_request
    from rota.solve.solver import InfeasibleError, TimedOutError

    if out.suffix.lower() != ".docx":
        fail([f"--out {out}: give a name ending .docx (a Word document)"], BAD_INPUT)
    if any(ord(c) < 32 and c not in "\t\n" for c in note):
        fail(["--note: holds control characters a Word document cannot hold; retype it"], BAD_INPUT)
    refuse_unsafe_outputs([Place("--out", out)], [Place("the team workbook", team_workbook)])
    problem = _read_team(team_workbook)
    try:
        answer = answer_request(problem, staff_id, pattern, day, week, _options(time_limit))
    except RequestError as error:
        fail([f"--{error.option}: {error}"], BAD_INPUT)
    except InfeasibleError as error:
        fail(error.conflicts, INFEASIBLE, "The team cannot be planned at all:")
    except TimedOutError as error:
        fail([str(error)], TIMED_OUT)
    if answer.granted:
        click.echo(
            f"{answer.name}'s request ({answer.standing_day}) CAN BE GRANTED: cover, duty and "
            "every agreed day still hold, so the rota gives no grounds to refuse it. "
            "Nothing written."
        )
        return
    named = tuple(Ground.named(key) for key in grounds)
    case = refusal_case(problem, answer, received, named, note)
    with writing(Place("--out", out)):
        write_refusal(out, case, team_workbook.name)
    chosen = "; ".join(g.ground.title for g in case.grounds)
    click.echo(f"{answer.name}'s request ({answer.standing_day}) cannot be granted.")
    click.echo(f"Grounds: {chosen}.")
    if case.limit is not None:
        left = (case.limit - dt.date.today()).days
        when = f"in {plural(left, 'day')}" if left >= 0 else f"{plural(-left, 'day')} ago"
        click.echo(f"Decision, including any appeal, due by {spelt(case.limit)} ({when}).")
    click.echo(f"Wrote {out}: adapt it before the consultation meeting.")
    sys.exit(REFUSED)
