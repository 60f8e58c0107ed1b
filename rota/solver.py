"""The CP-SAT model: reads a Problem, returns a solver-free Plan.

Hard rules are constraints, one small function each. Soft goals are solved in
priority order (lexicographically): each level is optimised, then held at its
optimum while the next is optimised, with the previous solution as a hint.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from rota.model import RotaModel
from rota.plan import Plan, SolveInfo, Status
from rota.problem import Problem
from rota.result import to_plan


@dataclass(frozen=True)
class SolveOptions:
    time_limit: float = 30.0  # seconds, shared by all objective levels
    seed: int = 0
    workers: int = 1  # one worker gives the same rota on every run; more may pick another tie

    def __post_init__(self):
        if self.time_limit <= 0:
            raise ValueError(f"time limit must be positive, got {self.time_limit}")
        if self.workers < 1:
            raise ValueError(f"workers must be at least 1, got {self.workers}")


class InfeasibleError(Exception):
    """No rota satisfies the hard rules; ``conflicts`` says which, in plain words."""

    def __init__(self, conflicts: list[str]):
        super().__init__("\n".join(conflicts))
        self.conflicts = conflicts


def plan(
    problem: Problem,
    options: SolveOptions = SolveOptions(),
    previous: Plan | None = None,
    frozen_before: dt.date | None = None,
) -> Plan:
    """Plan the team's non-working days; raise InfeasibleError if the hard rules conflict.

    With a ``previous`` plan, re-plan: days before ``frozen_before`` keep their status,
    standing days stay as they were, and the fewest other non-working days move."""
    problem.validate()
    started = time.perf_counter()
    rota = RotaModel(problem)
    objectives = rota.objectives()
    if previous is not None:
        objectives.insert(
            1,
            (
                "days changed from the previous plan",
                _keep_previous(rota, previous, frozen_before),
                False,
            ),
        )
    values, info = solve_in_order(rota.model, objectives, rota.variables(), options, started)
    if values is None:
        raise InfeasibleError(
            explain(problem)
            if info.status == "INFEASIBLE"
            else ["no rota found within the time limit; allow more time"]
        )
    return to_plan(problem, values, info)


def _keep_previous(rota: RotaModel, previous: Plan, frozen_before: dt.date | None):
    """Fix the past and the standing days; return the count of changed non-working days."""
    changed = []
    for (pid, day), literal in rota.x.items():
        was_off = previous.statuses.get((pid, day)) is Status.NON_WORKING_DAY
        if frozen_before and day < frozen_before:
            rota.model.add(literal == int(was_off))
        changed.append(1 - literal if was_off else literal)
        rota.model.add_hint(literal, was_off)
    for (pid, slot), literal in rota.standing.items():
        if pid in previous.standing_days:
            rota.model.add(literal == int(previous.standing_days[pid] == slot))
    for (pid, day), literal in rota.duty.items():
        if frozen_before and day < frozen_before:
            rota.model.add(literal == int(previous.statuses.get((pid, day)) is Status.DUTY))
    return sum(changed)


def solve_in_order(model, objectives, variables: dict, options: SolveOptions, started: float):
    """Optimise each (name, expression, maximise) in turn, holding each optimum for the next.
    Returns ({group: {key: value}}, SolveInfo), or (None, SolveInfo) when nothing is found."""
    solver = _solver(options)
    values, status, gap, achieved = None, "OPTIMAL", 0.0, {}
    for name, expression, maximise in objectives:
        remaining = options.time_limit - (time.perf_counter() - started)
        solver.parameters.max_time_in_seconds = max(remaining, 0.1)
        (model.maximize if maximise else model.minimize)(expression)
        outcome = solver.solve(model)
        if outcome not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if values is None:
                failed = "INFEASIBLE" if outcome == cp_model.INFEASIBLE else "UNKNOWN"
                return None, SolveInfo(failed, time.perf_counter() - started, 1.0)
            status, gap = "FEASIBLE", max(gap, 1.0)  # ran out of time on this goal
            break
        achieved[name] = round(solver.objective_value)
        values = _snapshot(solver, variables)
        if outcome == cp_model.FEASIBLE:
            status, gap = "FEASIBLE", max(gap, _relative_gap(solver))
        _hold(model, expression, achieved[name], maximise)
        _hint(model, variables, values)
    seconds = time.perf_counter() - started
    return values, SolveInfo(status, seconds, gap, achieved, len(objectives))


def _solver(options: SolveOptions) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.random_seed = options.seed
    solver.parameters.num_workers = options.workers
    return solver


def _snapshot(solver: cp_model.CpSolver, variables: dict) -> dict:
    return {
        group: {key: bool(solver.boolean_value(v)) for key, v in literals.items()}
        for group, literals in variables.items()
    }


def _hold(model: cp_model.CpModel, expression, value: int, maximise: bool) -> None:
    """Keep a solved level at least as good as found while the next level is optimised."""
    model.add(expression >= value if maximise else expression <= value)


def _hint(model: cp_model.CpModel, variables: dict, values: dict) -> None:
    model.clear_hints()
    for group, literals in variables.items():
        for key, literal in literals.items():
            model.add_hint(literal, values[group][key])


def _relative_gap(solver: cp_model.CpSolver) -> float:
    value, bound = solver.objective_value, solver.best_objective_bound
    return abs(value - bound) / max(abs(value), 1.0)


def explain(problem: Problem) -> list[str]:
    """Plain-words reasons for infeasibility from CP-SAT's core of assumptions.
    Solved with one worker: the core is only close to minimal that way."""
    rota = RotaModel(problem, explain=True)
    rota.model.add_assumptions(
        [rota.model.get_bool_var_from_proto_index(i) for i in rota.assumptions]
    )
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 30
    if solver.solve(rota.model) != cp_model.INFEASIBLE:
        return ["the hard rules conflict, but the conflict could not be pinned down"]
    core = solver.sufficient_assumptions_for_infeasibility()
    return _describe_core(problem, [rota.assumptions[i] for i in core])


def _describe_core(problem: Problem, parts: list[str]) -> list[str]:
    rules = [p for p in parts if p.startswith("at least")]
    absences = [p for p in parts if not p.startswith("at least")]
    lines = [f"These rules cannot all hold: {rule}." for rule in rules]
    if absences:
        lines.append("Because of: " + "; ".join(absences) + ".")
    lines.append("Lower the minimum cover on those days, or move leave, then plan again.")
    return lines
