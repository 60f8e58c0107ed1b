"""Carry a new plan on from the rota before it (``rota plan --previous``).

The previous rota (written by workwell, or hand-made in its layout) must end the week
before the new period starts: no overlap, no unplanned weeks between. Its A/B week
letters must agree with the Team sheet's week A. From it come, for each 9DF worker, whether
the fortnight straddling the start already had its day (``Team.taken_before_start``), and
each flexi worker's standing day, kept as their agreed day where the Staff sheet gives
none. People in one and not the other (leavers, joiners) are warned of, never matched
by name.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from pathlib import Path

from openpyxl.utils import get_column_letter

from rota.cells import WorkbookError, open_workbook, text
from rota.excel_summary import pattern_words
from rota.layout import normalise
from rota.problem import BankHolidayRule, Pattern, StaffMember, StandingDay, Team
from rota.rotaread import RotaGrid, read_rota
from rota.rules import describe_day
from rota.seams import standing_from_words, took_day
from rota.service import Service

WEEK_HEADING = re.compile(r"\bweek\b[^()]*\(\s*([AB])\s*\)", re.IGNORECASE)  # 'Week 3 (B) ...'
WEEK_HEADING_ROWS = 20


@dataclass
class Previous:
    """The previous rota as read, with what is needed to point at its cells."""

    path: Path
    sheet: str
    grid: RotaGrid
    letters: dict[dt.date, tuple[str, int, int]]  # Monday -> (letter, row, column) shown

    def at(self, row: int | None = None, day: dt.date | None = None) -> str:
        where = [self.sheet] + ([f"row {row}"] if row else [])
        if day is not None:
            where.append(f"column {get_column_letter(self.grid.day_columns[day])} ({day})")
        return f"{self.path.name}: {', '.join(where)}"


def read_previous(path: Path) -> Previous:
    """Read a rota workbook and the A/B letters above its weeks; WorkbookError if unreadable."""
    grid = read_rota(path)
    book = open_workbook(path)
    sheet = book["Rota"] if "Rota" in book.sheetnames else book.worksheets[0]
    letters = {}
    for day, column in grid.day_columns.items():
        for row in range(1, min(sheet.max_row, WEEK_HEADING_ROWS) + 1):
            found = WEEK_HEADING.search(text(sheet.cell(row, column).value))
            if found and day.weekday() == 0:
                letters[day] = (found.group(1).upper(), row, column)
    return Previous(Path(path), sheet.title, grid, letters)


def follow_on(service: Service, previous: Previous, warnings: list[str]) -> Service:
    """``service`` carried on from ``previous``; raise WorkbookError listing every reason
    it cannot be, with what is doubtful added to ``warnings``."""
    team = service.teams[0].team
    problems = _period_problems(team, previous)
    problems += _cycle_problems(team, previous, warnings)
    staff = {p.id: p for problem in service.teams for p in problem.staff}
    problems += _people_problems(staff, previous, warnings)
    taken, found = _taken_before(team, staff, previous)
    problems += [] if problems else found  # a rota of other weeks says nothing of the seam
    if not any(p.standing for p in previous.grid.staff):
        warnings.append(
            f"{previous.at()}: no 'Standing day' column, so standing days are not carried "
            "over; give agreed days on the Staff sheet to keep them"
        )
    if problems:
        raise WorkbookError(problems, warnings)
    return replace(
        service,
        teams=[
            replace(
                problem,
                team=replace(problem.team, taken_before_start=taken),
                staff=[_carried(p, previous, warnings) for p in problem.staff],
            )
            for problem in service.teams
        ],
    )


def _period_problems(team: Team, previous: Previous) -> list[str]:
    """The previous rota ends in the week before the start: no overlap, no weeks between."""
    days = previous.grid.days
    first, last = min(days), max(days)
    if last >= team.start:
        into = min(d for d in days if d >= team.start)
        return [
            f"{previous.at(day=into)}: the previous rota ({first} to {last}) overlaps this "
            f"plan's period, which starts {describe_day(team.start)}; give the rota of the "
            "weeks before it, or start this plan after the previous one ends"
        ]
    following = last - dt.timedelta(days=last.weekday()) + dt.timedelta(weeks=1)
    if following < team.start:
        friday = team.start - dt.timedelta(days=3)
        return [
            f"{previous.at(day=last)}: the previous rota ends {describe_day(last)}, so the "
            f"weeks from {describe_day(following)} to {describe_day(friday)} "
            f"would be planned by neither; start this plan on {following}, or plan those "
            "weeks first"
        ]
    return []


def _cycle_problems(team: Team, previous: Previous, warnings: list[str]) -> list[str]:
    """The previous rota's week letters agree with the Team sheet's week A."""
    if not previous.letters:
        warnings.append(
            f"{previous.at()}: no week letters (A/B) above the dates, so the A/B cycle cannot "
            f"be checked against it; the Team sheet's 'Week A starts' ({team.week_a_start}) "
            "is used"
        )
        return []
    for monday, (letter, row, column) in sorted(previous.letters.items()):
        if team.week_letter(monday) == letter:
            continue
        weeks = (team.start - monday).days // 7
        at_start = letter if weeks % 2 == 0 else "AB"[letter == "A"]
        fix = team.start if at_start == "A" else team.start + dt.timedelta(weeks=1)
        return [
            f"{previous.path.name}: {previous.sheet}, row {row}, column "
            f"{get_column_letter(column)}: the previous rota heads the week of "
            f"{describe_day(monday)} week {letter}, but the Team sheet's 'Week A starts' "
            f"({team.week_a_start}) makes it week {team.week_letter(monday)}; the A/B cycle "
            f"carries on from one plan to the next, so set 'Week A starts' to {fix}"
        ]
    return []


def _people_problems(staff: dict[str, StaffMember], previous: Previous, warnings) -> list[str]:
    """The same ID is the same person; leavers and joiners are warned of."""
    problems, shown = [], {p.id: p for p in previous.grid.staff}
    for person in previous.grid.staff:
        now = staff.get(person.id)
        if now is None:
            warnings.append(
                f"{previous.at(person.row)}: {person.id} ({person.name or 'no name'}) is in "
                "the previous rota but not on the Staff sheet (left the team?); nothing of "
                "theirs is carried over"
            )
        elif person.name and normalise(person.name) != normalise(now.name):
            problems.append(
                f"{previous.at(person.row)}: {person.id} is {person.name!r} in the previous "
                f"rota but {now.name!r} on the Staff sheet; one ID must be one person, so "
                "correct whichever is wrong"
            )
        elif person.pattern and normalise(person.pattern) != normalise(pattern_words(now)):
            warnings.append(
                f"{previous.at(person.row)}: {person.id} worked {person.pattern} in the "
                f"previous rota and {pattern_words(now)} now"
            )
    if not staff.keys() & shown.keys():
        problems.append(
            f"{previous.at()}: nobody in the previous rota is on the Staff sheet (by ID); "
            "is it another team's rota?"
        )
    for staff_id in sorted(staff.keys() - shown.keys()):
        warnings.append(
            f"{staff_id} ({staff[staff_id].name}) is on the Staff sheet but not in the previous "
            f"rota {previous.path.name} (joined the team?); planned as if new"
        )
    return problems


def _taken_before(team: Team, staff: dict, previous: Previous):
    """(9DF workers whose fortnight straddling the start had its day before it, problems).
    Only a plan starting in week B straddles; the Team sheet's list speaks for joiners."""
    if team.week_letter(team.start) != "B":
        return team.taken_before_start, []
    week = [team.start - dt.timedelta(weeks=1) + dt.timedelta(days=i) for i in range(5)]
    absorb = team.bank_holiday_rule is BankHolidayRule.ABSORB
    listed = team.taken_before_start
    taken, problems = set(listed or ()) - {p.id for p in previous.grid.staff}, []
    for shown in previous.grid.staff:
        person = staff.get(shown.id)
        if person is None or person.pattern is not Pattern.NINE_DAY_FORTNIGHT:
            continue
        standing = standing_from_words(shown.standing) or person.agreed_day
        took = took_day(previous.grid.statuses, shown.id, week, standing, absorb)
        if took:
            taken.add(shown.id)
        if listed is not None and (shown.id in listed) != took:
            problems.append(
                f"the Team sheet's '9DF day already taken the week before' "
                f"{'lists' if shown.id in listed else 'leaves out'} {shown.id}, but the "
                f"previous rota ({previous.at(shown.row)}) shows "
                f"{'a' if took else 'no'} non-working day in the week of "
                f"{describe_day(week[0])}; correct the one that is wrong (or empty the setting: "
                "--previous says it for everyone in the rota)"
            )
    return frozenset(taken), problems


def _carried(person: StaffMember, previous: Previous, warnings: list[str]) -> StaffMember:
    """The person with the previous rota's standing day as their agreed day, where the
    Staff sheet gives none and it fits their pattern."""
    shown = next((p for p in previous.grid.staff if p.id == person.id), None)
    if shown is None or not person.pattern.is_flexi:
        return person
    slot = standing_from_words(shown.standing)
    if slot is None or person.agreed_day == slot:
        return person
    if person.agreed_day is not None:
        warnings.append(
            f"{previous.at(shown.row)}: {person.id}'s standing day was {slot}; the Staff "
            f"sheet's agreed day {person.agreed_day} is kept"
        )
        return person
    if (slot.week is None) != (person.pattern is Pattern.FOUR_DAY_WEEK):
        warnings.append(
            f"{previous.at(shown.row)}: {person.id}'s standing day {slot} does not fit their "
            f"pattern now ({person.pattern.value}), so it is not carried over"
        )
        return person
    return replace(person, agreed_day=StandingDay(slot.weekday, slot.week))
