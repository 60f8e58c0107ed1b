"""The CP-SAT model: reads a Problem, returns a solver-free Plan.

Hard rules are constraints, one small function each. Soft goals are solved in
priority order (lexicographically): each level is optimised, then held at its
optimum while the next is optimised, with the previous solution as a hint.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from rota.domain.plan import Plan, SolveInfo, Status
from rota.domain.problem import Problem
from rota.domain.rules import advice
from rota.solve.model import RotaModel
from rota.solve.result import to_plan


@dataclass(frozen=True)
class SolveOptions:
    time_limit: float = 30.0  # seconds for the whole command: every stage, team and goal
    seed: int = 0
    workers: int = 1  # one worker gives the same rota on every run; more may pick another tie
    # time.monotonic() by which everything must be done; set once by ``started`` and passed
    # down (monotonic time is system-wide, so it holds in the team worker processes too)
    deadline: float | None = None

    def __post_init__(self):
        if self.time_limit <= 0:
            raise ValueError(f"time limit must be positive, got {self.time_limit}")
        if self.workers < 1:
            raise ValueError(f"workers must be at least 1, got {self.workers}")

    def started(self) -> SolveOptions:
        """These options with the clock running: a deadline ``time_limit`` from now, unless
        an outer stage set one already."""
        if self.deadline is not None:
            return self
        return replace(self, deadline=time.monotonic() + self.time_limit)

    def remaining(self) -> float:
        """Seconds left before the deadline (at least a sliver, so a solve can report)."""
        if self.deadline is None:
            return self.time_limit
        return max(self.deadline - time.monotonic(), MIN_SECONDS)


MIN_SECONDS = 0.05


class InfeasibleError(Exception):
    """No rota satisfies the hard rules; ``conflicts`` says which, in plain words."""

    def __init__(self, conflicts: list[str]):
        super().__init__("\n".join(conflicts))
        self.conflicts = conflicts


class TimedOutError(Exception):
    """The time limit ran out before any rota was found: not proof that none exists."""

    def __init__(self, seconds: float):
        super().__init__(seconds)  # the only argument, so it crosses process boundaries
        self.seconds = seconds

    def __str__(self) -> str:
        return f"no rota found in {self.seconds:g} s; try a longer --time-limit"


def plan(
    problem: Problem,
    options: SolveOptions = SolveOptions(),
    previous: Plan | None = None,
    frozen_before: dt.date | None = None,
    allow_short: bool = False,
) -> Plan:
    """Plan the team's non-working days; raise InfeasibleError if the hard rules conflict,
    TimedOutError if time runs out first.

    With ``allow_short``, cover minimums are soft: the plan is the one fewest staff-days
    short, and ``Plan.shortfalls`` names the days. With a ``previous`` plan, re-plan: days
    before ``frozen_before`` keep their status, standing days stay as they were, and the
    fewest other non-working days move."""
    problem.validate()
    options = options.started()
    started = time.perf_counter()
    rota = RotaModel(problem, allow_short=allow_short)
    objectives = rota.objectives()
    if previous is not None:
        after_owed = next(i for i, goal in enumerate(objectives) if goal[0] == OWED) + 1
        changed = _keep_previous(rota, previous, frozen_before)
        objectives.insert(after_owed, ("days changed from the previous plan", changed, False))
    values, info = solve_in_order(
        rota.model, objectives, rota.variables(), options, started, TEAM_TUNING,
        merge_below=MERGE_BELOW,
    )  # fmt: skip
    if values is None:
        raise_for(info, options, lambda: explain(problem, options))
    return to_plan(problem, values, info)


OWED = "owed days taken"
# A team's model is small: most of each solve is fixed cost, so goals whose ranges
# multiply to under a million are solved together, weighted (half the solves; larger
# weights slow the solver), and presolve skips its symmetry search and runs one round
# (together a third quicker on the synthetic teams, every goal's value the same).
MERGE_BELOW = 1_000_000
TEAM_TUNING = {"symmetry_level": 0, "max_presolve_iterations": 1}


def raise_for(info: SolveInfo, options: SolveOptions, explanation) -> None:
    """Nothing was found: say whether the rules conflict or time ran out."""
    if info.status == "INFEASIBLE":
        raise InfeasibleError(explanation())
    raise TimedOutError(options.time_limit)


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
        was_on_duty = previous.statuses.get((pid, day)) is Status.DUTY
        if frozen_before and day < frozen_before:
            rota.model.add(literal == int(was_on_duty))
        changed.append(1 - literal if was_on_duty else literal)
        rota.model.add_hint(literal, was_on_duty)
    return sum(changed)


def solve_in_order(
    model,
    objectives,
    variables: dict,
    options: SolveOptions,
    started: float,
    parameters: dict | None = None,
    bounds: dict | None = None,
    try_floor: bool = False,
    merge_below: int = 1,
):
    """Optimise each (name, expression, maximise) in turn, holding each optimum for the next.
    Returns ({group: {key: value}}, SolveInfo), or (None, SolveInfo) when nothing is found.
    ``parameters`` are CP-SAT's own, for a model that needs them; ``bounds``, if given, gets
    each goal's proven bound (the value itself once proven optimal). A goal the kept rota
    already has at its best possible value (``best_possible``) is held without a solve;
    with ``try_floor``, a goal is first tried held at that value (quick where it holds, as
    for a duty rota displacing nothing) and solved in full only if that fails. With
    ``merge_below``, goals in a row whose ranges multiply to less are solved as one
    weighted goal (``_merged``): the same optimum, in fewer solves of a small model."""
    solver = _solver(options)
    for name, value in (parameters or {}).items():
        setattr(solver.parameters, name, value)
    options = options.started()
    values, status, gap, achieved = None, "OPTIMAL", 0.0, {}
    ends: dict = {}  # each variable's least and most, read once: holds leave domains be
    level = 0
    while level < len(objectives):
        name, expression, maximise = objectives[level]
        # the kept solution's value on this goal: what the gap is measured from if time
        # runs out before the solver improves on it
        incumbent = None if values is None else _value(solver, expression)
        (model.maximize if maximise else model.minimize)(expression)
        if incumbent is not None and incumbent == best_possible(model, ends):  # optimal already
            achieved[name] = round(incumbent)
            if bounds is not None:
                bounds[name] = incumbent
            _hold(model, expression, achieved[name], maximise)
            level += 1
            continue
        # (``bounds`` are per goal: a merged solve has one bound for all its goals)
        merge = 1 if bounds is not None else merge_below
        goals = _merged(model, objectives[level:], merge, ends)
        if len(goals) > 1:
            expression, maximise = _weighted(model, goals), False
            incumbent = None if values is None else _value(solver, expression)
        # with the floor trial, the goals after this one are first tried at their floors too
        later = objectives[level + 1 :] if try_floor and len(goals) == 1 else []
        trial = try_floor and values is not None  # (a first goal at its floor: slower)
        outcome, floored = _solve_level(model, solver, options, trial, later, ends)
        goals += [(goal_name, goal, up, 0) for goal_name, goal, up in later[:floored]]
        if bounds is not None:
            bounds[name] = solver.best_objective_bound
        if outcome not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if values is None:
                failed = "INFEASIBLE" if outcome == cp_model.INFEASIBLE else "UNKNOWN"
                return None, SolveInfo(failed, time.perf_counter() - started, 0.0)
            status = "FEASIBLE"  # ran out of time on this goal: the gap is from its bound
            gap = max(gap, _cut_short_gap(incumbent, solver.best_objective_bound, maximise))
            break
        values = _snapshot(solver, variables)
        if outcome == cp_model.FEASIBLE:
            status, gap = "FEASIBLE", max(gap, _relative_gap(solver))
            if len(goals) > 1:  # time ran out: the weighted gap speaks for the first goal
                achieved[name] = round(_value(solver, goals[0][1]))  # only; the rest
                break  # were not reached, and the Summary says so
        for goal_name, goal, up, _ in goals:
            achieved[goal_name] = round(_value(solver, goal))
            _hold(model, goal, achieved[goal_name], up)
        for goal_name, *_ in goals[1:] if bounds is not None else ():  # held at their floors
            bounds[goal_name] = achieved[goal_name]
        _hint(model, solver)
        level += len(goals)
    seconds = time.perf_counter() - started
    return values, SolveInfo(status, seconds, gap, achieved, len(objectives))


def _merged(model, objectives, merge_below: int, ends=None) -> list[tuple[str, object, bool, int]]:
    """The first goal of ``objectives`` (its objective set on the model) and those after it
    that can share its solve: (name, expression, maximise, range) while the product of
    (range + 1) stays under ``merge_below``. The model's objective is the first goal's."""
    first_name, first, first_up = objectives[0]
    if merge_below <= 1:  # no merging: spare a large model the count of its range
        return [(first_name, first, first_up, 0)]
    goals = [(first_name, first, first_up, _range(model, ends))]
    product = goals[0][3] + 1
    for name, expression, maximise in objectives[1:]:
        if product >= merge_below:
            break
        model.minimize(expression)
        spread = _range(model, ends)
        if product * (spread + 1) >= merge_below:
            break
        goals.append((name, expression, maximise, spread))
        product *= spread + 1
    (model.maximize if first_up else model.minimize)(first)
    return goals


def _weighted(model, goals) -> object:
    """One goal, minimised, whose optimum is the goals' optimum in priority order: each
    goal is weighted above the whole range of every goal after it. Sets it on the model."""
    terms, weight = [], 1
    for _, expression, maximise, spread in reversed(goals):
        terms.append(weight * (-expression if maximise else expression))
        weight *= spread + 1
    total = cp_model.LinearExpr.sum(terms)  # a new sum: ``+=`` may grow a goal in place
    model.minimize(total)
    return total


def _range(model: cp_model.CpModel, ends=None) -> int:
    """Most minus least the model's objective can take over its variables' domains."""
    return sum(abs(c) * (high - low) for _, c, low, high in _objective_terms(model, ends))


def _solve_level(model, solver, options: SolveOptions, try_floor: bool, later=(), ends=None):
    """Solve the model for its objective; return the status and how many of the ``later``
    goals (name, expression, maximise) were reached at their best too. With ``try_floor``,
    first a copy with every objective term at its best end, and those of the later goals
    with it: any solution of that is optimal on each (nothing beats the bound), and
    presolve drops the terms fixed so at once. Failing that, this goal's floor alone."""
    if try_floor:
        for together in (later, ()) if later else ((),):
            usual = {name: getattr(solver.parameters, name) for name in FLOOR_TRIAL}
            for name, value in FLOOR_TRIAL.items():
                setattr(solver.parameters, name, value)
            # at most half the time left, so a trial that fails leaves the full solve time
            solver.parameters.max_time_in_seconds = options.remaining() * FLOOR_TRIAL_SHARE
            try:
                trial = _at_best(model, together, ends)
                found = trial is not None and solver.solve(trial) == cp_model.OPTIMAL
            finally:
                for name, value in usual.items():
                    setattr(solver.parameters, name, value)
            if found:
                return cp_model.OPTIMAL, len(together)
    solver.parameters.max_time_in_seconds = options.remaining()
    return solver.solve(model), 0


