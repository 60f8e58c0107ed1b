"""The service's duty rota: which team (and which of its duty groups) is on duty in each
day or week, fairly by the service's rule (``DutyShare``).

Every duty period is covered by one team; no team takes more periods in a row than the
rules allow; a team (or duty group) is only put on duty when enough of it is in, by the
leave and part-time days known now (the team's duty-day minimum, and someone of the group,
or as many as the team names duty workers). The goals are in ``duty_goals``: duty shared
as evenly as it can be, turns as even across a team's duty groups, then the fewest agreed
standing days and first preferences displaced, then the least leave in duty periods.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model
from ortools.util.python.sorted_interval_list import Domain

from common.errors import InputError
from rota.domain.duty_share import NOBODY, absences
from rota.domain.plan import Shortfall
from rota.domain.problem import Problem
from rota.domain.rules import describe_day, duty_groups
from rota.domain.service import Service
from rota.solve.solver import InfeasibleError, SolveOptions, core_words, raise_for, solve_in_order


@dataclass
class DutyModel:
    """The duty rota as CP-SAT literals, built in one pass over the teams and periods.
    ``open_slots`` (for the improvement step) limits each team to the periods named; the
    periods no team may take then need no cover."""

    service: Service
    explain: bool = False  # every (team, period) a literal, each rule an assumption
    allow_short: bool = False  # a period no team can cover is left uncovered, fewest first
    open_slots: dict[str, set[int]] | None = None
    outside: tuple[int, int] | None = None  # least and most duty load of teams not modelled
    cost_weight: int | None = None  # a standing day's cost in first preferences
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    on_duty: dict[tuple[str, int], cp_model.IntVar] = field(default_factory=dict)
    group_duty: dict[tuple[str, int, int], cp_model.IntVar] = field(default_factory=dict)
    assumptions: dict[int, str] = field(default_factory=dict)
    uncovered: dict[int, cp_model.IntVar] = field(default_factory=dict)  # period -> nobody

    def __post_init__(self):
        self.slots = self.service.duty_slots()
        self.problems = {p.team.name: p for p in self.service.duty_teams}
        self.groups = {
            name: duty_groups(p, self.service.duty_groups.get(name, 1))
            for name, p in self.problems.items()
        }
        days = [d for slot in self.slots for d in slot]
        self.away = {name: absences(p, days) for name, p in self.problems.items()}
        self.blocked = {  # team -> per duty group, the days it cannot be on duty
            name: [blocked_days(p, days, g, self.away[name]) for g in self.groups[name]]
            for name, p in self.problems.items()
        }
        self.by_slot: list[list[cp_model.IntVar]] = [[] for _ in self.slots]
        self.team_slots: dict[str, dict[int, cp_model.IntVar]] = {n: {} for n in self.problems}
        # (team, duty group or None for the whole team, period, literal): who is on duty
        self.units: list[tuple[str, int | None, int, cp_model.IntVar]] = []
        for problem in self.problems.values():
            name = problem.team.name
            periods = [
                (s, slot)
                for s, slot in enumerate(self.slots)
                if self.open_slots is None or s in self.open_slots.get(name, ())
            ]
            if len(self.groups[name]) == 1 and not self.explain and not problem.duty_days:
                self._team_variables(name, periods)
            else:
                for s, slot in periods:
                    self._duty_variables(problem, s, slot)
        self._every_period_covered()
        self._not_too_many_in_a_row()

    def _team_variables(self, name: str, periods: list) -> None:
        """The common case, kept quick: a team without duty groups or given duty gets a
        literal for each period it can cover."""
        blocked, taken, proto = self.blocked[name][0], self.team_slots[name], self.model.model_proto
        for s, days in periods:
            if blocked and not blocked.isdisjoint(days):
                continue
            team = cp_model.IntVar(proto).with_domain(BOOLEAN)  # as ``_bool``, inlined
            self.on_duty[name, s] = team
            self.by_slot[s].append(team)
            taken[s] = team
            self.units.append((name, None, s, team))

    def _duty_variables(self, problem: Problem, s: int, days: list[dt.date]) -> None:
        """A literal per (team, period) where the team, or one of its duty groups, could be
        on duty; one per (team, period, group) when the team has groups; given duty kept."""
        name, groups = problem.team.name, self.groups[problem.team.name]
        why_not = [
            cover_problem(problem, days, members, self.away[name])
            if not blocked.isdisjoint(days)
            else None
            for members, blocked in zip(groups, self.blocked[name], strict=True)
        ]
        team = None
        if self.explain or not all(why_not):
            team = _bool(self.model)
            self.on_duty[name, s] = team
            self.by_slot[s].append(team)
            self.team_slots[name][s] = team
        chosen = []
        for g, reason in enumerate(why_not):
            if reason and self.explain:
                literal = self._literal(f"{name}{_group_words(groups, g)}: {reason}")
                blocked = team if len(groups) == 1 else self._group(name, s, g, chosen)
                self.model.add(blocked == 0).only_enforce_if(literal)
            elif not reason and len(groups) > 1:
                self.units.append((name, g, s, self._group(name, s, g, chosen)))
        if len(groups) > 1 and team is not None:
            self.model.add(sum(chosen) == team)
        elif team is not None and not why_not[0]:
            self.units.append((name, None, s, team))
        if any(d in problem.duty_days for d in days):
            given = self.model.add((team if team is not None else 0) == 1)
            if self.explain:
                words = f"{name} is on duty {describe_period(days)} by its own Duty sheet"
                given.only_enforce_if(self._literal(words))

    def _group(self, name: str, s: int, g: int, chosen: list) -> cp_model.IntVar:
        literal = _bool(self.model)
        self.group_duty[name, s, g] = literal
        chosen.append(literal)
        return literal

    def _literal(self, words: str) -> cp_model.IntVar:
        literal = self.model.new_bool_var(words)
        self.assumptions[literal.index] = words
        return literal

    def _every_period_covered(self) -> None:
        needed = range(len(self.slots))
        if self.open_slots is not None:
            needed = sorted(set().union(*self.open_slots.values()))
        for s in needed:
            teams = list(self.by_slot[s])
            if self.allow_short:
                self.uncovered[s] = self.model.new_bool_var(f"uncovered[{s}]")
                teams.append(self.uncovered[s])
            if not teams:
                raise DutyError(
                    [f"no team can be on duty {describe_period(self.slots[s])}:"]
                    + self.why_nobody(self.slots[s])
                    + [LEAVE_ADVICE]
                )
            self.model.add_exactly_one(teams)

    def why_nobody(self, days: list[dt.date]) -> list[str]:
        """Each duty team (and group) that cannot be on duty on ``days``, and why."""
        return [
            f"{p.team.name}{_group_words(self.groups[p.team.name], g)}: {reason}"
            for p in self.service.duty_teams
            for g, members in enumerate(self.groups[p.team.name])
            if (reason := cover_problem(p, days, members))
        ]

    def _not_too_many_in_a_row(self) -> None:
        """No window of ``most + 1`` periods all on duty for one team: a clause each."""
        most = self.service.duty.most_in_a_row
        for name, taken in self.team_slots.items():
            periods = "duty period" if most == 1 else "duty periods"
            words = f"{name} takes at most {most} {periods} in a row"
            rule = self._literal(words) if self.explain else None
            in_order = [taken.get(s) for s in range(len(self.slots))]
            for s in range(len(self.slots) - most):
                window = in_order[s : s + most + 1]
                if any(v is None for v in window):
                    continue
                constraint = (
                    self.model.add_at_most_one(window)
                    if most == 1
                    else self.model.add_bool_or([v.Not() for v in window])
                )
                if rule is not None:
                    constraint.only_enforce_if(rule)

    def objectives(self) -> list[tuple[str, object, bool]]:
        from rota.solve.duty_goals import duty_objectives

        return duty_objectives(self)

    def duty_days(self, values: dict) -> dict[str, frozenset[dt.date]]:
        out: dict[str, set[dt.date]] = {p.team.name: set(p.duty_days) for p in self.service.teams}
        for (name, s), on in values.items():
            if on:
                out[name] |= set(self.slots[s])
        return {name: frozenset(days) for name, days in out.items()}

    def short(self, periods: list[int]) -> list[Shortfall]:
        """A shortfall for each day of the periods left uncovered, saying why."""
        out = []
        for s in periods:
            why = "; ".join(self.why_nobody(self.slots[s])) or "the rules leave it to no team"
            causes = {p.kind for t in self.service.teams for p in t.leave if f"({p.kind})" in why}
            for day in self.slots[s]:
                words = f"1 short; no team can be on duty: {why}"
                out.append(Shortfall(day, "duty", 1, words, frozenset(causes)))
        return out

    def pools(self, values: dict) -> dict[str, dict[dt.date, frozenset[str]]]:
        """Team -> duty day -> the duty group chosen for it (teams with groups only)."""
        out: dict[str, dict[dt.date, frozenset[str]]] = {}
        for (name, s, g), on in values.items():
            if on:
                out.setdefault(name, {}).update({d: self.groups[name][g] for d in self.slots[s]})
        return out


BOOLEAN = Domain(0, 1)


def _bool(model: cp_model.CpModel) -> cp_model.IntVar:
    """A nameless 0-1 variable: ``new_bool_var`` without the name, and one shared domain,
    about twice as quick (a 1,000-team duty model has 63,000 of them)."""
    return cp_model.IntVar(model.model_proto).with_domain(BOOLEAN)


# the fairness bounds (a most and a least) leave the linear relaxation weak; CP-SAT's
# fuller linearisation proves the later goals in a fraction of a second, not many seconds
TUNING = {"linearization_level": 2}

LEAVE_ADVICE = (
    "Move leave out of that period (or, for sickness, arrange agency cover), let more teams "
    "share duty, or lower the duty-day minimum."
)


class DutyError(InputError):
    """Duty that this team's staff, leave and minimums can never cover; ``problems`` says
    where. Input the manager must change (it is found before any solving)."""


def cover_problem(
    problem: Problem, days: list[dt.date], group: frozenset[str], away: dict | None = None
) -> str | None:
    """Why the team, with ``group`` as its duty pool, cannot be on duty on ``days``, or None:
    too few in for the duty-day minimum, or too few of the group to be on duty. ``away``
    (``duty_share.absences``) saves working out who is away again."""
    away = away if away is not None else absences(problem, days)
    for day in days:
        gone = away.get(day, NOBODY)
        short = _too_few(problem, group, gone)
        if not short:
            continue
        who = ", ".join(
            f"{p.name} ({problem.fixed_absence(p, day)})"
            for p in problem.staff
            if p.id in gone and p.id in group
        )
        return f"on {describe_day(day)} {' and '.join(short)}" + (f"; away: {who}" if who else "")
    return None


def blocked_days(problem: Problem, days, group: frozenset[str], away: dict) -> set[dt.date]:
    """The days of ``days`` on which the team, with ``group`` as its pool, cannot be on duty
    (``_too_few`` in numbers only, for speed; a day with nobody away is never one)."""
    needed = problem.team.min_present_on_duty or problem.team.min_present
    on_duty, staff = max(1, problem.team.duty_workers), len(problem.staff)
    if staff >= needed and len(group) >= on_duty:
        days = [day for day in days if day in away]
    return {day for day in days if _too_few(problem, group, away.get(day, NOBODY))}


def _too_few(problem: Problem, group: frozenset[str], gone: set[str]) -> list[str]:
    """The duty rule for one day, with ``gone`` away: what is short, in words (or nothing)."""
    needed = problem.team.min_present_on_duty or problem.team.min_present
    on_duty = max(1, problem.team.duty_workers)
    in_team, in_group = len(problem.staff) - len(gone), len(group - gone)
    short = []
    if in_team < needed:
        short.append(f"only {in_team} of {len(problem.staff)} in, duty-day minimum {needed}")
    if in_group < on_duty:
        pool = f"duty group of {len(group)}" if len(group) < len(problem.staff) else "team"
        short.append(f"{in_group} of the {pool} in, {on_duty} needed on duty")
    return short


def describe_period(days: list[dt.date]) -> str:
    return (
        f"on {describe_day(days[0])}"
        if len(days) == 1
        else f"in the week of {describe_day(days[0])}"
    )


def _group_words(groups: list[frozenset[str]], g: int) -> str:
    return f" (duty group {g + 1} of {len(groups)})" if len(groups) > 1 else ""


def generate_duty(service: Service, options: SolveOptions, allow_short: bool = False):
    """Solve the duty rota alone (the first stage of a decomposed service plan).
    Returns (team -> duty days, team -> duty day -> duty group, SolveInfo, shortfalls):
    with ``allow_short``, the periods no team can cover are left uncovered, one
    ``Shortfall`` a day, instead of refusing."""
    options = options.started()
    duty = DutyModel(service, allow_short=allow_short)
    variables = {"duty": duty.on_duty, "groups": duty.group_duty, "uncovered": duty.uncovered}
    values, info = solve_in_order(
        duty.model,
        duty.objectives(),
        variables,
        options,
        time.perf_counter(),
        TUNING,
        try_floor=True,
    )
    if values is None:
        try:
            raise_for(info, options, lambda: explain_duty(service, options))
        except InfeasibleError as error:
            raise DutyError(error.conflicts) from None
    short = [s for s, on in values["uncovered"].items() if on]
    return duty.duty_days(values["duty"]), duty.pools(values["groups"]), info, duty.short(short)


def explain_duty(service: Service, options: SolveOptions) -> list[str]:
    """Plain words for a duty rota that cannot be built: the periods, teams and leave."""
    duty = DutyModel(service, explain=True)
    words = core_words(duty.model, duty.assumptions, options)
    if words is None:
        return [
            "no duty rota meets the rules, but the time limit ran out before the conflict "
            "could be pinned down; a longer --time-limit shows why"
        ]
    return ["These cannot all hold:", *words, duty_advice(service, words)]


def duty_advice(service: Service, words: list[str]) -> str:
    """What to change, fitting the absences named: leave can move, sickness cannot."""
    named = " ".join(words)
    kinds = {s.kind for p in service.teams for s in p.leave if f"({s.kind})" in named}
    steps = ["allow more duty periods in a row", "let more teams share duty"]
    if kinds - {"sickness"}:
        steps.append("move leave out of those periods")
    if "sickness" in kinds:
        steps.append("arrange agency cover for the team off sick")
    return (", ".join(steps[:-1]) + f" or {steps[-1]}.").capitalize()


def with_duty(
    service: Service,
    duty_days: dict[str, frozenset[dt.date]],
    pools: dict[str, dict[dt.date, frozenset[str]]] | None = None,
) -> list[Problem]:
    """Each team's problem with its duty days and, for teams with duty groups, the group on
    duty each day: as given in ``pools``, or else in turn, skipping a group that is away."""
    slots = service.duty_slots()
    out = []
    for problem in service.teams:
        name = problem.team.name
        days = duty_days.get(name, problem.duty_days)
        groups = duty_groups(problem, service.duty_groups.get(name, 1))
        pool = _groups_in_turn(problem, days, slots, groups) | (pools or {}).get(name, {})
        out.append(replace(problem, duty_days=days, duty_pool=pool))
    return out


def _groups_in_turn(problem, days, slots, groups) -> dict[dt.date, frozenset[str]]:
    if len(groups) <= 1:
        return {}
    out, turn = {}, 0
    for slot in slots:
        mine = [d for d in slot if d in days]
        if not mine:
            continue
        order = [(turn + k) % len(groups) for k in range(len(groups))]
        g = next((g for g in order if cover_problem(problem, mine, groups[g]) is None), order[0])
        out.update({d: groups[g] for d in mine})
        turn = g + 1
    return out
