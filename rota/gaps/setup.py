"""What ``rota gaps`` reads before it checks: the rota, its rules and the words that name
them, shared by the command line and the web page so both say the same."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from common.errors import InputError
from rota.domain.problem import Problem
from rota.domain.rota import Rota
from rota.gaps.fit import rota_problems, rules_from_rota
from rota.io.planned_with import carried_rules
from rota.io.rotaread import read_rota
from rota.io.service_workbook import read_any

NO_RULES = "carries no rules (it was not planned by workwell)"
ASK_FOR_RULES = (
    "give --rules TEAM.xlsx, or --min-present N (with --min-senior N and --senior ID for "
    "each senior worker)"
)


@dataclass(frozen=True)
class GapsInputs:
    """A rota and the rules to check it against, read and cross-checked."""

    grid: Rota
    rules: list[Problem]
    service: object | None  # the Service the rules came from, None for options only
    words: str  # the rules as the gaps report names them

    @property
    def duty_slots(self) -> frozenset | None:
        return duty_slots(self.service)

    @property
    def duty_groups(self):
        return self.service.duty_groups if self.service else None


def read_gaps_inputs(
    problems: list[str],
    rota_path: Path,
    rules_path: Path | None,
    min_present: int | None = None,
    min_senior: int | None = None,
    seniors=(),
    ask: str = ASK_FOR_RULES,
) -> GapsInputs | None:
    """Read and cross-check the rota and its rules: the inputs, or None with every problem
    added to ``problems`` (those already there come first); ``ask`` says what to give
    for a hand-made rota, which carries no rules."""
    before = len(problems)
    service = _collect(problems, read_any, rules_path) if rules_path else None
    teams = service.teams if service else []
    default_team = teams[0].team.name if len(teams) == 1 else "Team"
    carried = rules_path is None  # the rota's own rules, read with it (its workbook opened once)
    grid = _collect(problems, read_rota, rota_path, None if carried else default_team, carried)
    if carried and grid is not None:
        problems += grid.rules_problems
        service = grid.rules
    if carried and service is None and min_present is None and len(problems) == before:
        problems.append(f"{rota_path.name} {NO_RULES}: {ask}")
    if (service is not None or rules_path is not None) and seniors:
        problems.append("--senior is only for use without rules: the rules say who is senior")
    rules = service.teams if service else None
    if grid is not None and service is None and min_present is not None:
        rules = _collect(problems, rules_from_rota, grid, min_present, min_senior or 0, seniors)
    elif rules is not None:
        rules = _collect(problems, override_minimums, rules, min_present, min_senior)
    if grid is not None and rules is not None:
        problems += rota_problems(grid, rules)
    if problems or grid is None or rules is None:
        return None
    words = rules_words(rules_path, service, rota_path, min_present, min_senior)
    return GapsInputs(grid, rules, service, words)


def read_rules(problems: list[str], rota_path: Path, rules_path: Path | None):
    """The Service in ``rules_path``, else the one a workwell rota carries (None for a
    hand-made rota); None with its problems added to ``problems`` when it is broken."""
    if rules_path is not None:
        return _collect(problems, read_any, rules_path)
    return _collect(problems, carried_rules, rota_path)


def duty_slots(service) -> frozenset | None:
    """A service that generates its duty needs some team on duty every working day; its
    workbook names no duty days, so say so (None: the rules' own duty days)."""
    if service is None or not (service.duty.generate and service.shares_duty):
        return None
    return frozenset(service.teams[0].working_days)


def _collect(problems: list[str], read, *args):
    """``read(*args)``, or None with its problems added to ``problems``."""
    try:
        return read(*args)
    except InputError as error:  # a reader's, or a team's own check of an overridden minimum
        problems.extend(str(problem) for problem in error.problems)
    return None


def override_minimums(rules: list[Problem], min_present: int | None, min_senior: int | None):
    """The rules with these minimums (where given) in place of each team's own."""
    changes = {"min_present": min_present, "min_senior": min_senior}
    changes = {name: value for name, value in changes.items() if value is not None}
    return [
        dataclasses.replace(p, team=dataclasses.replace(p.team, **changes)) if changes else p
        for p in rules
    ]


def rules_words(rules_path: Path | None, service, rota_path: Path, min_present, min_senior) -> str:
    """The rules as the gaps report names them: the file, the carried rules or options."""
    overrides = [
        f"{words} {value}"
        for words, value in (("minimum present", min_present), ("minimum senior", min_senior))
        if value is not None
    ]
    if rules_path is None and service is None:
        return "options: " + ", ".join(overrides)
    source = rules_path.name if rules_path else f"the rules {rota_path.name} was planned with"
    return source + (f" with {', '.join(overrides)}" if overrides else "")
