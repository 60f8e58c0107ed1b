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
from dataclasses import replace

from rota.domain.problem import BankHolidayRule, Pattern, StaffMember, StandingDay, Team
from rota.domain.rota import Rota, RotaError
from rota.domain.rules import describe_day
from rota.domain.seams import standing_from_words, took_day
from rota.domain.service import Service
from rota.io.excel_summary import pattern_words
from rota.io.layout import normalise


def _at(rota: Rota, row: int | None = None, day: dt.date | None = None) -> str:
    """Where in the previous rota: its file and sheet, and a row or a date's column."""
    where = [rota.sheet] + ([f"row {row}"] if row else [])
    if day is not None:
        where.append(f"column {rota.day_columns[day]} ({day})")
    return f"{rota.source}: {', '.join(where)}"


def follow_on(service: Service, previous: Rota, warnings: list[str]) -> Service:
    """``service`` carried on from ``previous`` (as ``rota.io.rotaread`` reads it); raise
    RotaError listing every reason it cannot be, with what is doubtful added to
    ``warnings``."""
    team = service.teams[0].team
    problems = _period_problems(team, previous)
    problems += _cycle_problems(team, previous, warnings)
    staff = {p.id: p for problem in service.teams for p in problem.staff}
    problems += _people_problems(staff, previous, warnings)
    taken, found = _taken_before(team, staff, previous)
    problems += [] if problems else found  # a rota of other weeks says nothing of the seam
    if not any(p.standing for p in previous.staff):
        warnings.append(
            f"{_at(previous)}: no 'Standing day' column, so standing days are not carried "
            "over; give agreed days on the Staff sheet to keep them"
        )
    if problems:
        raise RotaError(problems, warnings)
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


def _period_problems(team: Team, previous: Rota) -> list[str]:
    """The previous rota ends in the week before the start: no overlap, no weeks between."""
    days = previous.days
    first, last = min(days), max(days)
    if last >= team.start:
        into = min(d for d in days if d >= team.start)
        return [
            f"{_at(previous, day=into)}: the previous rota ({first} to {last}) overlaps this "
            f"plan's period, which starts {describe_day(team.start)}; give the rota of the "
            "weeks before it, or start this plan after the previous one ends"
        ]
    following = last - dt.timedelta(days=last.weekday()) + dt.timedelta(weeks=1)
    if following < team.start:
        friday = team.start - dt.timedelta(days=3)
        return [
            f"{_at(previous, day=last)}: the previous rota ends {describe_day(last)}, so the "
            f"weeks from {describe_day(following)} to {describe_day(friday)} "
            f"would be planned by neither; start this plan on {following}, or plan those "
            "weeks first"
        ]
    return []


def _cycle_problems(team: Team, previous: Rota, warnings: list[str]) -> list[str]:
    """The previous rota's week letters agree with the Team sheet's week A."""
    label = previous.week_a_label
    if label is None:
        warnings.append(
            f"{_at(previous)}: no week letters (A/B) above the dates, so the A/B cycle cannot "
            f"be checked against it; the Team sheet's 'Week A starts' ({team.week_a_start}) "
            "is used"
        )
        return []
    if team.week_letter(label) == "A":
        return []
    weeks = (team.start - label).days // 7
    fix = team.start if weeks % 2 == 0 else team.start + dt.timedelta(weeks=1)
    shown = label if label in previous.day_columns else previous.days[0]
    return [
        f"{_at(previous, day=shown)}: the previous rota heads the week of "
        f"{describe_day(label)} week A, but the Team sheet's 'Week A starts' "
        f"({team.week_a_start}) makes it week B; the A/B cycle carries on from one plan to "
        f"the next, so set 'Week A starts' to {fix}"
    ]


