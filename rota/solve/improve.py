"""The improvement step after a decomposed service plan: large neighbourhood search.

Duty fixed first and each team planned alone is optimal stage by stage, not as a whole:
among duty rotas equally good on the duty goals, the duty stage cannot see which suits
the teams best. So, pair by pair, the duty periods two teams hold are shared out afresh
between them (a swap or a move of periods), both teams re-planned with them, in one
small model hinted with the plan as it stands; the change is kept only if the whole
service's goals, in priority order, come out strictly better. The rest of the service is
held as it is (its duty loads bound the fairness goal), so a pair's gain is the
service's. The pair's model is the flat model's, so it counts as the flat model does: a
standing day that duty takes is a day moved (a team planned alone, with its duty given,
counts it as lost to duty), which is what lets the search move duty off standing days.
Deterministic for a seed: pairs in a seeded order, each solve bounded in CP-SAT's
deterministic time; the command's one deadline can still cut the search short.
"""

from __future__ import annotations

import itertools
import random
import time
from dataclasses import dataclass, replace

from rota.domain.duty_share import on_duty_share
from rota.domain.plan import Plan
from rota.domain.problem import Problem
from rota.domain.rules import duty_groups
from rota.domain.service import DutyShare, Service
from rota.solve.duty import TUNING, DutyModel, with_duty
from rota.solve.duty_goals import cost_weight
from rota.solve.flat import FlatModel, fixed_score, flat_model
from rota.solve.result import to_plan
from rota.solve.solver import SolveOptions, solve_in_order

PAIR_EFFORT = 20.0  # CP-SAT deterministic time per goal of one pair's re-plan
PAIR_SECONDS = 1.0  # a pair's re-plan, nominally: the time limit allows this many pairs
MIN_SECONDS_LEFT = 1.0  # no pair is started with less time than this left
SHARE = 1 / 3  # of the time limit, at most: the team-by-team plan is the answer, this a polish


@dataclass(frozen=True)
class Improvement:
    pairs_tried: int
    changes_kept: int
    seconds: float


def improve(
    service: Service,
    teams: list[tuple[Problem, Plan]],
    options: SolveOptions,
    allow_short: bool = False,
) -> tuple[list[tuple[Problem, Plan]], Improvement]:
    """Better ``teams`` (a decomposed plan of ``service``) pair by pair until a whole pass
    over the pairs keeps nothing, the pairs the time limit allows (``PAIR_SECONDS`` each)
    are tried, a third of the time limit is spent, or the deadline comes. Never worse than
    the start."""
    started, options = time.perf_counter(), options.started()
    plans = {p.team.name: (p, plan) for p, plan in teams}
    names = [p.team.name for p in service.duty_teams]
    rng, tried, kept = random.Random(options.seed), 0, 0
    budget = max(1, round(options.time_limit / PAIR_SECONDS))
    allowed = options.time_limit * SHARE
    weight = cost_weight(service)
    improved = len(names) > 1 and service.duty.generate
    while improved and tried < budget:
        improved = False
        pairs = [p for p in itertools.combinations(names, 2) if _holds_any(plans, p)]
        rng.shuffle(pairs)
        displaced = {name: _displaced_by_duty(plans[name][1]) for name in names}
        pairs.sort(key=lambda pair: -sum(displaced[name] for name in pair))  # stable: seeded
        for pair in pairs[: budget - tried]:
            if options.remaining() <= MIN_SECONDS_LEFT or _since(started) >= allowed:
                return _result(teams, plans), Improvement(tried, kept, _since(started))
            tried += 1
            better = _replan_pair(service, plans, pair, weight, options, allow_short)
            if better is not None:
                plans.update(better)
                kept, improved = kept + 1, True
    return _result(teams, plans), Improvement(tried, kept, _since(started))


def _displaced_by_duty(plan: Plan) -> int:
    """Owed days moved off their standing day by the team's duty: the pairs with most of
    them are tried first, as the likeliest to gain."""
    return sum(bool(o.reason) and o.reason.startswith("team on duty") for o in plan.owed)


def _holds_any(plans: dict, pair) -> bool:
    """Whether either team holds a duty period (else there is nothing to share out)."""
    return any(plans[name][0].duty_days for name in pair)


def _result(teams, plans) -> list[tuple[Problem, Plan]]:
    return [plans[p.team.name] for p, _ in teams]


def _since(started: float) -> float:
    return time.perf_counter() - started


def _replan_pair(service, plans, pair, weight, options, allow_short) -> dict | None:
    """The pair's duty periods shared out afresh and both teams re-planned; returns their
    new (problem, plan)s if the service's goals come out strictly better, else None.
    Every goal must be proven optimal: then each goal's value as solved is the plan's."""
    now = [plans[name] for name in pair]
    flat = _pair_model(service, plans, pair, weight, allow_short)
    before = fixed_score(replace(flat, model=flat.model.clone()), now, options)
    for literal, value in flat.assignment(now):
        flat.model.add_hint(literal, value)
    parameters = {**TUNING, "max_deterministic_time": PAIR_EFFORT}
    values, info = solve_in_order(
        flat.model, flat.objectives, flat.variables(), options, time.perf_counter(), parameters
    )
    if values is None or not info.proven_optimal:
        return None  # kept plans stay proven optimal, team by team, for their duty
    if not _better(info.objectives, before, flat.objectives):
        return None
    duty = flat.duty
    problems = with_duty(
        flat.service, duty.duty_days(values["duty_rota"]), duty.pools(values["duty_groups"])
    )
    return {p.team.name: (p, to_plan(p, values, info)) for p in problems}


def _pair_model(service, plans, pair, weight, allow_short) -> FlatModel:
    """Duty and rotas of the two teams in one model, on the periods they hold between
    them; the other teams' loads, as planned, bound the fairness goal."""
    sub = Service(
        service.name,
        [service.team(name) for name in pair],
        frozenset(pair),
        {name: service.duty_groups.get(name, 1) for name in pair},
        service.duty,
    )
    slots = service.duty_slots()
    held = {s for name in pair for s, days in enumerate(slots) if _holds(plans[name][0], days)}
    others = [load for name, load in _loads(service, plans, slots) if name not in pair]
    outside = (min(others), max(others)) if others else None
    duty = DutyModel(
        sub, open_slots={name: held for name in pair}, outside=outside, cost_weight=weight
    )
    return flat_model(sub, duty, allow_short)


def _holds(problem: Problem, days) -> bool:
    return all(d in problem.duty_days for d in days)


def _loads(service: Service, plans, slots) -> list[tuple[str, int]]:
    """Each unit of fairness's duty load as planned: per team (workload per head) or per
    duty group (days per person), in thousandths, as ``duty_goals.loads`` counts it."""
    rule = service.duty.shared_by
    out = []
    for source in service.duty_teams:
        name = source.team.name
        problem = plans[name][0]
        groups = duty_groups(source, service.duty_groups.get(name, 1))
        units = [frozenset().union(*groups)]
        if rule is DutyShare.DAYS_PER_PERSON and len(groups) > 1:
            units = groups
        for pool in units:
            share = on_duty_share(source, pool, rule)
            days = sum(
                len(slot)
                for slot in slots
                if _holds(problem, slot) and (len(units) == 1 or problem.duty_pool[slot[0]] == pool)
            )
            out.append((name, days * share))
    return out


def _better(after: dict, before: dict, objectives) -> bool:
    """Strictly better in priority order: the first goal that differs decides."""
    for name, _, maximise in objectives:
        if name not in after or name not in before:
            return False
        if after[name] != before[name]:
            return (after[name] > before[name]) if maximise else (after[name] < before[name])
    return False
