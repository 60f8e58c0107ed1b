"""The service's duty rota: which team (and which of its duty groups) is on duty in each
day or week, fairly by head.

Every duty period is covered by one team; no team takes more periods in a row than the
rules allow; a team (or duty group) is only put on duty when enough of it is in, by the
leave and part-time days known now (the team's duty-day minimum, and someone of the group,
or as many as the team names duty workers); duty days per head are as even across teams as
they can be, and turns as even across a team's duty groups; and, among equally fair rotas,
duty falls where teams have the least leave, which leaves most room for flexi days.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from common.errors import InputError
from rota.domain.plan import Shortfall
from rota.domain.problem import Problem
from rota.domain.rules import describe_day, duty_groups
from rota.domain.service import Service
from rota.solve.solver import InfeasibleError, SolveOptions, core_words, raise_for, solve_in_order

SCALE = 1000  # duty days per head are compared as integers, in thousandths


@dataclass
class DutyModel:
    service: Service
    explain: bool = False  # every (team, period) a literal, each rule an assumption
    allow_short: bool = False  # a period no team can cover is left uncovered, fewest first
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    on_duty: dict[tuple[str, int], cp_model.IntVar] = field(default_factory=dict)
    group_duty: dict[tuple[str, int, int], cp_model.IntVar] = field(default_factory=dict)
    assumptions: dict[int, str] = field(default_factory=dict)
    uncovered: dict[int, cp_model.IntVar] = field(default_factory=dict)  # period -> nobody

    def __post_init__(self):
        self.slots = self.service.duty_slots()
        self.groups = {
            p.team.name: duty_groups(p, self.service.duty_groups.get(p.team.name, 1))
            for p in self.service.teams
        }
        for problem in self.service.duty_teams:
            for s, days in enumerate(self.slots):
                self._duty_variables(problem, s, days)
        self._every_period_covered()
        self._not_too_many_in_a_row()

    def _duty_variables(self, problem: Problem, s: int, days: list[dt.date]) -> None:
        """A literal per (team, period) where the team, or one of its duty groups, could be
        on duty; one per (team, period, group) when the team has groups; given duty kept."""
        name, groups = problem.team.name, self.groups[problem.team.name]
        why_not = [cover_problem(problem, days, members) for members in groups]
        if self.explain or not all(why_not):
            self.on_duty[name, s] = self.model.new_bool_var(f"duty[{name},{s}]")
        for g, reason in enumerate(why_not):
            if reason and self.explain:
                literal = self._literal(f"{name}{_group_words(groups, g)}: {reason}")
                blocked = self._group_or_team(name, s, g, len(groups))
                self.model.add(blocked == 0).only_enforce_if(literal)
            elif not reason and len(groups) > 1:
                self.group_duty[name, s, g] = self.model.new_bool_var(f"duty[{name},{s},{g}]")
        if len(groups) > 1 and (name, s) in self.on_duty:
            chosen = [v for (t, slot, _), v in self.group_duty.items() if (t, slot) == (name, s)]
            self.model.add(sum(chosen) == self.on_duty[name, s])
        if any(d in problem.duty_days for d in days):
            given = self.model.add(self.on_duty.get((name, s), 0) == 1)
            if self.explain:
                words = f"{name} is on duty {describe_period(days)} by its own Duty sheet"
                given.only_enforce_if(self._literal(words))

    def _group_or_team(self, name: str, s: int, g: int, groups: int):
        if groups == 1:
            return self.on_duty[name, s]
        literal = self.model.new_bool_var(f"duty[{name},{s},{g}]")
        self.group_duty[name, s, g] = literal
        return literal

    def _literal(self, words: str) -> cp_model.IntVar:
        literal = self.model.new_bool_var(words)
        self.assumptions[literal.index] = words
        return literal

    def _every_period_covered(self) -> None:
        for s, days in enumerate(self.slots):
            teams = [v for (_, slot), v in self.on_duty.items() if slot == s]
            if self.allow_short:
                self.uncovered[s] = self.model.new_bool_var(f"uncovered[{s}]")
                teams.append(self.uncovered[s])
            if not teams:
                raise DutyError(
                    [f"no team can be on duty {describe_period(days)}:"]
                    + self.why_nobody(days)
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
        most = self.service.duty.most_in_a_row
        for problem in self.service.duty_teams:
            name = problem.team.name
            periods = "duty period" if most == 1 else "duty periods"
            words = f"{name} takes at most {most} {periods} in a row"
            rule = self._literal(words) if self.explain else None
            for s in range(len(self.slots) - most):
                window = [self.on_duty.get((name, s + i), 0) for i in range(most + 1)]
                constraint = self.model.add(sum(window) <= most)
                if rule is not None:
                    constraint.only_enforce_if(rule)

    def days_per_head(self, problem: Problem):
        """The team's duty days divided by its head count, in thousandths: a bigger team
        takes more turns. (Duty groups then lighten each person's share within the team.)"""
        name = problem.team.name
        per_day = round(SCALE / len(problem.staff)) if problem.staff else 0
        return sum(
            len(self.slots[s]) * per_day * v
            for (team, s), v in self.on_duty.items()
            if team == name
        )

    def objectives(self) -> list[tuple[str, object, bool]]:
        loads = [self.days_per_head(p) for p in self.service.duty_teams]
        bound = SCALE * len(self.service.teams[0].weekdays)
        high = self.model.new_int_var(0, bound, "most_duty_per_head")
        low = self.model.new_int_var(0, bound, "least_duty_per_head")
        self.model.add_max_equality(high, loads)
        self.model.add_min_equality(low, loads)
        uncovered = [("duty periods no team covers", sum(self.uncovered.values()), False)]
        return uncovered * bool(self.uncovered) + [
            ("duty days per head: most minus least (thousandths)", high - low, False),
            (
                "duty groups out of turn",
                self._group_turns(),
                False,
            ),
            ("leave falling in a team's duty periods", self._leave_on_duty(), False),
        ]

    def _group_turns(self):
        """Duty groups take turns: no group has a second turn before every other group of
        its team has had one. Per team, the most turns any group is ahead by beyond that
        (0 while they take turns; a group all away may have to miss its turn)."""
        ahead = []
        for name, groups in self.groups.items():
            if len(groups) < 2:
                continue
            excess = self.model.new_int_var(0, len(self.slots), f"turns_ahead[{name}]")
            so_far = [0] * len(groups)
            for s in range(len(self.slots)):
                for g in range(len(groups)):
                    so_far[g] += self.group_duty.get((name, s, g), 0)
                for g, mine in enumerate(so_far):
                    for h, theirs in enumerate(so_far):
                        if g != h:
                            self.model.add(excess >= mine - theirs - 1)
            ahead.append(excess)
        return sum(ahead)

    def _leave_on_duty(self):
        terms = []
        for (name, s), literal in self.on_duty.items():
            problem = self.service.team(name)
            away = sum(
                problem.fixed_absence(p, d) is not None
                for p in problem.staff
                for d in self.slots[s]
            )
            terms.append(away * literal)
        return sum(terms)

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


LEAVE_ADVICE = (
    "Move leave out of that period (or, for sickness, arrange agency cover), let more teams "
    "share duty, or lower the duty-day minimum."
)


class DutyError(InputError):
    """Duty that this team's staff, leave and minimums can never cover; ``problems`` says
    where. Input the manager must change (it is found before any solving)."""


def cover_problem(problem: Problem, days: list[dt.date], group: frozenset[str]) -> str | None:
    """Why the team, with ``group`` as its duty pool, cannot be on duty on ``days``, or None:
    too few in for the duty-day minimum, or too few of the group to be on duty."""
    needed = problem.team.min_present_on_duty or problem.team.min_present
    on_duty = max(1, problem.team.duty_workers)
    for day in days:
        away = {p.id: problem.fixed_absence(p, day) for p in problem.staff}
        in_team = sum(reason is None for reason in away.values())
        in_group = sum(away[i] is None for i in group)
        short = []
        if in_team < needed:
            short.append(f"only {in_team} of {len(problem.staff)} in, duty-day minimum {needed}")
        if in_group < on_duty:
            pool = f"duty group of {len(group)}" if len(group) < len(problem.staff) else "team"
            short.append(f"{in_group} of the {pool} in, {on_duty} needed on duty")
        if not short:
            continue
        who = ", ".join(
            f"{p.name} ({away[p.id]})" for p in problem.staff if away[p.id] and p.id in group
        )
        return f"on {describe_day(day)} {' and '.join(short)}" + (f"; away: {who}" if who else "")
    return None


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
        duty.model, duty.objectives(), variables, options, time.perf_counter()
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