def _people_problems(staff: dict[str, StaffMember], previous: Rota, warnings) -> list[str]:
    """The same ID is the same person; leavers and joiners are warned of."""
    problems, shown = [], {p.id: p for p in previous.staff}
    for person in previous.staff:
        now = staff.get(person.id)
        if now is None:
            warnings.append(
                f"{_at(previous, person.row)}: {person.id} ({person.name or 'no name'}) is in "
                "the previous rota but not on the Staff sheet (left the team?); nothing of "
                "theirs is carried over"
            )
        elif person.name and normalise(person.name) != normalise(now.name):
            problems.append(
                f"{_at(previous, person.row)}: {person.id} is {person.name!r} in the previous "
                f"rota but {now.name!r} on the Staff sheet; one ID must be one person, so "
                "correct whichever is wrong"
            )
        elif person.pattern and normalise(person.pattern) != normalise(pattern_words(now)):
            warnings.append(
                f"{_at(previous, person.row)}: {person.id} worked {person.pattern} in the "
                f"previous rota and {pattern_words(now)} now"
            )
    if not staff.keys() & shown.keys():
        problems.append(
            f"{_at(previous)}: nobody in the previous rota is on the Staff sheet (by ID); "
            "is it another team's rota?"
        )
    for staff_id in sorted(staff.keys() - shown.keys()):
        warnings.append(
            f"{staff_id} ({staff[staff_id].name}) is on the Staff sheet but not in the previous "
            f"rota {previous.source} (joined the team?); planned as if new"
        )
    return problems


def _taken_before(team: Team, staff: dict, previous: Rota):
    """(9DF workers whose fortnight straddling the start had its day before it, problems).
    Only a plan starting in week B straddles; the Team sheet's list speaks for joiners."""
    if team.week_letter(team.start) != "B":
        return team.taken_before_start, []
    week = [team.start - dt.timedelta(weeks=1) + dt.timedelta(days=i) for i in range(5)]
    absorb = team.bank_holiday_rule is BankHolidayRule.ABSORB
    listed = team.taken_before_start
    taken, problems = set(listed or ()) - {p.id for p in previous.staff}, []
    for shown in previous.staff:
        person = staff.get(shown.id)
        if person is None or person.pattern is not Pattern.NINE_DAY_FORTNIGHT:
            continue
        standing = standing_from_words(shown.standing) or person.agreed_day
        took = took_day(previous.statuses, shown.id, week, standing, absorb)
        if took:
            taken.add(shown.id)
        if listed is not None and (shown.id in listed) != took:
            problems.append(
                f"the Team sheet's '9DF day already taken the week before' "
                f"{'lists' if shown.id in listed else 'leaves out'} {shown.id}, but the "
                f"previous rota ({_at(previous, shown.row)}) shows "
                f"{'a' if took else 'no'} non-working day in the week of "
                f"{describe_day(week[0])}; correct the one that is wrong (or empty the setting: "
                "--previous says it for everyone in the rota)"
            )
    return frozenset(taken), problems


def _carried(person: StaffMember, previous: Rota, warnings: list[str]) -> StaffMember:
    """The person with the previous rota's standing day as their agreed day, where the
    Staff sheet gives none and it fits their pattern."""
    shown = next((p for p in previous.staff if p.id == person.id), None)
    if shown is None or not person.pattern.is_flexi:
        return person
    slot = standing_from_words(shown.standing)
    if slot is None or person.agreed_day == slot:
        return person
    if person.agreed_day is not None:
        warnings.append(
            f"{_at(previous, shown.row)}: {person.id}'s standing day was {slot}; the Staff "
            f"sheet's agreed day {person.agreed_day} is kept"
        )
        return person
    if (slot.week is None) != (person.pattern is Pattern.FOUR_DAY_WEEK):
        warnings.append(
            f"{_at(previous, shown.row)}: {person.id}'s standing day {slot} does not fit their "
            f"pattern now ({person.pattern.value}), so it is not carried over"
        )
        return person
    return replace(person, agreed_day=StandingDay(slot.weekday, slot.week))