# The trial is a search for any solution: presolve's probing and symmetry detection cost
# nearly all its time (at 1,000 duty teams 17 of 18 CPU seconds) and find nothing it needs.
FLOOR_TRIAL = {"cp_model_probing_level": 0, "symmetry_level": 0}
FLOOR_TRIAL_SHARE = 0.5


def best_possible(model: cp_model.CpModel, ends: dict | None = None) -> float:
    """The best value the model's objective could take given only its variables' domains
    (each term at its own best end): a bound every solution respects, so a solution that
    reaches it is optimal without solving."""
    objective = model.proto.objective  # CP-SAT minimises: a maximised goal is stored negated
    terms = _objective_terms(model, ends)
    lowest = sum(min(c * low, c * high) for _, c, low, high in terms)
    return (objective.offset + lowest) * (objective.scaling_factor or 1)


def _objective_terms(model: cp_model.CpModel, ends: dict | None = None) -> list[tuple]:
    """(variable index, coefficient, least, most) for each term of the stored objective;
    ``ends`` keeps each variable's least and most once read (reading a domain is slow)."""
    objective, variables = model.proto.objective, model.proto.variables
    ends = {} if ends is None else ends
    out = []
    for ref, coefficient in zip(objective.vars, objective.coeffs, strict=True):
        if ref < 0:  # a negated reference: -ref - 1, with the coefficient's sign turned
            ref, coefficient = -ref - 1, -coefficient
        if ref not in ends:  # (no negative indexing on CP-SAT's repeated fields)
            domain = variables[ref].domain
            ends[ref] = (domain[0], domain[len(domain) - 1])
        out.append((ref, coefficient, *ends[ref]))
    return out


