"""Small named teams for the rota tests."""

import datetime as dt
from types import SimpleNamespace

import pytest

from rota.domain.problem import Pattern, Problem, StaffMember, Team

MONDAY = dt.date(2027, 1, 11)  # no bank holidays within eight weeks of this Monday


def person(staff_id, pattern=Pattern.NINE_DAY_FORTNIGHT, **fields) -> StaffMember:
    fields.setdefault("name", f"Person {staff_id}")
    fields.setdefault("role", "Social worker")
    fields.setdefault("senior", False)
    fields.setdefault("hours", 37.0)
    return StaffMember(staff_id, pattern=pattern, **fields)


def team(weeks=2, min_present=0, min_senior=0, start=MONDAY, **fields) -> Team:
    return Team("Test team", start, weeks, start, min_present, min_senior, **fields)


def problem(staff, weeks=2, duty=(), leave=(), **team_fields) -> Problem:
    return Problem(team(weeks, **team_fields), list(staff), frozenset(duty), list(leave))


def days(start: dt.date, n: int) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range(n)]


@pytest.fixture
def make():
    """Builders for small teams: make.person, make.team, make.problem, make.days."""
    return SimpleNamespace(person=person, team=team, problem=problem, days=days, monday=MONDAY)


@pytest.fixture
def fixture_team():
    """The shipped example workbook's problem, built by the fixtures script."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).parents[2] / "fixtures" / "make_rota.py"
    spec = importlib.util.spec_from_file_location("make_rota", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.team_problem()
