"""Sickness reported on a worker's non-working day, as the Team sheet's policy has it.

Under 'lost' (the default, as in most council flexi schemes) the day stays their
non-working day: nothing is given back and it is not sickness absence. Under 'given back'
the day is sickness like any other, and the re-plan moves the non-working day to another
day of the same week or fortnight where it can.
"""

from __future__ import annotations

import datetime as dt

from rota.domain.plan import Status
from rota.domain.problem import Leave, Problem, SickDay


def days_lost(problem: Problem, absences, statuses: dict, replan_from: dt.date) -> frozenset:
    """(staff id, date) of each non-working day the rota gave that falls in a reported
    sickness from ``replan_from`` on, when the team's policy is that the day is lost."""
    if problem.team.sick_on_non_working_day is not SickDay.LOST:
        return frozenset()
    ids = {p.id for p in problem.staff}
    return frozenset(
        (absence.staff_id, day)
        for absence in absences
        if absence.staff_id in ids
        for day in _days(absence.first_day, absence.last_day)
        if day >= replan_from and statuses.get((absence.staff_id, day)) is Status.NON_WORKING_DAY
    )


def sick_spells(absence, lost: frozenset) -> list[Leave]:
    """The absence as spells of sickness, leaving out the non-working days it loses."""
    spells, run = [], []
    for day in [*_days(absence.first_day, absence.last_day), None]:
        if day is not None and (absence.staff_id, day) not in lost:
            run.append(day)
            continue
        if run:
            spells.append(Leave(absence.staff_id, run[0], run[-1], "sickness"))
        run = []
    return spells


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