def _at_best(model: cp_model.CpModel, later=(), ends=None) -> cp_model.CpModel | None:
    """A copy of the model with every objective term's domain cut to its best end (as the
    stored, minimised objective counts it), and each term of the ``later`` goals: its
    solutions are exactly those reaching every bound. None when two goals want one variable
    at opposite ends. (Keeping the objective guides the search: without it, four times
    slower.)"""
    trial = model.clone()
    trial.clear_hints()  # the kept rota is off the bound: repairing it costs more than a search
    best: dict[int, int] = {}
    for _, expression, maximise in later:
        if not isinstance(expression, int | float):
            (trial.maximize if maximise else trial.minimize)(expression)
            best.update(_best_ends(trial, best, ends))
    trial.proto.objective.copy_from(model.proto.objective)
    best.update(_best_ends(trial, best, ends))
    if None in best.values():
        return None
    for ref, value in best.items():
        domain = trial.proto.variables[ref].domain
        domain.clear()
        domain.extend([value, value])
    return trial


def _best_ends(model: cp_model.CpModel, wanted: dict, ends=None) -> dict[int, int | None]:
    """Each objective term's variable at its best end, read before any domain is cut; None
    where ``wanted`` already holds it at the other end."""
    out: dict[int, int | None] = {}
    for ref, coefficient, low, high in _objective_terms(model, ends):
        value = low if coefficient > 0 else high
        out[ref] = value if wanted.get(ref, value) == value else None
    return out


