"""Plan a whole service: the duty rota first, then each team on its own, in parallel.

Once duty is fixed the teams share nothing, so each is a small model solved to
optimality on its own (``teams``: the teams duty passes by are planned while the duty
stage runs); ``flat=True`` instead solves duty and every team as one CP-SAT
model, which the service benchmark uses to measure what the decomposition gains.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from rota.domain.plan import Plan, Shortfall, SolveInfo
from rota.domain.problem import Problem
from rota.domain.service import Service
from rota.solve.duty import with_duty
from rota.solve.flat import flat_model
from rota.solve.improve import Improvement, improve
from rota.solve.result import to_plan
from rota.solve.solver import InfeasibleError, SolveOptions, solve_in_order
from rota.solve.teams import duty_and_teams


@dataclass
class ServicePlan:
    teams: list[tuple[Problem, Plan]]
    info: SolveInfo  # overall: OPTIMAL only if the duty rota and every team are
    uncovered_duty: list[Shortfall] = field(default_factory=list)  # days no team is on duty
    improvement: Improvement | None = None  # what the search after the decomposition did


def plan_service(
    service: Service,
    options: SolveOptions = SolveOptions(),
    flat: bool = False,
    processes: int = 2,
    allow_short: bool = False,
    improve_plan: bool = True,
) -> ServicePlan:
    """Plan duty and every team's non-working days; raise InfeasibleError naming the team,
    DutyError naming the duty periods, or TimedOutError. ``options.time_limit`` bounds the
    whole: the duty stage, every team and the improvement step (``improve_plan``, when duty
    is generated) share one deadline. With ``allow_short``, cover minimums are soft and
    each plan's ``shortfalls`` names the days short."""
    service.validate()
    options = options.started()
    started = time.perf_counter()
    if flat:
        return _plan_flat(service, options, started)
    stages = duty_and_teams(service, options, processes, allow_short)
    duty_info, uncovered = stages.duty, stages.uncovered
    teams, improvement = stages.teams, None
    # not under soft cover: the pair models do not yet keep each team's shortfall goal
    if service.duty.generate and improve_plan and not allow_short:
        teams, improvement = improve(service, teams, options, allow_short)
    infos = [plan.info for _, plan in teams] + ([duty_info] if duty_info else [])
    seconds = time.perf_counter() - started
    return ServicePlan(teams, _overall(infos, seconds), uncovered, improvement)


def _overall(infos: list[SolveInfo], seconds: float) -> SolveInfo:
    optimal = all(i.proven_optimal for i in infos)
    return SolveInfo("OPTIMAL" if optimal else "FEASIBLE", seconds, max(i.gap for i in infos))


def _plan_flat(service: Service, options: SolveOptions, started: float) -> ServicePlan:
    """Duty and all teams in one model; each goal is summed over teams."""
    flat = flat_model(service)
    values, info = solve_in_order(flat.model, flat.objectives, flat.variables(), options, started)
    if values is None:
        raise InfeasibleError([f"the flat service model found no plan ({info.status})"])
    duty = flat.duty
    problems = with_duty(
        service,
        duty.duty_days(values["duty_rota"]) if duty else {},
        duty.pools(values["duty_groups"]) if duty else None,
    )
    plans = [to_plan(p, values, info) for p in problems]
    return ServicePlan(list(zip(problems, plans, strict=True)), info)
