"""Every call the web page makes into the rota library, in one place.

Each job takes the uploaded bytes, works in its own temporary folder (deleted before it
returns) and returns an ``Outcome`` of plain data and file bytes, so it can run in a
worker process. Mistakes in the input come back as the library's own messages, in the
same words and places as the command line; a programming bug is not caught here.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path

from rota.cli.support import BAD_INPUT, time_limit_option  # noqa: F401  (for web.serve)
from web.gaps_jobs import check_gaps  # noqa: F401  (a job, as web.app calls it)
from web.results import Outcome, date, people_words, staff_words, summary_parts, zip_folder
from web.results import bad_input as _bad
from web.results import save_upload as _save
from web.sheets import Layout, read_blocks, read_grid, read_table

LATER = {"calendars.zip": ("rota.xlsx", "calendars_zip")}  # name -> (made from, by), on demand
PLACE = re.compile(r"^(?P<file>[^:]+): (?P<sheet>[^,:]+), row (?P<row>\d+)\b")
REQUEST_LABELS = {"staff": "Staff ID", "pattern": "Pattern", "day": "Standing day", "week": "Week"}


def warm_up() -> None:
    """Import the planner in a fresh worker, so the first plan does not wait for it."""
    import rota.io.excel  # noqa: F401
    import rota.io.service_workbook  # noqa: F401
    import rota.solve.service_plan  # noqa: F401


def rota_layout() -> Layout:
    from rota.io import excel

    return Layout(
        excel.HEADER_ROW,
        excel.FIRST_DAY_COLUMN,
        excel.PERSON_HEADERS.index("ID") + 1,
        frozenset(code for code, _, _ in palette()),
        excel.SHORT.fgColor.rgb[-6:].upper(),
    )


def palette() -> list[tuple[str, str, str]]:
    """(code, fill colour, meaning) for every code the Rota sheet uses, in its order."""
    from rota.io import excel

    return [*excel.CODES.values(), excel.NOT_TAKEN, *excel.HALF_DAY_LEGEND]


def gap_meanings() -> list[tuple[str, str]]:
    """Each kind of gap and what it means, as the gaps workbook's About sheet says."""
    from rota.gaps.report import MEANINGS

    return list(MEANINGS.items())


def short_colour() -> str:
    from rota.io import excel

    return excel.SHORT.fgColor.rgb[-6:].upper()


# Reading a team or service workbook, as `rota check` does.


def _read_service(path: Path, warnings: list[str] | None = None):
    """(service, []) or (None, every problem) for a team or service workbook; its
    warnings added to ``warnings``."""
    from rota.domain.problem import ProblemError
    from rota.io.cells import WorkbookError
    from rota.io.service_workbook import read_any

    warnings = [] if warnings is None else warnings
    try:
        return read_any(path, warnings), []
    except (WorkbookError, ProblemError) as error:
        warnings += getattr(error, "warnings", [])
        return None, list(error.problems)


def _cannot_use(path: Path, problems: list[str]) -> str:
    count = f" ({len(problems)} problems)" if len(problems) > 1 else ""
    return f"{path.name} cannot be used{count}:"


def check_workbook(name: str, data: bytes) -> Outcome:
    """Every mistake and warning in a team or service workbook, or what it holds, in the
    words of `rota check`."""
    from rota.plan_words import check_lines

    with tempfile.TemporaryDirectory() as folder:
        path = _save(Path(folder), name, data)
        warnings: list[str] = []
        service, problems = _read_service(path, warnings)
        if service is None:
            outcome = _bad("check", _cannot_use(path, problems), problems)
            outcome.notes = rows_named(path, problems)
        else:
            lines = check_lines(name, service, warnings)
            outcome = Outcome("check", "done", lines[-1], lines=lines[:-1])
        outcome.warnings = list(warnings)
        return outcome


def rows_named(path: Path, problems: list[str]) -> list[str]:
    """For each problem that names a sheet and row, that row's cells as the user typed
    them ('' for the others), to show beside it."""
    from web.sheets import read_rows

    places = [PLACE.match(p) for p in problems]
    wanted = {(m["sheet"], int(m["row"])) for m in places if m and m["file"] == path.name}
    found = read_rows(path, wanted)
    return [" | ".join(found.get((m["sheet"], int(m["row"])), [])) if m else "" for m in places]


# Planning.


def _options(time_limit: float):
    from rota.solve.solver import SolveOptions

    return SolveOptions(time_limit=time_limit)