def _solver(options: SolveOptions) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.random_seed = options.seed
    solver.parameters.num_workers = options.workers
    return solver


def _snapshot(solver: cp_model.CpSolver, variables: dict) -> dict:
    solution = solver.response_proto.solution  # read once: a large model has 100,000s
    values = list(solution)
    return {
        group: {
            key: bool(values[v.index]) if v.index >= 0 else solver.boolean_value(v)
            for key, v in literals.items()
        }
        for group, literals in variables.items()
    }


def _hold(model: cp_model.CpModel, expression, value: int, maximise: bool) -> None:
    """Keep a solved level at least as good as found while the next level is optimised."""
    model.add(expression >= value if maximise else expression <= value)


def _hint(model: cp_model.CpModel, solver: cp_model.CpSolver) -> None:
    """The solver's last solution (the kept rota) as the hint, every variable of it."""
    solution = list(solver.response_proto.solution)
    model.clear_hints()
    model.proto.solution_hint.vars.extend(range(len(solution)))
    model.proto.solution_hint.values.extend(solution)


def _relative_gap(solver: cp_model.CpSolver) -> float:
    return _gap(solver.objective_value, solver.best_objective_bound)


def _gap(value: float | None, bound: float) -> float:
    if value is None:
        return 0.0
    return abs(value - bound) / max(abs(value), 1.0)


def _cut_short_gap(incumbent: float, bound: float, maximise: bool) -> float:
    """The gap of a goal time ran out on: from the kept rota's value to the solver's bound,
    when the solver reported one (a bound on the wrong side of the value is no bound; the
    goals reached then say how far the solve got)."""
    if (bound >= incumbent) if maximise else (bound <= incumbent):
        return _gap(incumbent, bound)
    return 0.0


def _value(solver: cp_model.CpSolver, expression) -> float:
    return expression if isinstance(expression, int | float) else solver.value(expression)


def explain(problem: Problem, options: SolveOptions = SolveOptions()) -> list[str]:
    """Plain-words reasons for infeasibility from CP-SAT's core of assumptions, within the
    time left. Solved with one worker: the core is only close to minimal that way."""
    rota = RotaModel(problem, explain=True)
    words = core_words(rota.model, rota.assumptions, options.started())
    if words is None:
        return [
            "the hard rules conflict, but the time limit ran out before the conflict could "
            "be pinned down; a longer --time-limit shows why"
        ]
    return _describe_core(problem, words)


def core_words(model, assumptions: dict[int, str], options: SolveOptions) -> list[str] | None:
    """The plain words of a core of conflicting assumptions, or None if none is found."""
    model.add_assumptions([model.get_bool_var_from_proto_index(i) for i in assumptions])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = options.remaining()
    if solver.solve(model) != cp_model.INFEASIBLE:
        return None
    return [assumptions[i] for i in solver.sufficient_assumptions_for_infeasibility()]


def _describe_core(problem: Problem, parts: list[str]) -> list[str]:
    parts = list(dict.fromkeys(parts))
    rules = [p for p in parts if p.startswith("at least")]
    absences = [p for p in parts if p not in rules]
    lines = [f"These rules cannot all hold: {rule}." for rule in rules]
    if absences:
        lines.append("Because of: " + "; ".join(absences) + ".")
    kinds = {spell.kind for spell in problem.leave if any(spell.kind in a for a in absences)}
    lines.append(advice(kinds) + " Then plan again.")
    return lines
