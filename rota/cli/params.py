"""What every rota command shares about its paths and dates: one output check, one way of
turning a failed write into a one-line message, one date type for the command line, and
the rules a workwell rota carries standing in for --rules."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager

import click

from common.files import CannotWrite
from rota.cli.support import BAD_INPUT, fail
from rota.domain.rota import Rota
from rota.domain.service import Service
from rota.io.cells import CellError, date
from rota.io.files import Place, output_problems

DATE_FORMS = "2027-05-17 or 17/05/2027"
_ISO = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_DAY_FIRST = re.compile(r"(\d{1,2})/(\d{1,2})/\d{4}")


def parse_date(words: str) -> dt.date:
    """A date as the workbook takes it: 2027-05-17 or day-first 17/05/2027, with a
    four-digit year. Anything else (a two-digit year, month-first) is refused, not guessed."""
    words = words.strip()
    found = _DAY_FIRST.fullmatch(words)
    if found and int(found.group(2)) > 12 and int(found.group(1)) <= 12:
        raise CellError(f"{words!r} looks month-first; write the day first: {DATE_FORMS}")
    if not (found or _ISO.fullmatch(words)):
        raise CellError(f"{words!r} is not a date; expected {DATE_FORMS}")
    try:
        return date(words, "UK")  # day first, as documented: 05/04/2027 is 5 April
    except CellError:
        raise CellError(f"{words!r} is not a real date; expected {DATE_FORMS}") from None


class DateParam(click.ParamType):
    """A click option holding a date: 2027-05-17 or 17/05/2027."""

    name = "date"

    def convert(self, value, param, ctx) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return parse_date(str(value))
        except CellError as error:
            self.fail(str(error), param, ctx)


DATE = DateParam()


def refuse_unsafe_outputs(
    files: list[Place],
    inputs: list[Place] = (),
    folder: Place | None = None,
    overwrite: bool = True,
) -> None:
    """Exit 2, writing nothing, if any output would clobber an input or cannot be written."""
    problems = output_problems(list(files), list(inputs), folder, overwrite)
    if len(problems) == 1:
        fail([f"{problems[0]}. Nothing written."], BAD_INPUT)
    if problems:
        fail(problems, BAD_INPUT, f"Nothing written ({len(problems)} problems):")


@contextmanager
def writing(what: Place) -> Iterator[None]:
    """Turn a write that fails after the checks (a full disk, a drive gone) into one line."""
    try:
        yield
    except (OSError, CannotWrite) as error:  # its filename would be our temporary file
        fail([f"{what}: cannot write there: {error.strerror or error}"], BAD_INPUT)


def carried_rules_or_exit(rota: Rota) -> Service:
    """The rules a workwell rota carries (read with ``read_rota(..., rules=True)``),
    standing in for --rules; exit 2 for a hand-made rota (it has none) or rules that were
    edited badly."""
    if rota.rules_problems:
        fail(rota.rules_problems, BAD_INPUT, f"{rota.source} cannot be used:")
    if rota.rules is None:
        fail(
            [f"{rota.source} carries no rules (it was not planned by workwell): give --rules"],
            BAD_INPUT,
        )
    return rota.rules
