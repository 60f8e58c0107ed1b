"""Re-planning: nothing before the absence changes, nothing changes that need not."""

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from cli import main
from rota.domain.checks import check, failures
from rota.domain.plan import Status
from rota.domain.problem import SickDay
from rota.io.excel import write_service_rota
from rota.io.rotaread import read_rota
from rota.io.service_workbook import read_any
from rota.replan import Absence, replan
from rota.solve.service_plan import plan_service

TEAM = Path(__file__).parents[2] / "fixtures" / "rota" / "team.xlsx"
SICK_FROM, SICK_TO = dt.date(2027, 5, 17), dt.date(2027, 5, 21)


def given_back(service):
    """The service with sickness on a non-working day given back (the default loses it,
    tests/rota/test_seams.py): these tests are about the day that moves."""
    return dataclasses.replace(
        service,
        teams=[
            dataclasses.replace(
                p, team=dataclasses.replace(p.team, sick_on_non_working_day=SickDay.GIVEN_BACK)
            )
            for p in service.teams
        ],
    )


@pytest.fixture(scope="module")
def planned(tmp_path_factory):
    service = given_back(read_any(TEAM))
    result = plan_service(service)
    path = write_service_rota(tmp_path_factory.mktemp("replan") / "rota.xlsx", result.teams)
    return service, read_rota(path)


def test_absence_changes_nothing_before_it_and_only_what_it_must(planned):
    service, grid = planned
    result = replan(service, grid, [Absence("SP01", SICK_FROM, SICK_TO)])
    problem, new = result.teams[0]
    before = {k: s for k, s in grid.statuses.items() if k[1] < SICK_FROM}
    assert all(new.statuses[k] == s for k, s in before.items())
    assert all(
        new.statuses["SP01", d] is Status.LEAVE
        for d in problem.weekdays
        if SICK_FROM <= d <= SICK_TO
    )
    changed = {k for k, s in grid.statuses.items() if new.statuses[k] != s}
    sick_days = {("SP01", d) for d in problem.weekdays if SICK_FROM <= d <= SICK_TO}
    moved = changed - sick_days
    # SP01's day off, Mon 17 May, fell in the absence: it moves to another day of the same
    # fortnight (17-28 May), and nobody else's day moves
    assert len(moved) == 1
    ((staff_id, new_day),) = moved
    assert staff_id == "SP01" and dt.date(2027, 5, 24) <= new_day <= dt.date(2027, 5, 28)
    assert new.statuses[staff_id, new_day] is Status.NON_WORKING_DAY
    assert [c.staff_id for c in result.changes] == ["SP01"]
    assert failures(check(problem, new.statuses)) == []


def test_no_absence_no_change(planned):
    service, grid = planned
    result = replan(service, grid, [], replan_from=dt.date(2027, 5, 3))
    assert result.changes == []
    assert result.teams[0][1].statuses == grid.statuses


def test_duty_swap_moves_the_team_duty_and_the_days_off_that_clash(planned):
    service, grid = planned
    tue, thu = dt.date(2027, 6, 22), dt.date(2027, 6, 24)
    result = replan(service, grid, duty_swaps=[(tue, thu)])
    problem, new = result.teams[0]
    assert thu in problem.duty_days and tue not in problem.duty_days
    assert not any(new.statuses[p.id, thu] is Status.NON_WORKING_DAY for p in problem.staff)
    assert result.changes[0].name == "(whole team)" and result.changes[0].after == thu


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def written_rota(tmp_path):
    rota = tmp_path / "rota.xlsx"
    assert run("rota", "plan", TEAM, "--out", rota).exit_code == 0
    return rota


def test_cli_replan_writes_a_changes_sheet(tmp_path, written_rota, given_back_team):
    out = tmp_path / "new.xlsx"
    result = run(
        "rota",
        "replan",
        written_rota,
        "--rules",
        given_back_team,
        "--absent",
        "SP01:2027-05-17:2027-05-21",
        "--out",
        out,
    )
    assert result.exit_code == 0, result.output
    changes = load_workbook(out)["Changes"]
    assert changes["B2"].value == "SP01" and "off sick" in changes["G2"].value


def test_cli_replan_bad_input_lists_every_problem_and_writes_nothing(tmp_path, written_rota):
    out = tmp_path / "new.xlsx"
    result = run(
        "rota",
        "replan",
        written_rota,
        "--rules",
        TEAM,
        "--out",
        out,
        "--absent",
        "NOBODY:2027-05-17:2027-05-21",
        "--absent",
        "SP01:2027-05-21",
        "--absent",
        "SW01:2026-01-05:2026-01-06",
    )
    assert result.exit_code == 2
    assert "'NOBODY', who is not in the rules" in result.output
    assert "expected ID:FROM:TO" in result.output
    assert "2026-01-05 is not a weekday of the period" in result.output
    assert not out.exists()


def test_cli_replan_refuses_a_from_date_after_the_absence_starts(tmp_path, written_rota):
    out = tmp_path / "new.xlsx"
    result = run(
        "rota", "replan", written_rota, "--rules", TEAM, "--out", out,
        "--absent", "SP01:2027-05-17:2027-05-21", "--from", "2027-05-19",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "the absence of SP01 starts on 2027-05-17, before --from 2027-05-19" in result.output
    assert not out.exists()
