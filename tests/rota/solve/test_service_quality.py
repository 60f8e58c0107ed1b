"""Duty shared on the service's terms, duty placed where it displaces least, and the
improvement step never worse than the decomposed plan it starts from."""

import dataclasses
import datetime as dt
from collections import Counter

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from cli import main
from rota.domain.checks import check, failures
from rota.domain.plan import Status
from rota.domain.problem import Pattern, Problem, StaffMember, StandingDay, Team
from rota.domain.service import DutyRules, DutyShare, DutyUnit, Service
from rota.domain.synthetic import synthetic_service
from rota.io.rotaread import read_rota
from rota.io.service_workbook import read_service, write_service_workbook
from rota.solve.duty import generate_duty
from rota.solve.flat import score
from rota.solve.improve import improve
from rota.solve.service_plan import plan_service
from rota.solve.solver import SolveOptions

JUNE = dt.date(2027, 6, 7)  # a Monday; no bank holiday in the six weeks from it


def member(staff_id: str, **fields) -> StaffMember:
    fields.setdefault("pattern", Pattern.FULL_TIME)
    fields.setdefault("hours", 37.0)
    return StaffMember(staff_id, f"Person {staff_id}", "Social worker", False, **fields)


def small_team(name: str, size: int, weeks: int = 6, **fields) -> Problem:
    team = Team(name, JUNE, weeks, JUNE, min_present=0, min_senior=0)
    staff = [member(f"{name[0]}{i + 1}", **fields) for i in range(size)]
    return Problem(team, staff)


def two_team_service(rule: DutyShare) -> Service:
    """A team of 2 and a team of 4, whole-team duty by the week, six weeks: by workload per
    head the bigger team takes two weeks in three; by days per person, half."""
    teams = [small_team("Pairs", 2), small_team("Fours", 4)]
    rules = DutyRules(generate=True, unit=DutyUnit.WEEK, most_in_a_row=2, shared_by=rule)
    return Service("Two teams", teams, frozenset({"Pairs", "Fours"}), {}, rules)


@pytest.mark.parametrize(
    ("rule", "pairs_days", "fours_days"),
    [(DutyShare.WORKLOAD_PER_HEAD, 10, 20), (DutyShare.DAYS_PER_PERSON, 15, 15)],
)
def test_each_sharing_rule_gives_its_duty_days_per_person_on_the_read_back(
    tmp_path, rule, pairs_days, fours_days
):
    rules = write_service_workbook(tmp_path / "service.xlsx", two_team_service(rule))
    assert read_service(rules).duty.shared_by is rule
    out = tmp_path / "rota.xlsx"
    args = ["rota", "plan", str(rules), "--out", str(out), "--time-limit", "20"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    grid = read_rota(out)
    duty = Counter(pid for (pid, _), status in grid.statuses.items() if status is Status.DUTY)
    assert {duty[p.id] for p in grid.staff if p.team == "Pairs"} == {pairs_days}
    assert {duty[p.id] for p in grid.staff if p.team == "Fours"} == {fours_days}
    summary = [[c.value for c in row] for row in load_workbook(out)["Summary"].iter_rows()]
    spread = next(row[0] for row in summary if str(row[0]).startswith("Spread across"))
    assert f"{abs(fours_days - pairs_days)} duty days per person" in spread
    teams = ("Pairs", "Fours")
    people = {r[1]: r[3] for r in summary if r[0] in teams and isinstance(r[1], str)}
    assert people == {p.id: duty[p.id] for p in grid.staff}


def test_duty_goes_where_it_displaces_no_agreed_standing_day():
    """Two teams of two share a week's daily duty. Wednesday is the agreed standing day
    (4DW) of one team's worker; the other team has a part-timer off on Wednesdays, so by
    leave alone Wednesday's duty would go to the first team. The standing day comes first."""
    keeps = small_team("Keeps", 2, weeks=1)
    keeps.staff[0] = member("K1", pattern=Pattern.FOUR_DAY_WEEK, agreed_day=StandingDay(2))
    other = small_team("Other", 2, weeks=1)
    other.staff[0] = member("O1", pattern=Pattern.PART_TIME, fixed_days_off=(2,), hours=29.6)
    rules = DutyRules(generate=True, unit=DutyUnit.DAY, most_in_a_row=5)
    service = Service("S", [keeps, other], frozenset({"Keeps", "Other"}), {}, rules)
    duty_days, _, info, _ = generate_duty(service, SolveOptions(10))
    wednesday = JUNE + dt.timedelta(days=2)
    assert wednesday in duty_days["Other"] and wednesday not in duty_days["Keeps"]
    assert len(duty_days["Keeps"]) in (2, 3)  # still shared fairly
    plans = plan_service(service, SolveOptions(20), improve_plan=False).teams
    plan = next(plan for problem, plan in plans if problem.team.name == "Keeps")
    assert plan.statuses["K1", wednesday] is Status.NON_WORKING_DAY


def test_improvement_is_never_worse_than_the_decomposed_start_and_repeats_itself():
    service = synthetic_service(3, team_size=5, weeks=2, seed=3)
    options = SolveOptions(time_limit=40)
    start = plan_service(service, options, improve_plan=False)
    improved, report = improve(service, start.teams, SolveOptions(time_limit=20))
    assert report.pairs_tried >= 1
    again, _ = improve(service, start.teams, SolveOptions(time_limit=20))
    assert [plan.statuses for _, plan in again] == [plan.statuses for _, plan in improved]
    for problem, plan in improved:
        assert failures(check(problem, plan.statuses)) == []
    before, after = score(service, start.teams, options), score(service, improved, options)
    assert list(before) == list(after) and len(before) > 4
    assert _lexicographic(after, service) <= _lexicographic(before, service)


def _lexicographic(values: dict, service: Service) -> tuple:
    """Goals in order, each turned so that smaller is better."""
    maximised = {"owed days taken", "agreed standing days kept"}
    return tuple(-v if name in maximised else v for name, v in values.items())


def test_a_workbook_without_the_sharing_row_means_workload_per_head(tmp_path):
    service = two_team_service(DutyShare.DAYS_PER_PERSON)
    path = write_service_workbook(tmp_path / "service.xlsx", service)
    book = load_workbook(path)
    sheet = book["Team"]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "Duty shared by")
    sheet.delete_rows(row)
    book.save(path)
    assert read_service(path).duty == dataclasses.replace(
        service.duty, shared_by=DutyShare.WORKLOAD_PER_HEAD
    )
