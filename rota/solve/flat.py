"""Duty and teams as one CP-SAT model: the service planned flat (the yardstick the
decomposition is measured against), part of it re-planned by the improvement step, and
a finished plan scored on the flat model's own goals."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from rota.domain.plan import Plan, Status
from rota.domain.problem import Problem
from rota.domain.service import Service
from rota.solve.duty import DutyModel
from rota.solve.model import RotaModel
from rota.solve.solver import SolveOptions


@dataclass
class FlatModel:
    """One model: the duty rota's literals (if generated) and every team's rota on them.
    Goals: the duty rota's, then each team goal summed over teams."""

    service: Service
    duty: DutyModel | None
    teams: list[RotaModel]
    objectives: list[tuple[str, object, bool]]
    model: cp_model.CpModel  # the one all of them are built on (or a clone of it)

    def variables(self) -> dict[str, dict]:
        out = {"duty_rota": self.duty.on_duty if self.duty else {}}
        for group in ("x", "standing", "duty"):
            out[group] = {k: v for m in self.teams for k, v in m.variables()[group].items()}
        out["duty_groups"] = self.duty.group_duty if self.duty else {}
        return out

    def assignment(self, teams: list[tuple[Problem, Plan]]) -> list[tuple[object, bool]]:
        """Each decision literal with its value in a finished plan of the same teams."""
        out = []
        plans = {p.team.name: (p, plan) for p, plan in teams}
        if self.duty is not None:
            out += duty_assignment(self.duty, plans)
        for rota in self.teams:
            _, plan = plans[rota.problem.team.name]
            out += [(v, plan.statuses[k] is Status.NON_WORKING_DAY) for k, v in rota.x.items()]
            out += [(v, plan.standing_days.get(k[0]) == k[1]) for k, v in rota.standing.items()]
            out += [(v, plan.statuses[k] is Status.DUTY) for k, v in rota.duty.items()]
        return out


def flat_model(
    service: Service, duty: DutyModel | None = None, allow_short: bool = False
) -> FlatModel:
    """Build the flat model of ``service`` (every team), on ``duty`` if given."""
    if duty is None and service.duty.generate:
        duty = DutyModel(service)
    model = duty.model if duty else cp_model.CpModel()
    teams = [_team_model(problem, model, duty, allow_short) for problem in service.teams]
    objectives = duty.objectives() if duty else []
    per_team = [{name: (goal, up) for name, goal, up in m.objectives()} for m in teams]
    # teams can differ in goals (shortfall only where cover is soft and can fall short):
    # the longest list holds every name, in the one priority order
    for name, (_, maximise) in max(per_team, key=len).items():
        total = sum(goals[name][0] for goals in per_team if name in goals)
        objectives.append((name, total, maximise))
    return FlatModel(service, duty, teams, objectives, model)


def _team_model(problem: Problem, model, duty: DutyModel | None, allow_short) -> RotaModel:
    name = problem.team.name
    if duty is None or name not in duty.service.shares_duty:
        return RotaModel(problem, model=model, allow_short=allow_short)
    taken = duty.team_slots[name]
    literals = {day: literal for s, literal in taken.items() for day in duty.slots[s]}
    groups: dict = {}
    for (team, s, g), literal in duty.group_duty.items():
        if team == name:
            for day in duty.slots[s]:
                groups.setdefault(day, []).append((duty.groups[name][g], literal))
    problem = replace(problem, duty_days=frozenset())
    return RotaModel(
        problem,
        model=model,
        duty_literals=literals,
        group_literals=groups or None,
        allow_short=allow_short,
    )


def duty_assignment(duty: DutyModel, plans: dict) -> list[tuple[object, bool]]:
    """The duty literals' values in a plan: a team on duty in a period whose days are its
    duty days; a group on duty where the plan's pool for the day is that group."""
    out = []
    for (name, s), literal in duty.on_duty.items():
        problem = plans[name][0]
        out.append((literal, all(d in problem.duty_days for d in duty.slots[s])))
    for (name, s, g), literal in duty.group_duty.items():
        problem = plans[name][0]
        day = duty.slots[s][0]
        on = day in problem.duty_days and problem.duty_pool.get(day) == duty.groups[name][g]
        out.append((literal, on))
    return out


def score(service: Service, teams: list[tuple[Problem, Plan]], options: SolveOptions):
    """Each flat-model goal's value for a finished plan (its literals fixed), in order."""
    return fixed_score(flat_model(service), teams, options)


def fixed_score(flat: FlatModel, teams: list[tuple[Problem, Plan]], options: SolveOptions):
    """Each goal of ``flat`` for ``teams`` as planned, in one solve: every decision literal
    fixed, the helper variables (a peak, a most, a moved day; only minimised goals have
    them, each bounded from below) settle at their least when the minimised goals' sum is
    minimised, and each goal's value is read off. Empty if the plan breaks a rule."""
    for literal, value in flat.assignment(teams):
        flat.model.add(literal == int(value))
    flat.model.minimize(sum(e for _, e, maximise in flat.objectives if not maximise))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = options.remaining()
    if solver.solve(flat.model) != cp_model.OPTIMAL:
        return {}
    return {name: round(_value(solver, e)) for name, e, _ in flat.objectives}


def _value(solver: cp_model.CpSolver, expression) -> float:
    return expression if isinstance(expression, int | float) else solver.value(expression)
