"""The rota states the duty it was planned with (its On duty row), so a duty day on which
everyone of the duty group is away still counts as a duty day for ``gaps`` and ``replan``."""

import datetime as dt

import pytest
from openpyxl import load_workbook

from rota.domain.plan import Status
from rota.domain.problem import Pattern, Problem, StaffMember, Team
from rota.domain.service import DutyRules, DutyUnit, Service
from rota.gaps import find as g
from rota.io.cells import WorkbookError
from rota.io.excel import write_service_rota
from rota.io.planned_duty import ON_DUTY
from rota.io.rotaread import read_rota
from rota.replan import Absence, replan
from rota.solve.service_plan import plan_service
from rota.solve.solver import SolveOptions

START = dt.date(2027, 4, 26)
WEEK = [START + dt.timedelta(days=i) for i in range(5)]
OPTIONS = SolveOptions(time_limit=5)


def member(i: int, pattern=Pattern.FULL_TIME, fixed=()) -> StaffMember:
    return StaffMember(f"T0P{i}", f"Person 0.{i}", "Social worker", False, 37.0, pattern, fixed)


@pytest.fixture(scope="module")
def service() -> Service:
    """One team, on duty by the week, split into two duty groups; 2 needed on duty days, 1
    otherwise; T0P2 is off every Monday (the failing example the property test found)."""
    team = Team("Team 0", START, 1, START, min_present=1, min_senior=0, min_present_on_duty=2)
    staff = [member(0), member(1), member(2, Pattern.PART_TIME, (0,))]
    rules = DutyRules(generate=True, unit=DutyUnit.WEEK, most_in_a_row=1)
    problem = Problem(team, staff, frozenset(), [])
    return Service("Generated", [problem], frozenset({"Team 0"}), {"Team 0": 2}, rules)


@pytest.fixture(scope="module")
def planned(service, tmp_path_factory):
    result = plan_service(service, OPTIONS, processes=1)
    path = tmp_path_factory.mktemp("rota") / "rota.xlsx"
    write_service_rota(path, result.teams, result.info, None, result.uncovered_duty)
    return path


def on_duty(grid) -> set[str]:
    return {pid for (pid, day), s in grid.statuses.items() if s is Status.DUTY and day == START}


def sick_on_monday(service, planned, folder):
    grid = read_rota(planned)
    sick = Absence(sorted(on_duty(grid))[0], START, START)
    new = replan(service, grid, [sick], options=OPTIONS)
    return new, write_service_rota(folder / "replanned.xlsx", new.teams, changes=new.changes)


def test_the_rota_states_the_group_on_duty_each_day(planned):
    grid = read_rota(planned)
    group = on_duty(grid)
    assert group  # the team is on duty all week, one of its groups on D
    assert grid.planned_duty == {"Team 0": dict.fromkeys(WEEK, frozenset(group))}


def test_gaps_knows_the_team_was_on_duty_when_its_whole_group_is_off_sick(
    service, planned, tmp_path
):
    new, path = sick_on_monday(service, planned, tmp_path)
    grid = read_rota(path)
    assert not on_duty(grid)  # nobody can be marked D on the Monday
    found = g.find_gaps(grid, service.teams, duty_groups=service.duty_groups)
    monday = {(x.kind, x.shortfall) for x in found if x.date == START}
    present = sum(grid.statuses[p, START].present for p in ("T0P0", "T0P1", "T0P2"))
    assert (g.BELOW_MINIMUM, 2 - present) in monday  # the duty-day minimum, not the everyday
    assert (g.DUTY_UNCOVERED, 1) in monday
    reported = {(s.rule, s.day) for _, plan in new.teams for s in plan.shortfalls}
    assert ("staff present", START) in reported
    assert [x.team for x in found if x.kind == g.DUTY_UNCOVERED] == ["Team 0"]


def test_a_second_replan_keeps_the_duty_day_nobody_could_be_marked_on(service, planned, tmp_path):
    first, path = sick_on_monday(service, planned, tmp_path)
    again = replan(service, read_rota(path), [], options=OPTIONS)
    assert again.teams[0][0].duty_days == first.teams[0][0].duty_days == frozenset(WEEK)
    assert again.teams[0][0].duty_pool == first.teams[0][0].duty_pool


def test_an_on_duty_row_naming_someone_not_on_the_team_is_refused_located(planned, tmp_path):
    book = load_workbook(planned)
    sheet = book["Rota"]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 3).value == ON_DUTY)
    sheet.cell(row, 6).value = "T9P9"
    broken = tmp_path / "edited.xlsx"
    book.save(broken)
    with pytest.raises(WorkbookError) as error:
        read_rota(broken)
    assert f"edited.xlsx: Rota, row {row}, column F" in str(error.value)
    assert "T9P9" in str(error.value)


def test_a_rota_without_an_on_duty_row_reads_duty_from_its_d_codes(planned, tmp_path):
    book = load_workbook(planned)
    sheet = book["Rota"]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 3).value == ON_DUTY)
    sheet.delete_rows(row)
    hand_made = tmp_path / "hand-made.xlsx"
    book.save(hand_made)
    grid = read_rota(hand_made)
    assert grid.planned_duty is None
    assert grid.statuses == read_rota(planned).statuses
