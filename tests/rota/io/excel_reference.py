"""A small service plan built by hand (no solver, so solver changes cannot move it) that
uses every feature of the rota workbook, and a dump of a written workbook: every cell's
value, number format, font, fill, border, alignment, protection and comment, and every
sheet's merged cells, widths, heights, freeze panes, breaks and print setup.

``excel_reference.json`` is this dump of the workbook the writer made before its styles
were shared (commit 17e14de, and main at the re-layout, alike); the test holds the writer
to it. When the workbook is changed on purpose, write the reference again and review its
diff:

    python tests/rota/io/excel_reference.py
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from openpyxl import load_workbook

from rota.domain.plan import OwedDay, Plan, Shortfall, SolveInfo, Status
from rota.domain.problem import Leave, Pattern, Problem, StaffMember, StandingDay, Team

REFERENCE = Path(__file__).with_name("excel_reference.json")
START = dt.date(2027, 4, 26)  # six weeks with two bank holidays (3 and 31 May)
WEEKS = 6


def reference_service() -> list[tuple[Problem, Plan]]:
    """Two teams: every pattern, leave, bank holidays, whole-team and group duty, owed
    days moved and not taken, and days short of cover."""
    return [_team("Assessment & Intervention 1", 0), _team("=Child Protection", 1)]


def reference_changes() -> list:
    from rota.replan import Change

    return [
        Change("Assessment & Intervention 1", "A1", "Ann Lee", "non-working day",
               START, START + dt.timedelta(days=1), "sickness of a colleague"),
        Change("=Child Protection", "=B2", "+Bo", "duty", START, None, "leave"),
    ]  # fmt: skip


def _staff(prefix: str) -> list[StaffMember]:
    first = "A1" if prefix == "A" else "=B2"
    return [
        StaffMember(first, "Ann Lee" if prefix == "A" else "+Bo", "Social worker", True, 37.0,
                    Pattern.NINE_DAY_FORTNIGHT, preferred_days=(4, 0),
                    agreed_day=StandingDay(4, "A"), caseload=12),
        StaffMember(f"{prefix}2", "Dev Okafor-Smith", "Senior practitioner", True, 37.0,
                    Pattern.FOUR_DAY_WEEK, preferred_days=(0,), caseload=9),
        StaffMember(f"{prefix}3", "Eve", "Social worker", False, 22.5,
                    Pattern.PART_TIME, fixed_days_off=(2, 3), caseload=5),
        StaffMember(f"{prefix}4", "Fay Long-Name Worthington-Smythe", "Manager", False, 36.5,
                    Pattern.FULL_TIME),
    ]  # fmt: skip


def _team(name: str, index: int) -> tuple[Problem, Plan]:
    team = Team(name, START, WEEKS, START, min_present=3, min_senior=1, min_present_on_duty=3)
    staff = _staff("AB"[index])
    days = [START + dt.timedelta(weeks=w, days=d) for w in range(WEEKS) for d in range(5)]
    duty = frozenset(days[index::4])
    pool = {days[index]: frozenset({staff[0].id, staff[1].id})}
    leave = [Leave(staff[1].id, days[6], days[8]), Leave(staff[3].id, days[12], days[12], "sick")]
    problem = Problem(team, staff, duty, leave, pool)
    return problem, _plan(problem, days, index)


def _plan(problem: Problem, days: list[dt.date], index: int) -> Plan:
    statuses, owed = {}, []
    for person in problem.staff:
        for i, day in enumerate(days):
            statuses[person.id, day] = _status(problem, person, day, i)
        if person.pattern.is_flexi:
            owed += _owed(person, days, statuses)
    standing = {p.id: _standing(p) for p in problem.staff if p.pattern.is_flexi}
    short = [
        Shortfall(days[9], "staff present", 1, "A2 on annual leave", frozenset({"annual leave"})),
        Shortfall(days[9], "senior staff present", 1, "x " * 80, frozenset({"sickness"})),
    ][: index + 1]
    info = SolveInfo("FEASIBLE", 1.25, 0.031, {"owed days taken": 6, "preference": 2}, 11)
    return Plan(problem.team.name, days, statuses, standing, owed, info, short)


def _standing(person: StaffMember) -> StandingDay:
    return StandingDay(
        person.preferred_days[0], "A" if person.pattern.weeks_per_day_off == 2 else None
    )


def _status(problem: Problem, person: StaffMember, day: dt.date, i: int) -> Status:
    absent = problem.fixed_absence(person, day)
    if absent == "bank holiday":
        return Status.BANK_HOLIDAY
    if absent == "part-time day off":
        return Status.OFF
    if absent:
        return Status.LEAVE
    if person.pattern.is_flexi and day.weekday() == person.preferred_days[0] and i % 10 < 5:
        return Status.NON_WORKING_DAY
    return Status.DUTY if problem.in_duty_pool(person.id, day) else Status.WORK


def _owed(person: StaffMember, days: list[dt.date], statuses: dict) -> list[OwedDay]:
    """One owed day a week or fortnight: taken where the plan has it, else not taken."""
    span = 5 * person.pattern.weeks_per_day_off
    owed = []
    for first in range(0, len(days), span):
        period = days[first : first + span]
        taken = [d for d in period if statuses[person.id, d] is Status.NON_WORKING_DAY]
        on_standing = bool(taken) and first % 10 == 0
        reason = None if on_standing else ("leave that week" if not taken else "duty on Monday")
        day = taken[0] if taken else None
        owed.append(OwedDay(person.id, period[0], day, on_standing, reason))
    return owed


def dump(path: Path) -> dict:
    """Everything a reader of ``path`` sees, as plain JSON-able values; styles are listed
    once and each cell names its style by number, to keep the dump small."""
    book = load_workbook(path)
    styles: dict[str, int] = {}
    return {
        "sheets": book.sheetnames,
        "active": book.active.title,
        "sheet": {sheet.title: _sheet(sheet, styles) for sheet in book.worksheets},
        "styles": list(styles),
    }


def _sheet(sheet, styles: dict[str, int]) -> dict:
    cells = {}
    for row in sheet.iter_rows():
        for cell in row:
            style = _style(cell)
            if cell.value is None and style == DEFAULT_STYLE and cell.comment is None:
                continue
            number = styles.setdefault(style, len(styles))
            comment = cell.comment and [cell.comment.text, cell.comment.author,
                                        cell.comment.width, cell.comment.height]  # fmt: skip
            cells[cell.coordinate] = [_value(cell), cell.data_type, number, comment]
    return {"cells": cells, **_sheet_setup(sheet)}


def _sheet_setup(sheet) -> dict:
    setup, margins = sheet.page_setup, sheet.page_margins
    return {
        "state": sheet.sheet_state,
        "protected": bool(sheet.protection.sheet),
        "freeze_panes": sheet.freeze_panes,
        "merged": sorted(str(r) for r in sheet.merged_cells.ranges),
        "widths": {k: d.width for k, d in sorted(sheet.column_dimensions.items())},
        "hidden_columns": sorted(k for k, d in sheet.column_dimensions.items() if d.hidden),
        "heights": {str(k): d.height for k, d in sorted(sheet.row_dimensions.items())},
        "print": [setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight,
                  setup.scale, sheet.sheet_properties.pageSetUpPr.fitToPage,
                  margins.left, margins.right, margins.top, margins.bottom,
                  sheet.print_title_rows, sheet.print_title_cols, sheet.oddFooter.center.text],
        "row_breaks": [b.id for b in sheet.row_breaks.brk],
        "col_breaks": [b.id for b in sheet.col_breaks.brk],
        "auto_filter": sheet.auto_filter.ref,
        "validations": sorted(f"{v.type} {v.sqref} {v.formula1}"
                              for v in sheet.data_validations.dataValidation),
        "conditional": sorted(str(r.sqref) for r in sheet.conditional_formatting),
    }  # fmt: skip


def _value(cell) -> str | None:
    if cell.value is None:
        return None
    return f"{type(cell.value).__name__}:{cell.value}"


def _style(cell) -> str:
    parts = (cell.font, cell.fill, cell.border, cell.alignment, cell.protection)
    return " ".join([repr(cell.number_format), *map(_compact, parts)])


def _compact(style) -> str:
    """A style object as its XML holds it: its attributes set, and its elements, nested."""
    style = getattr(style, "_StyleProxy__target", style)  # a cell's style is proxied
    if not hasattr(style, "__elements__"):
        return repr(style)
    parts = [f"{k}={v}" for k, v in style]
    parts += [
        f"{name}={_compact(getattr(style, name))}"
        for name in style.__elements__
        if getattr(style, name) is not None
    ]
    return f"{type(style).__name__}({', '.join(parts)})"


def _default_style() -> str:
    from openpyxl import Workbook

    return _style(Workbook().active["A1"])


DEFAULT_STYLE = _default_style()


def write_reference(folder: Path) -> dict:
    """The reference workbook as this checkout's writer makes it, dumped."""
    from rota.io.excel import write_service_rota

    teams = reference_service()
    short = [Shortfall(teams[0][1].days[3], "duty", 1, "no team could be on duty")]
    path = write_service_rota(folder / "reference.xlsx", teams, None, reference_changes(), short)
    return dump(path)


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        REFERENCE.write_text(
            json.dumps(write_reference(Path(folder)), indent=0, sort_keys=True) + "\n"
        )
    print(f"wrote {REFERENCE}", file=sys.stderr)
