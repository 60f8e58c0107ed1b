"""What a duty period costs a team and its people, in plain Python: who is away, how much
duty each person carries under the service's sharing rule, and which agreed standing days
and first preferences duty would displace. Shared by the duty model and the Summary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rota.domain.plan import Plan, Status
from rota.domain.problem import Problem
from rota.domain.service import DutyShare

SCALE = 1000  # duty days per person are compared as integers, in thousandths


def absences(problem: Problem, days: list[dt.date]) -> dict[dt.date, set[str]]:
    """The ids of those away whatever the plan says (leave, part-time day, bank holiday)
    on each of ``days`` with anyone away (``.get(day, NOBODY)`` for the rest): one pass
    over the team, not one per day and person."""
    wanted = set(days)
    away: dict[dt.date, set[str]] = {}
    everyone = {p.id for p in problem.staff}
    for day in wanted & problem.bank_holidays.keys():
        away[day] = set(everyone)
    for staff_id, leave in problem.leave_days.items():
        if staff_id in everyone:
            for day in wanted.intersection(leave):
                away.setdefault(day, set()).add(staff_id)
    for person in problem.staff:
        if person.fixed_days_off:
            for day in days:
                if day.weekday() in person.fixed_days_off:
                    away.setdefault(day, set()).add(person.id)
    return away


NOBODY: frozenset[str] = frozenset()


def on_duty_share(problem: Problem, pool: frozenset[str], rule: DutyShare) -> int:
    """Thousandths of a duty day each person of ``pool`` carries per day the pool is on
    duty. Workload per head: the team's day spread over its head count (a bigger team
    spreads each day's referrals thinner). Days per person: the share of the pool on
    duty that day (all of it, or the named duty workers among it)."""
    if rule is DutyShare.WORKLOAD_PER_HEAD:
        return round(SCALE / len(problem.staff)) if problem.staff else 0
    if not pool:
        return 0
    on_duty = min(problem.team.duty_workers or len(pool), len(pool))
    return round(SCALE * on_duty / len(pool))


def displaced(
    problem: Problem, days: list[dt.date], pool: frozenset[str], away: dict
) -> list[tuple[dt.date, tuple[int, int]]]:
    """The days of ``days`` on which duty would take something from ``pool``, each with its
    (agreed standing days, first preferences): a flexi worker in at work whose agreed
    standing day, or (with none agreed) whose first-choice weekday, falls on it."""
    by_weekday: dict[int, list[dt.date]] = {}
    for day in days:
        by_weekday.setdefault(day.weekday(), []).append(day)
    standing = dict.fromkeys(days, 0)
    preferred = dict.fromkeys(days, 0)
    for person in problem.staff:
        if person.id not in pool or not person.pattern.is_flexi:
            continue
        agreed, first = person.agreed_day, person.preferred_days[:1]
        if agreed is None and not first:
            continue
        weekday = agreed.weekday if agreed else first[0]
        for day in by_weekday.get(weekday, []):
            if person.id in away.get(day, NOBODY):
                continue
            if agreed is None:
                preferred[day] += 1
            elif agreed.week is None or problem.team.week_letter(day) == agreed.week:
                standing[day] += 1
    return [(d, (standing[d], preferred[d])) for d in days if standing[d] or preferred[d]]


@dataclass(frozen=True)
class DutyShares:
    """Duty as planned: days per person, and per team its days and load per head."""

    person_days: dict[tuple[str, str], int]  # (team, staff id) -> duty days
    team_days: dict[str, int]  # team -> days the team (or a duty group of it) is on duty
    per_head: dict[str, float]  # team -> its duty days divided by its head count

    @property
    def person_spread(self) -> float:
        return _spread(self.person_days.values())

    @property
    def per_head_spread(self) -> float:
        return _spread(self.per_head.values())


def duty_shares(teams: list[tuple[Problem, Plan]]) -> DutyShares:
    """Each person's duty days (days marked on duty) and each team's planned duty days
    and days per head, for the teams with any duty."""
    person_days: dict[tuple[str, str], int] = {}
    team_days: dict[str, int] = {}
    per_head: dict[str, float] = {}
    for problem, plan in teams:
        name = problem.team.name
        if not problem.duty_days:
            continue
        for person in problem.staff:
            person_days[name, person.id] = sum(
                plan.statuses[person.id, d] is Status.DUTY for d in plan.days
            )
        team_days[name] = len([d for d in problem.duty_days if d in set(plan.days)])
        per_head[name] = team_days[name] / len(problem.staff) if problem.staff else 0.0
    return DutyShares(person_days, team_days, per_head)


def _spread(values) -> float:
    found = list(values)
    return max(found) - min(found) if found else 0