def _timed_out(kind: str, error) -> Outcome:
    """No rota found before the time limit: not proof that none exists."""
    return Outcome(kind, "timed_out", f"No rota found in {error.seconds:g} s; try a longer "
                   "time limit.")  # fmt: skip


def plan_workbook(name: str, data: bytes, time_limit: float, allow_short: bool = False) -> Outcome:
    """Plan a team or service workbook: the grid, the Summary and the files to download;
    with ``allow_short``, a rota fewest staff-days short when cover cannot be met."""
    from rota.io.csvout import write_csv
    from rota.io.excel import write_service_rota
    from rota.plan_words import shortfall_lines
    from rota.solve.duty import DutyError
    from rota.solve.service_plan import plan_service
    from rota.solve.solver import InfeasibleError, TimedOutError

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        path = _save(folder, name, data)
        service, problems = _read_service(path)
        if service is None:
            outcome = _bad("plan", _cannot_use(path, problems), problems)
            outcome.notes = rows_named(path, problems)
            return outcome
        try:
            result = plan_service(
                service, _options(time_limit), processes=1, allow_short=allow_short
            )
        except (InfeasibleError, DutyError) as error:
            lines = getattr(error, "conflicts", None) or error.problems
            return Outcome(
                "plan", "infeasible", "No rota can meet the hard rules; nothing written.", lines
            )
        except TimedOutError as error:
            return _timed_out("plan", error)
        out = folder / "out"
        write_service_rota(
            out / "rota.xlsx",
            result.teams,
            result.info,
            rules=service,
            service_short=result.uncovered_duty,
        )
        write_csv(out / "rota.csv", result.teams)
        outcome = _rota_outcome("plan", out / "rota.xlsx", f"Planned {service.name}", result.teams)
        outcome.files["rota.csv"] = (out / "rota.csv").read_bytes()
        outcome.short = shortfall_lines(result.teams, result.uncovered_duty)
        return outcome


def calendars_zip(rota_data: bytes) -> bytes:
    """Everyone's calendar from a written rota, as `rota ics` writes them, zipped; made
    when first downloaded, as most managers plan several times before sending any."""
    from rota.io.ics import calendars, write_calendars
    from rota.io.rotaread import read_rota

    with tempfile.TemporaryDirectory() as folder:
        rota_path = _save(Path(folder), "rota.xlsx", rota_data)
        rota = read_rota(rota_path)
        write_calendars(Path(folder) / "calendars", calendars(rota, rota.week_a), rota.saved_at)
        return zip_folder(Path(folder) / "calendars")


def _rota_outcome(kind: str, rota_path: Path, heading: str, teams, changed=None) -> Outcome:
    """The grid and Summary of a written rota workbook, with the workbook to download;
    ``teams`` the (problem, plan) pairs it was written from."""
    from rota.plan_words import flexi_words

    blocks = read_blocks(rota_path, "Summary")  # the people, then hours, duty, goals
    rows = [r for r in blocks[0] if sum(bool(v) for v in r) > 1]
    tables, notes = summary_parts(blocks[1:])
    grid = read_grid(rota_path, rota_layout(), changed)
    return Outcome(
        kind,
        "done",
        heading,
        lines=[
            grid.subtitle,
            *staff_words(rows),
            f"{flexi_words(teams)} (why: see the Summary below).",
        ],
        files={"rota.xlsx": rota_path.read_bytes()},
        grid=grid,
        table=rows,
        notes=notes,
        tables=tables,
        people=people_words(rows),
    )


def blank_template(service: bool) -> bytes:
    """The blank team (or service) workbook that `rota template` writes."""
    from rota.io.service_workbook import write_service_workbook
    from rota.io.template import write_team_workbook

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "template.xlsx"
        (write_service_workbook if service else write_team_workbook)(path)
        return path.read_bytes()


# Answering a flexible-working request.


def answer(name: str, data: bytes, staff_id: str, pattern: str, day: str, week: str | None,
           time_limit: float) -> Outcome:  # fmt: skip
    """Judge a request as `rota request` does; the answer in its words."""
    from rota.cli.requests import answer_words
    from rota.domain.problem import ProblemError
    from rota.io.cells import WorkbookError
    from rota.io.workbook import read_team
    from rota.requests import RequestError, answer_request
    from rota.solve.solver import InfeasibleError, TimedOutError

    with tempfile.TemporaryDirectory() as folder:
        path = _save(Path(folder), name, data)
        try:
            problem = read_team(path)
        except (WorkbookError, ProblemError) as error:
            return _bad("request", f"{path.name} cannot be used:", error.problems)
        try:
            found = answer_request(problem, staff_id, pattern, day, week, _options(time_limit))
        except RequestError as error:
            label = REQUEST_LABELS.get(error.option, error.option)
            return _bad("request", "The request cannot be judged:", [f"{label}: {error}"])
        except InfeasibleError as error:
            return Outcome(
                "request", "infeasible", "The team cannot be planned at all:", error.conflicts
            )
        except TimedOutError as error:
            return _timed_out("request", error)
        status = "done" if found.granted else "refused"
        return Outcome("request", status, lines=answer_words(problem, found))


