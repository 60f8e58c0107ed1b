"""The service's duty rota: which team is on duty in each day or week, fairly by head.

Every duty period is covered by one team; no team takes more periods in a row than the
rules allow; no team is put on duty when leave leaves it short of its duty-day minimum;
duty days per head are as even across teams as they can be; and, among equally fair
rotas, duty falls where teams have the least leave, which leaves most room for flexi days.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from rota.problem import Problem
from rota.rules import describe_day
from rota.service import Service
from rota.solver import solve_in_order

SCALE = 1000  # duty days per head are compared as integers, in thousandths


@dataclass
class DutyModel:
    service: Service
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    on_duty: dict[tuple[str, int], cp_model.IntVar] = field(default_factory=dict)

    def __post_init__(self):
        self.slots = self.service.duty_slots()
        self._duty_variables()
        self._every_period_covered()
        self._not_too_many_in_a_row()

    def _duty_variables(self) -> None:
        """A literal per (team, period) where the team could be on duty; given duty is kept."""
        for problem in self.service.duty_teams:
            name = problem.team.name
            for s, days in enumerate(self.slots):
                if self._can_cover(problem, days):
                    self.on_duty[name, s] = self.model.new_bool_var(f"duty[{name},{s}]")
                if any(d in problem.duty_days for d in days):
                    self.model.add(self.on_duty.get((name, s), 0) == 1)

    @staticmethod
    def _can_cover(problem: Problem, days: list[dt.date]) -> bool:
        needed = problem.team.min_present_on_duty or problem.team.min_present
        return all(
            sum(problem.fixed_absence(p, d) is None for p in problem.staff) >= needed for d in days
        )

    def _every_period_covered(self) -> None:
        for s, days in enumerate(self.slots):
            teams = [v for (_, slot), v in self.on_duty.items() if slot == s]
            if not teams:
                raise DutyError(
                    [
                        f"no team can be on duty {self._describe(days)}: leave "
                        "leaves every duty team below its duty-day minimum"
                    ]
                )
            self.model.add_exactly_one(teams)

    def _not_too_many_in_a_row(self) -> None:
        most = self.service.duty.most_in_a_row
        for problem in self.service.duty_teams:
            name = problem.team.name
            for s in range(len(self.slots) - most):
                window = [self.on_duty.get((name, s + i), 0) for i in range(most + 1)]
                self.model.add(sum(window) <= most)

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
        return [
            ("duty days per head: most minus least (thousandths)", high - low, False),
            ("leave falling in a team's duty periods", self._leave_on_duty(), False),
        ]

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

    @staticmethod
    def _describe(days: list[dt.date]) -> str:
        return (
            f"on {describe_day(days[0])}"
            if len(days) == 1
            else f"in the week of {describe_day(days[0])}"
        )


class DutyError(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def generate_duty(service: Service, options) -> tuple[dict[str, frozenset[dt.date]], object]:
    """Solve the duty rota alone (the first stage of a decomposed service plan)."""
    duty = DutyModel(service)
    values, info = solve_in_order(
        duty.model, duty.objectives(), {"duty": duty.on_duty}, options, time.perf_counter()
    )
    if values is None:
        raise DutyError(
            [
                "no duty rota meets the rules: allow more duty periods in a row, "
                "or let more teams share duty"
            ]
        )
    return duty.duty_days(values["duty"]), info


def with_duty(service: Service, duty_days: dict[str, frozenset[dt.date]]) -> list[Problem]:
    """Each team's problem with its duty days, split among duty groups in turn."""
    slots = service.duty_slots()
    out = []
    for problem in service.teams:
        days = duty_days.get(problem.team.name, problem.duty_days)
        pool = _group_pools(problem, days, slots, service.duty_groups.get(problem.team.name, 1))
        out.append(replace(problem, duty_days=days, duty_pool=pool))
    return out


def duty_groups(problem: Problem, groups: int) -> list[frozenset[str]]:
    """Split a team into groups, seniors spread first, so each group can cover duty."""
    ordered = sorted(problem.staff, key=lambda p: (not p.senior, p.id))
    return [frozenset(p.id for p in ordered[g::groups]) for g in range(groups)]


def _group_pools(problem, days, slots, groups: int) -> dict[dt.date, frozenset[str]]:
    if groups <= 1:
        return {}
    members = duty_groups(problem, groups)
    team_slots = [slot for slot in slots if any(d in days for d in slot)]
    return {d: members[i % groups] for i, slot in enumerate(team_slots) for d in slot if d in days}
