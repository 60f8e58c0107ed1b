"""A service: several teams over one period that take turns on duty."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum

from rota.domain.problem import FieldError, Issue, Problem, ProblemError


class DutyUnit(Enum):
    DAY = "day"
    WEEK = "week"


@dataclass(frozen=True)
class DutyRules:
    """How the service's duty rota is built when it is generated."""

    generate: bool = False
    unit: DutyUnit = DutyUnit.WEEK
    most_in_a_row: int = 1  # duty periods one team may take back to back

    def __post_init__(self):
        if self.most_in_a_row < 1:
            raise FieldError(
                "most_in_a_row",
                f"most duty periods in a row must be at least 1, got {self.most_in_a_row}",
            )


@dataclass
class Service:
    name: str
    teams: list[Problem]
    shares_duty: frozenset[str] = frozenset()  # names of the teams in the duty rota
    duty_groups: dict[str, int] = field(default_factory=dict)  # team -> groups, default 1
    duty: DutyRules = DutyRules()

    def team(self, name: str) -> Problem:
        return next(p for p in self.teams if p.team.name == name)

    @property
    def duty_teams(self) -> list[Problem]:
        return [p for p in self.teams if p.team.name in self.shares_duty]

    def issues(self) -> list[Issue]:
        """Every team's own problems, then what spans teams."""
        found = [issue for problem in self.teams for issue in problem.issues()]
        period = (self.teams[0].team.start, self.teams[0].team.weeks) if self.teams else None
        seen: dict[str, str] = {}
        for problem in self.teams:
            if (problem.team.start, problem.team.weeks) != period:
                found.append(
                    Issue(
                        problem.team,
                        "start",
                        f"team {problem.team.name} has a "
                        "different period from the rest of the service",
                    )
                )
            for person in problem.staff:
                if person.id in seen and seen[person.id] != problem.team.name:
                    found.append(
                        Issue(
                            person,
                            "id",
                            f"staff id {person.id!r} is in both "
                            f"{seen[person.id]} and {problem.team.name}",
                        )
                    )
                seen[person.id] = problem.team.name
        names = {p.team.name for p in self.teams}
        for name in sorted(self.shares_duty - names):
            found.append(Issue(name, "team", f"duty team {name!r} is not in the service"))
        if self.duty.generate and not self.shares_duty:
            found.append(
                Issue(self.name, "team", "duty is to be generated but no team shares duty")
            )
        return found

    def cover_issues(self) -> list[Issue]:
        """Each team's cover minimums beyond its staff (``Problem.cover_issues``), and duty
        groups that outnumber a team's staff."""
        found = [issue for problem in self.teams for issue in problem.cover_issues()]
        for problem in self.teams:
            groups, staff = self.duty_groups.get(problem.team.name, 1), len(problem.staff)
            wanted = problem.team.duty_workers
            if groups < 1 or groups > max(1, staff):
                message = f"{problem.team.name} cannot be split into {groups} duty groups: "
                found.append(Issue(problem.team, "duty_groups", f"{message}it has {staff} staff"))
            elif groups > 1 and wanted > staff // groups:
                message = (
                    f"duty workers per duty day is {wanted}, but {problem.team.name}'s smallest "
                    f"duty group has {staff // groups} of its {staff} staff"
                )
                found.append(Issue(problem.team, "duty_workers", message))
        return found

    def validate(self) -> None:
        found = self.issues()
        if found:
            raise ProblemError([i.message for i in found])

    def duty_slots(self) -> list[list[dt.date]]:
        """The working days of each duty period: one per day or one per week."""
        days = self.teams[0].working_days
        if self.duty.unit is DutyUnit.DAY:
            return [[d] for d in days]
        weeks: dict[dt.date, list[dt.date]] = {}
        for day in days:
            weeks.setdefault(day - dt.timedelta(days=day.weekday()), []).append(day)
        return list(weeks.values())
