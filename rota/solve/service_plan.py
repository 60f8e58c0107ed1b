"""Plan a whole service: the duty rota first, then each team on its own, in parallel.

Once duty is fixed the teams share nothing, so each is a small model solved to
optimality on its own; ``flat=True`` instead solves duty and every team as one CP-SAT
model, which the service benchmark uses to measure what the decomposition gains.
"""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from rota.domain.plan import Plan, Shortfall, SolveInfo
from rota.domain.problem import Problem
from rota.domain.service import Service
from rota.solve.duty import DutyModel, generate_duty, with_duty
from rota.solve.model import RotaModel
from rota.solve.result import to_plan
from rota.solve.solver import InfeasibleError, SolveOptions, TimedOutError, plan, solve_in_order


@dataclass
class ServicePlan:
    teams: list[tuple[Problem, Plan]]
    info: SolveInfo  # overall: OPTIMAL only if the duty rota and every team are
    uncovered_duty: list[Shortfall] = field(default_factory=list)  # days no team is on duty


def plan_service(
    service: Service,
    options: SolveOptions = SolveOptions(),
    flat: bool = False,
    processes: int = 2,
    allow_short: bool = False,
) -> ServicePlan:
    """Plan duty and every team's non-working days; raise InfeasibleError naming the team,
    DutyError naming the duty periods, or TimedOutError. ``options.time_limit`` bounds the
    whole: the duty stage and every team share one deadline. With ``allow_short``, cover
    minimums are soft and each plan's ``shortfalls`` names the days short."""
    service.validate()
    options = options.started()
    started = time.perf_counter()
    if flat:
        return _plan_flat(service, options, started)
    duty_info, uncovered = None, []
    if service.duty.generate:
        duty_days, pools, duty_info, uncovered = generate_duty(service, options, allow_short)
        problems = with_duty(service, duty_days, pools)
    else:
        problems = with_duty(service, {})
    plans = _plan_teams(problems, options, processes, allow_short)
    infos = [p.info for p in plans] + ([duty_info] if duty_info else [])
    seconds = time.perf_counter() - started
    return ServicePlan(list(zip(problems, plans, strict=True)), _overall(infos, seconds), uncovered)


def _plan_one(problem: Problem, options: SolveOptions, allow_short: bool, rounds_left: int):
    """One team's plan within its share of the time that remains: the remains divided by
    the rounds of teams still to plan, so no hard team leaves the later ones no time (and
    time a team does not use passes on to the rest)."""
    share = options.remaining() / rounds_left
    options = replace(options, deadline=min(options.deadline, time.monotonic() + share))
    try:
        return plan(problem, options, allow_short=allow_short)
    except InfeasibleError as error:
        return [f"{problem.team.name}: {line}" for line in error.conflicts]
    except TimedOutError as error:
        return error


def _plan_teams(
    problems: list[Problem], options: SolveOptions, processes: int, allow_short: bool
) -> list[Plan]:
    """Each team on its own, ``processes`` at a time; each solve is deterministic (one
    CP-SAT worker, a fixed seed), so the rotas do not depend on how many run at once."""
    n = len(problems)
    at_once = max(1, min(processes, n))
    rounds = [-(-(n - i) // at_once) for i in range(n)]  # rounds left, this one included
    if at_once > 1:
        with ProcessPoolExecutor(max_workers=at_once) as pool:
            results = list(pool.map(_plan_one, problems, [options] * n, [allow_short] * n, rounds))
    else:
        results = [
            _plan_one(p, options, allow_short, r) for p, r in zip(problems, rounds, strict=True)
        ]
    conflicts = [line for r in results if isinstance(r, list) for line in r]
    if conflicts:
        raise InfeasibleError(conflicts)
    timed_out = [r for r in results if isinstance(r, TimedOutError)]
    if timed_out:
        raise timed_out[0]
    return results


def _overall(infos: list[SolveInfo], seconds: float) -> SolveInfo:
    optimal = all(i.proven_optimal for i in infos)
    return SolveInfo("OPTIMAL" if optimal else "FEASIBLE", seconds, max(i.gap for i in infos))


def _plan_flat(service: Service, options: SolveOptions, started: float) -> ServicePlan:
    """Duty and all teams in one model; each goal is summed over teams."""
    duty = DutyModel(service) if service.duty.generate else None
    model = duty.model if duty else cp_model.CpModel()
    models = [_team_model(problem, model, duty) for problem in service.teams]
    objectives = duty.objectives() if duty else []
    per_team = [m.objectives() for m in models]
    for level, (name, _, maximise) in enumerate(per_team[0]):
        objectives.append((name, sum(goals[level][1] for goals in per_team), maximise))
    variables = {"duty_rota": duty.on_duty if duty else {}}
    for group in ("x", "standing", "duty"):
        variables[group] = {k: v for m in models for k, v in m.variables()[group].items()}
    variables["duty_groups"] = duty.group_duty if duty else {}
    values, info = solve_in_order(model, objectives, variables, options, started)
    if values is None:
        raise InfeasibleError([f"the flat service model found no plan ({info.status})"])
    problems = with_duty(
        service,
        duty.duty_days(values["duty_rota"]) if duty else {},
        duty.pools(values["duty_groups"]) if duty else None,
    )
    plans = [to_plan(p, values, info) for p in problems]
    return ServicePlan(list(zip(problems, plans, strict=True)), info)


def _team_model(problem: Problem, model, duty: DutyModel | None) -> RotaModel:
    name = problem.team.name
    if duty is None or name not in duty.service.shares_duty:
        return RotaModel(problem, model=model)
    literals = {
        day: duty.on_duty[name, s]
        for s, days in enumerate(duty.slots)
        for day in days
        if (name, s) in duty.on_duty
    }
    return RotaModel(replace(problem, duty_days=frozenset()), model=model, duty_literals=literals)
