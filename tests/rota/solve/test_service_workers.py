"""Teams planned in parallel give the rota planned one team at a time, to the day."""

from click.testing import CliRunner

from cli import main
from rota.domain.synthetic import synthetic_service
from rota.solve.service_plan import plan_service
from rota.solve.solver import SolveOptions


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


def test_workers_must_be_at_least_one(tmp_path):
    result = CliRunner().invoke(main, ["rota", "plan", "nothing.xlsx", "--workers", "0"])
    assert result.exit_code == 2
    assert "--workers" in result.output and "x>=1" in result.output
