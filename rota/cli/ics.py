"""``workwell rota ics``: one calendar per person from a written rota. Its own module, so
it never loads the solver the other answers need.

Exit codes: 0 done; 2 bad input (nothing written).
"""

from __future__ import annotations

from pathlib import Path

import click

from common.errors import InputError
from rota.cli.params import DATE, refuse_unsafe_outputs, writing
from rota.cli.support import BAD_INPUT, fail
from rota.domain.plan import Status
from rota.domain.words import plural
from rota.io.files import Place
from rota.io.ics import calendars, write_calendars
from rota.io.rotaread import read_rota


@click.command("ics")
@click.argument("rota_workbook", type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    required=True,
    help="Folder for the calendars, one STAFF-ID.ics per person.",
)
@click.option(
    "--previous",
    type=click.Path(path_type=Path),
    help="The rota these calendars replace: its days that have gone are sent as cancelled.",
)
@click.option(
    "--week-a",
    type=DATE,
    help="Monday of a week A (2027-05-17 or 17/05/2027), for a rota without 'Week n (A)' labels.",
)
def ics(rota_workbook: Path, out_dir: Path, previous: Path | None, week_a) -> None:
    """Write one iCalendar file per person with their flexi days off and duty days, for
    Outlook and other calendars. Re-importing after a re-plan updates the same events.

    \b
    Example: workwell rota ics rota.xlsx --out calendars --previous old.xlsx
    """
    inputs = [Place("the rota", rota_workbook)] + (
        [Place("--previous", previous)] if previous else []
    )
    refuse_unsafe_outputs([], inputs, folder=Place("--out", out_dir))
    if week_a is not None and week_a.weekday() != 0:
        fail([f"--week-a: {week_a:%Y-%m-%d} is a {week_a:%A}, not a Monday"], BAD_INPUT)
    try:
        rota = read_rota(rota_workbook)
        old = read_rota(previous) if previous else None
        found = calendars(rota, week_a or rota.week_a, old)
    except InputError as error:
        fail(error.problems, BAD_INPUT, "Cannot read the rota:")
    files = [Place("--out", out_dir / f"{c.file_name}.ics") for c in found]
    refuse_unsafe_outputs(files, inputs, folder=Place("--out", out_dir))
    with writing(Place("--out", out_dir)):
        write_calendars(out_dir, found, rota.saved_at)
    click.echo(_calendar_words(found, out_dir, previous is not None))


def _calendar_words(found: list, out_dir: Path, cancelling: bool) -> str:
    cancelled = sum(d.cancelled for c in found for d in c.days)
    return (
        f"Wrote {plural(len(found), 'calendar')} to {out_dir}: "
        f"{plural(sum(c.count(Status.NON_WORKING_DAY) for c in found), 'flexi day')} off, "
        f"{plural(sum(c.count(Status.DUTY) for c in found), 'duty day')}"
        + (f", {cancelled} cancelled." if cancelling else ".")
    )