# Re-planning after sickness.


def replan_rota(rota_name: str, rota_data: bytes, rules_name: str | None,
                rules_data: bytes | None, absences: list[tuple[str, str, str]],
                replan_from: str | None, time_limit: float) -> Outcome:  # fmt: skip
    """Re-plan a written rota for the people off, against the rules given or (none given)
    those the rota carries; the new grid with the changes and short days marked."""
    from rota.io.excel import write_service_rota
    from rota.plan_words import shortfall_lines, sick_day_lines
    from rota.replan import check_inputs, replan
    from rota.solve.solver import InfeasibleError, TimedOutError

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        rota_path = _save(folder, rota_name, rota_data, "rota")
        rules_path = _save(folder, rules_name, rules_data, "rules") if rules_name else None
        service, grid, problems = _replan_inputs(rota_path, rules_path)
        absent, more = _absences(absences)
        problems += more
        start, more = date("Re-plan from", replan_from)
        problems += more
        if not problems and service is not None:
            problems += check_inputs(service, grid, absent, [])
        if problems:
            return _bad("replan", f"Cannot re-plan {rota_name}:", problems)
        try:
            result = replan(service, grid, absent, [], start, _options(time_limit))
        except InfeasibleError as error:
            return Outcome(
                "replan", "infeasible", "No re-plan can meet the hard rules.", error.conflicts
            )
        except TimedOutError as error:
            return _timed_out("replan", error)
        out = folder / "out" / "rota-replanned.xlsx"
        write_service_rota(out, result.teams, changes=result.changes, rules=service)
        outcome = _rota_outcome(
            "replan",
            out,
            f"Re-planned from {result.replan_from}: {len(result.changes)} changes",
            result.teams,
            _changed_cells(result.changes),
        )
        outcome.files = {"rota-replanned.xlsx": outcome.files["rota.xlsx"]}
        outcome.table = read_table(out, "Changes")
        outcome.short = shortfall_lines(result.teams)
        outcome.lines += sick_day_lines(result.lost)
        return outcome


def _replan_inputs(rota_path: Path, rules_path: Path | None):
    """(service, grid, problems): the rules from ``rules_path`` or carried by the rota."""
    from rota.gaps.setup import NO_RULES, read_rules
    from rota.io.cells import WorkbookError
    from rota.io.rotaread import read_rota

    problems: list[str] = []
    service = read_rules(problems, rota_path, rules_path) if rules_path else None
    try:  # the rota, and the rules it carries when none were uploaded: one reading
        grid = read_rota(rota_path, rules=rules_path is None)
    except WorkbookError as error:
        return service, None, problems + list(error.problems)
    if rules_path is None:
        problems += grid.rules_problems
        service = grid.rules
        if service is None and not problems:
            problems.append(
                f"{rota_path.name} {NO_RULES}: upload the team or service workbook it was "
                "planned from"
            )
    return service, grid, problems


def _absences(rows: list[tuple[str, str, str]]):
    from rota.replan import Absence

    found, problems = [], []
    for number, (staff_id, first, last) in enumerate(rows, start=1):
        first_day, bad_first = date(f"Absence {number}, first day", first)
        last_day, bad_last = date(f"Absence {number}, last day", last)
        problems += bad_first + bad_last
        if not staff_id.strip():
            problems.append(f"Absence {number}: no staff id")
        elif first_day and last_day:
            try:
                found.append(Absence(staff_id.strip(), first_day, last_day))
            except ValueError as error:  # the absence's own check: ends before it starts
                problems.append(f"Absence {number}: {error}")
    if not rows:
        problems.append("name at least one person who is off")
    return found, problems


def _changed_cells(changes) -> dict[tuple[str, dt.date], str]:
    marked = {}
    for change in changes:
        if change.before:
            marked[change.staff_id, change.before] = f"{change.what} moved from here: {change.why}"
        if change.after:
            marked[change.staff_id, change.after] = f"{change.what} moved here: {change.why}"
    return marked
