"""The duty stage and the team solves of a service plan, on as many processes as given.

Once duty is fixed each team is a small model of its own, solved in a pool of processes.
The duty stage is one CP-SAT solve on one core, so with two or more processes the teams
are planned ahead while it runs, on the cores it leaves free: each team as it would be if
duty passed it by. A plan made ahead is kept only for a team whose problem, once duty is
fixed, is the very problem planned; every other team is planned afresh. Each team's solve
is deterministic (one CP-SAT worker, a fixed seed), so the rotas are the same for any
number of processes, and the same as planning every team after the duty stage.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace

from rota.domain.plan import Plan, Shortfall, SolveInfo
from rota.domain.problem import Problem
from rota.domain.service import Service
from rota.solve.duty import generate_duty, with_duty
from rota.solve.solver import InfeasibleError, SolveOptions, TimedOutError, plan


@dataclass
class Stages:
    """What the duty stage and the team solves give, and what the overlap did."""

    teams: list[tuple[Problem, Plan]]
    duty: SolveInfo | None  # None when the service's duty is given, not generated
    uncovered: list[Shortfall]  # duty days no team covers (with ``allow_short``)
    duty_seconds: float = 0.0  # the duty stage's wall time, model build included
    planned_ahead: int = 0  # teams planned during the duty stage whose plan was kept
    discarded: int = 0  # teams planned during the duty stage that duty then reached


def duty_and_teams(
    service: Service, options: SolveOptions, processes: int, allow_short: bool
) -> Stages:
    """The duty rota (when the service generates one), then every team's plan."""
    options = options.started()
    if not service.duty.generate:
        problems = with_duty(service, {})
        plans = plan_teams(problems, options, processes, allow_short)
        return Stages(_paired(problems, plans), None, [])
    at_once = max(1, min(processes, len(service.teams)))
    if at_once == 1:  # one core for everything: duty, then the teams in turn
        started = time.perf_counter()
        duty_days, pools, info, uncovered = generate_duty(service, options, allow_short)
        seconds = time.perf_counter() - started
        problems = with_duty(service, duty_days, pools)
        plans = plan_teams(problems, options, 1, allow_short)
        return Stages(_paired(problems, plans), info, uncovered, seconds)
    return _overlapped(service, options, at_once, allow_short)


def _overlapped(service: Service, options: SolveOptions, at_once: int, allow_short: bool):
    """Duty in this process; the teams ahead of it on ``at_once - 1`` of the pool's
    processes, then on all of them once duty is fixed."""
    guessed = with_duty(service, {})  # each team as it is if duty passes it by
    with ProcessPoolExecutor(max_workers=at_once) as pool:
        ahead = _Ahead(pool, guessed, options, allow_short, at_once)
        ahead.start()  # the first submit forks the pool, before any CP-SAT thread runs
        started = time.perf_counter()
        try:
            duty_days, pools, info, uncovered = generate_duty(service, options, allow_short)
        finally:
            planned = ahead.stop()
        seconds = time.perf_counter() - started
        problems = with_duty(service, duty_days, pools)
        kept = {i: f for i, f in planned.items() if problems[i] == guessed[i]}
        rest = [i for i in range(len(problems)) if i not in kept]
        submitted = _submit(pool, [problems[i] for i in rest], options, allow_short, at_once)
        fresh = dict(zip(rest, submitted, strict=True))
        results = [(kept.get(i) or fresh[i]).result() for i in range(len(problems))]
    stages = Stages(_paired(problems, _checked(results)), info, uncovered, seconds)
    stages.planned_ahead, stages.discarded = len(kept), len(planned) - len(kept)
    return stages


@dataclass
class _Ahead:
    """Teams planned in order, ``at_once - 1`` at a time (one process is left to the duty
    stage), each submitted as the one before it finishes, until stopped."""

    pool: ProcessPoolExecutor
    problems: list[Problem]
    options: SolveOptions
    allow_short: bool
    at_once: int
    futures: dict[int, Future] = field(default_factory=dict)
    stopped: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> None:
        for _ in range(self.at_once - 1):
            self._next()

    def _next(self, _finished: Future | None = None) -> None:
        """Submit the next team (called again, from the pool's thread, as each finishes)."""
        with self.lock:
            i = len(self.futures)
            if self.stopped or i == len(self.problems):
                return
            rounds = -(-(len(self.problems) - i) // self.at_once)
            args = (self.problems[i], self.options, self.allow_short, rounds)
            self.futures[i] = future = self.pool.submit(plan_one, *args)
        future.add_done_callback(self._next)  # outside the lock: a done future calls at once

    def stop(self) -> dict[int, Future]:
        """No more teams; the ones submitted so far, by index."""
        with self.lock:
            self.stopped = True
            return dict(self.futures)


def plan_one(problem: Problem, options: SolveOptions, allow_short: bool, rounds_left: int):
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


def plan_teams(
    problems: list[Problem], options: SolveOptions, processes: int, allow_short: bool
) -> list[Plan]:
    """Each team on its own, ``processes`` at a time; each solve is deterministic (one
    CP-SAT worker, a fixed seed), so the rotas do not depend on how many run at once."""
    options = options.started()
    at_once = max(1, min(processes, len(problems)))
    if at_once == 1:
        rounds = _rounds(len(problems), 1)
        pairs = zip(problems, rounds, strict=True)
        return _checked([plan_one(p, options, allow_short, r) for p, r in pairs])
    with ProcessPoolExecutor(max_workers=at_once) as pool:
        futures = _submit(pool, problems, options, allow_short, at_once)
        return _checked([future.result() for future in futures])


def _submit(pool, problems, options, allow_short, at_once) -> list[Future]:
    rounds = _rounds(len(problems), at_once)
    return [
        pool.submit(plan_one, p, options, allow_short, r)
        for p, r in zip(problems, rounds, strict=True)
    ]


def _rounds(n: int, at_once: int) -> list[int]:
    """For each of ``n`` teams in turn, the rounds of ``at_once`` left, its own included."""
    return [-(-(n - i) // at_once) for i in range(n)]


def _checked(results: list) -> list[Plan]:
    """The plans, or every team's conflicts at once, or the first team out of time."""
    conflicts = [line for r in results if isinstance(r, list) for line in r]
    if conflicts:
        raise InfeasibleError(conflicts)
    timed_out = [r for r in results if isinstance(r, TimedOutError)]
    if timed_out:
        raise timed_out[0]
    return results


def _paired(problems: list[Problem], plans: list[Plan]) -> list[tuple[Problem, Plan]]:
    return list(zip(problems, plans, strict=True))
