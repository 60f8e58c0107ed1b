"""``workwell rota request`` and ``capacity``: thin commands over the library.

Exit codes: 0 done (a request that can be granted); 4 a request that cannot be granted;
2 bad input (nothing written); 1 the team cannot be planned at all; 5 no plan found within
--time-limit.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from rota.cli.params import refuse_unsafe_outputs, writing
from rota.cli.support import (
    BAD_INPUT,
    INFEASIBLE,
    REFUSED,
    TIMED_OUT,
    fail,
    the_request,
    time_limit_option,
)
from rota.domain.capacity import CapacityTable
from rota.domain.capacity import capacity as capacity_of
from rota.domain.problem import WEEKDAYS, Pattern, Problem, ProblemError
from rota.domain.rules import describe_day
from rota.domain.service import Service
from rota.domain.words import aligned_table
from rota.io.capacity_report import write_capacity_workbook
from rota.io.cells import WorkbookError
from rota.io.files import Place
from rota.io.service_workbook import read_any
from rota.io.workbook import read_team
from rota.requests import RequestAnswer, RequestError, answer_request, short_day
from rota.solve.duty import DutyError
from rota.solve.service_plan import plan_service
from rota.solve.solver import InfeasibleError, SolveOptions, TimedOutError

PATTERN_WORDS = {
    Pattern.NINE_DAY_FORTNIGHT: "nine-day fortnight",
    Pattern.FOUR_DAY_WEEK: "four-day week",
}
ORDINALS = ("1st", "2nd", "3rd", "4th", "5th")


def _read_any(path: Path) -> Service:
    try:
        return read_any(path)
    except (WorkbookError, ProblemError) as error:
        fail(error.problems, BAD_INPUT, f"{path.name} cannot be used:")


def _read_team(path: Path) -> Problem:
    try:
        return read_team(path)
    except (WorkbookError, ProblemError) as error:
        fail(error.problems, BAD_INPUT, f"{path.name} cannot be used:")


def _options(time_limit: float) -> SolveOptions:
    return SolveOptions(time_limit=time_limit)


@click.command("request")
@the_request
@click.option(
    "--alternatives",
    type=click.IntRange(min=0),
    default=3,
    show_default=True,
    help="How many alternatives to offer when the request cannot be granted.",
)
@time_limit_option
def request(team_workbook, staff_id, pattern, day, week, alternatives, time_limit) -> None:
    """Can a flexible-working request be granted without breaking cover, duty or anyone
    else's agreed day? Plans the team with and without it and compares.

    Exit code 0 if it can be granted, 4 if not (with the dates and rules it breaks and the
    best alternatives), 2 on bad input, 1 if the team cannot be planned at all.

    \b
    Example: workwell rota request team.xlsx --staff SW03 --pattern 9DF --day Fri --week A
    """
    problem = _read_team(team_workbook)
    try:
        answer = answer_request(
            problem, staff_id, pattern, day, week, _options(time_limit), alternatives
        )
    except RequestError as error:
        fail([f"--{error.option}: {error}"], BAD_INPUT)
    except InfeasibleError as error:
        fail(error.conflicts, INFEASIBLE, "The team cannot be planned at all:")
    except TimedOutError as error:
        fail([str(error)], TIMED_OUT)
    for line in answer_words(problem, answer):
        click.echo(line)
    if not answer.granted:
        sys.exit(REFUSED)


def answer_words(problem: Problem, answer: RequestAnswer) -> list[str]:
    """The answer in plain words for a team manager."""
    lines = [
        f"Request from {answer.name} ({answer.staff_id}): {PATTERN_WORDS[answer.pattern]}, "
        f"standing day {answer.standing_day}."
    ]
    if answer.week_chosen:
        lines.append(f"No week given: week {answer.standing_day.week} is the better of A and B.")
    if answer.granted:
        lines.append("CAN BE GRANTED: cover, duty and every agreed day still hold.")
    else:
        lines.append("CANNOT BE GRANTED without breaking cover, duty or an agreed day:")
        lines += [f"  - {b}" for b in answer.breaks]
    lines.append(f"Falls on {len(answer.dates)} dates: {', '.join(map(short_day, answer.dates))}.")
    if answer.moves:
        lines.append(f"Moves on {len(answer.moves)} of them (duty, leave or bank holidays):")
        lines += [f"  - {_move_words(m)}" for m in answer.moves]
    lines.append("Cover, fewest present on each weekday (before -> after; spare over the minimum):")
    lines += [
        f"  {WEEKDAYS[c.weekday]}  {c.fewest_before} -> {c.fewest_after} "
        f"(spare {c.spare_before} -> {c.spare_after})"
        for c in answer.cover
    ]
    lines.append(
        f"Owed flexi days not taken across the team: {answer.not_taken_before} -> "
        f"{answer.not_taken_after}."
    )
    if not answer.granted:
        lines += _alternative_words(problem, answer)
    return lines


def _move_words(move) -> str:
    where = (
        f"taken {short_day(move.moved_to)} instead"
        if move.moved_to
        else "no day off that week or fortnight"
    )
    if move.reason.endswith("(counts as the day off)"):
        where = "no other day needed"
    return f"{short_day(move.day)}: {move.reason}; {where}"


def _alternative_words(problem: Problem, answer: RequestAnswer) -> list[str]:
    if not answer.alternatives:
        return ["No alternatives judged."]
    person = problem.member(answer.staff_id)
    lines = ["Best alternatives:"]
    for number, alt in enumerate(answer.alternatives, start=1):
        verdict = "can be granted" if alt.granted else f"breaks {len(alt.breaks)} rule(s)"
        choice = (
            f"; {ORDINALS[alt.preference]} choice"
            if alt.preference < len(person.preferred_days)
            else ""
        )
        lines.append(
            f"  {number}. {alt.standing_day}: {verdict}; moves on {alt.forced_moves} date(s) "
            f"for duty, leave or bank holidays; {alt.days_not_taken} team days not taken{choice}"
        )
        if alt.breaks:
            lines.append(f"     first: {alt.breaks[0]}")
    return lines


@click.command("capacity")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option(
    "--out", type=click.Path(path_type=Path), help="Also write the tables to this workbook."
)
@time_limit_option
def capacity(workbook: Path, out: Path | None, time_limit: float) -> None:
    """Plan the team (or every team of a service workbook), then show for each weekday of
    week A and week B how many more people could take that day off before cover breaks
    (0 where the team is on duty). One table per team.

    Example: workwell rota capacity fixtures/rota/team.xlsx --out capacity.xlsx
    """
    if out is not None:
        refuse_unsafe_outputs([Place("--out", out)], [Place("the workbook", workbook)])
    service = _read_any(workbook)
    try:
        result = plan_service(service, _options(time_limit))
    except (InfeasibleError, DutyError) as error:
        lines = getattr(error, "conflicts", None) or error.problems
        fail(lines, INFEASIBLE, "The team cannot be planned at all:")
    except TimedOutError as error:
        fail([str(error)], TIMED_OUT)
    tables = [(problem, capacity_of(problem, team_plan)) for problem, team_plan in result.teams]
    for number, (problem, table) in enumerate(tables):
        if number:
            click.echo("")
        for line in capacity_words(problem, table):
            click.echo(line)
    if out is not None:
        with writing(Place("--out", out)):
            write_capacity_workbook(out, tables)
        click.echo(f"Wrote {out}.")


CAPACITY_HEADERS = (
    "Day",
    "Week",
    "More could be off",
    "Of them senior",
    "On days off duty",
    "Dates",
    "Duty dates",
    "Tightest date",
)


def capacity_words(problem: Problem, table: CapacityTable) -> list[str]:
    rows = [
        (
            WEEKDAYS[slot.weekday],
            slot.week,
            slot.spare,
            slot.senior_spare,
            slot.spare_off_duty,
            slot.dates,
            slot.duty_dates,
            f"{slot.tightest:%a %d %b}" if slot.tightest else None,
        )
        for weekday in range(5)
        for week in "AB"
        for slot in [table[weekday, week]]
    ]
    return [
        f"{table.team}, {describe_day(problem.team.start)} to {describe_day(problem.team.end)}:",
        "how many more people could take each weekday off before cover breaks, on the",
        "tightest of its dates (0 if the team is on duty then; '-' where there is no such date).",
        "",
        *aligned_table(CAPACITY_HEADERS, rows),
    ]
