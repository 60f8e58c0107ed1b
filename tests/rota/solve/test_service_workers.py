"""Teams planned in parallel give the rota planned one team at a time, to the day; so do
teams planned ahead while the duty stage runs."""

from dataclasses import replace

from click.testing import CliRunner

from cli import main
from rota.domain.synthetic import synthetic_service
from rota.solve.service_plan import plan_service
from rota.solve.solver import SolveOptions
from rota.solve.teams import duty_and_teams


def _rotas(result) -> dict:
    return {
        problem.team.name: (problem.duty_days, plan.statuses, plan.standing_days, plan.owed)
        for problem, plan in result.teams
    }


def test_one_worker_and_two_workers_give_identical_rotas():
    service = synthetic_service(4, team_size=8, weeks=4, seed=8)
    options = SolveOptions(time_limit=60)
    alone = plan_service(service, options, processes=1)
    together = plan_service(service, options, processes=2)
    assert alone.info.proven_optimal and together.info.proven_optimal
    assert [p.team.name for p, _ in together.teams] == [p.team.name for p, _ in alone.teams]
    assert _rotas(together) == _rotas(alone)


def test_the_duty_rota_and_every_team_are_the_same_on_one_worker_two_and_again():
    # Team 001 shares no duty, so it is the first team planned during the duty stage and
    # its plan is kept; which others are planned then, and kept, depends on timing.
    service = synthetic_service(12, team_size=10, weeks=2, seed=3)
    service = replace(service, shares_duty=service.shares_duty - {"Team 001"})
    options = SolveOptions(time_limit=60)
    alone = duty_and_teams(service, options, 1, allow_short=True)
    runs = [duty_and_teams(service, options, 2, allow_short=True) for _ in range(2)]
    assert alone.planned_ahead == 0
    assert all(run.planned_ahead >= 1 for run in runs)
    for run in runs:
        assert run.duty.proven_optimal and all(p.info.proven_optimal for _, p in run.teams)
        assert run.duty.objectives == alone.duty.objectives
        assert _rotas(run) == _rotas(alone)
    on_duty = [p.team.name for p, _ in alone.teams if p.duty_days]
    assert len(on_duty) == 10 and "Team 001" not in on_duty  # 10 days, fairly: one each


def test_a_team_planned_ahead_that_duty_then_reaches_is_planned_again():
    # Only Team 001 shares duty, as many days in a row as it can: it is planned during the
    # duty stage (first) as if off duty, then is on duty, so it is planned again.
    service = synthetic_service(3, team_size=10, weeks=2, seed=3)
    rules = replace(service.duty, most_in_a_row=10)
    service = replace(service, shares_duty=frozenset({"Team 001"}), duty=rules)
    options = SolveOptions(time_limit=60)
    alone = duty_and_teams(service, options, 1, allow_short=True)
    together = duty_and_teams(service, options, 2, allow_short=True)
    assert together.discarded == 1
    assert alone.teams[0][0].duty_days  # on some days (leave keeps it off the rest)
    assert _rotas(together) == _rotas(alone)


def test_workers_must_be_at_least_one(tmp_path):
    result = CliRunner().invoke(main, ["rota", "plan", "nothing.xlsx", "--workers", "0"])
    assert result.exit_code == 2
    assert "--workers" in result.output and "x>=1" in result.output
