"""Plan, gaps and re-plan agree: a rota that ``plan`` writes has no gaps under ``gaps`` with
the same rules, unless the plan itself reports the shortfall, and then both name the same
days; a re-plan changes nothing before its date and lists every change it makes.

Random small services (teams, duty by day and by week, generated or given, duty groups,
named duty workers, leave, part-timers, cover buddies), read back from the workbook written.
"""

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rota.domain.plan import Status
from rota.domain.problem import Leave, Pattern, Problem, SickDay, StaffMember, Team
from rota.domain.service import DutyRules, DutyUnit, Service
from rota.gaps import find as g
from rota.io.excel import write_service_rota
from rota.io.rotaread import read_rota
from rota.replan import Absence, replan
from rota.solve.duty import DutyError
from rota.solve.service_plan import plan_service
from rota.solve.solver import InfeasibleError, SolveOptions

START = dt.date(2027, 4, 26)  # the May Day bank holiday (3 May) falls in the second week
PATTERNS = list(Pattern)
OPTIONS = SolveOptions(time_limit=5)
KIND_OF_RULE = {
    "staff present": g.BELOW_MINIMUM,
    "senior staff present": g.BELOW_SENIOR,
    "duty": g.DUTY_UNCOVERED,
    "cover buddy": g.BUDDY_ABSENT,
}
FAST = settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))


@st.composite
def member(draw, t: int, i: int, size: int) -> StaffMember:
    pattern = draw(st.sampled_from(PATTERNS))
    fixed = ()
    if pattern is Pattern.PART_TIME:
        fixed = tuple(draw(st.lists(st.integers(0, 4), unique=True, min_size=1, max_size=2)))
    others = [f"T{t}P{j}" for j in range(size) if j != i]
    return StaffMember(
        f"T{t}P{i}",
        f"Person {t}.{i}",
        "Social worker",
        draw(st.booleans()),
        37.0,
        pattern,
        fixed_days_off=fixed,
        cover_buddy=draw(st.sampled_from([None, None, *others])),
    )


@st.composite
def team(draw, t: int, weeks: int, given_duty: bool) -> Problem:
    size = draw(st.integers(3, 5))
    staff = [draw(member(t, i, size)) for i in range(size)]
    weekdays = [START + dt.timedelta(weeks=w, days=d) for w in range(weeks) for d in range(5)]
    leave = [
        Leave(f"T{t}P{draw(st.integers(0, size - 1))}", day, day + dt.timedelta(days=length))
        for day, length in draw(
            st.lists(st.tuples(st.sampled_from(weekdays), st.integers(0, 3)), max_size=2)
        )
    ]
    minimum = draw(st.integers(0, size - 1))
    rules = Team(
        f"Team {t}",
        START,
        weeks,
        START,
        min_present=minimum,
        min_senior=draw(st.integers(0, 1)),
        min_present_on_duty=draw(st.sampled_from([None, minimum + 1])),
        duty_workers=draw(st.integers(0, 2)),
    )
    duty = draw(st.sets(st.sampled_from(weekdays), max_size=3)) if given_duty else set()
    return Problem(rules, staff, frozenset(duty), leave)


@st.composite
def services(draw) -> Service:
    generate = draw(st.booleans())
    weeks = draw(st.integers(1, 2))
    count = draw(st.integers(1, 3))
    problems = [draw(team(t, weeks, not generate)) for t in range(count)]
    names = [p.team.name for p in problems]
    sharing = frozenset(draw(st.lists(st.sampled_from(names), min_size=1, unique=True)))
    groups = {name: draw(st.integers(1, 2)) for name in names}
    rules = DutyRules(
        generate=generate,
        unit=draw(st.sampled_from(list(DutyUnit))),
        most_in_a_row=draw(st.integers(1, 2)),
    )
    return Service("Generated", problems, sharing, groups, rules)


def gaps_of(service: Service, path: Path) -> set:
    """The gaps ``gaps`` finds in the written rota, as (team, day, kind); a duty day nobody
    covers is named by day alone (the rules of a generated rota do not say whose it was)."""
    slots = frozenset(service.teams[0].working_days) if service.duty.generate else None
    found = g.find_gaps(
        read_rota(path),
        service.teams,
        duty_slots=slots,
        threshold=float("inf"),  # displaced workload is monitored, not a rule the plan keeps
        duty_groups=service.duty_groups,
    )
    return {_key(x.team, x.date, x.kind) for x in found}


def reported(teams) -> set:
    return {
        _key(p.team.name, s.day, KIND_OF_RULE[s.rule]) for p, plan in teams for s in plan.shortfalls
    }


def _key(team: str, day: dt.date, kind: str) -> tuple:
    return ("", day, kind) if kind == g.DUTY_UNCOVERED else (team, day, kind)


def planned(service: Service, folder: Path, allow_short: bool):
    try:
        result = plan_service(service, OPTIONS, processes=1, allow_short=allow_short)
    except (InfeasibleError, DutyError) as error:
        assert str(error)  # refused, and said why: never a silent wrong answer
        return None
    path = folder / "rota.xlsx"
    return result, write_service_rota(path, result.teams, result.info, None, result.uncovered_duty)


@FAST
@given(services(), st.booleans())
def test_a_planned_rota_has_no_gaps_but_the_shortfalls_it_reports(service, allow_short):
    with tempfile.TemporaryDirectory() as folder:
        done = planned(service, Path(folder), allow_short)
        if done is None:
            return
        result, path = done
        uncovered = {_key("", s.day, g.DUTY_UNCOVERED) for s in result.uncovered_duty}
        assert gaps_of(service, path) == reported(result.teams) | uncovered
        for _, plan in result.teams:  # the solver's count, recomputed in plain Python
            short = sum(s.short for s in plan.shortfalls if s.rule != "cover buddy")
            assert plan.info.objectives.get("staff-days short of cover", 0) == short
        if not allow_short:  # hard cover: only leave alone can leave buddies both away
            assert {k[2] for k in reported(result.teams)} <= {g.BUDDY_ABSENT}


@FAST
@given(services(), st.data())
def test_a_replan_changes_nothing_before_its_date_and_lists_every_change(service, data):
    with tempfile.TemporaryDirectory() as folder:
        done = planned(service, Path(folder), allow_short=False)
        if done is None:
            return
        result, path = done
        grid = read_rota(path)
        people = [p.id for p in grid.staff]
        workdays = service.teams[0].weekdays
        first = data.draw(st.sampled_from(workdays))
        last = data.draw(st.sampled_from([d for d in workdays if d >= first]))
        absence = Absence(data.draw(st.sampled_from(people)), first, last)
        new = replan(service, grid, [absence], options=OPTIONS)
        again = write_service_rota(Path(folder) / "new.xlsx", new.teams, changes=new.changes)
        after = read_rota(again).statuses
        assert {k: s for k, s in after.items() if k[1] < first} == {
            k: s for k, s in grid.statuses.items() if k[1] < first
        }
        assert gaps_of(service_with_sickness(service, absence), again) == reported(new.teams)
        listed = {(c.staff_id, d) for c in new.changes for d in (c.before, c.after) if d}
        team_moves = {d for c in new.changes if not c.staff_id for d in (c.before, c.after)}
        given_back = service.teams[0].team.sick_on_non_working_day is SickDay.GIVEN_BACK
        for (pid, day), status in grid.statuses.items():
            was, now = {status, after[pid, day]}, after[pid, day]
            sick = pid == absence.staff_id and first <= day <= last
            if status is now or day in team_moves or (sick and now is Status.LEAVE):
                if not (sick and status is Status.NON_WORKING_DAY and given_back):
                    continue  # under 'lost' a sick non-working day stays, unlisted
            if was & {Status.NON_WORKING_DAY, Status.DUTY}:
                assert (pid, day) in listed, (pid, day, status, now)


def service_with_sickness(service: Service, absence: Absence) -> Service:
    """The rules as the re-plan used them: the absence is leave (sickness) now."""
    from dataclasses import replace

    spell = Leave(absence.staff_id, absence.first_day, absence.last_day, "sickness")
    teams = [
        replace(p, leave=[*p.leave, spell]) if any(s.id == absence.staff_id for s in p.staff) else p
        for p in service.teams
    ]
    return replace(service, teams=teams)


# Each disagreement the issue found, on a team small enough to see --------------------------


def one_team_in_two_groups(leave=(), fixed_tuesday=False) -> Service:
    """Four full-timers (P1 part-time off Tuesdays if asked) split into duty groups {P0, P2}
    and {P1, P3}; the team takes daily duty, as many days in a row as it likes."""
    monday = dt.date(2027, 1, 11)
    staff = [
        StaffMember(
            f"P{i}",
            f"Person {i}",
            "Social worker",
            False,
            37.0,
            Pattern.PART_TIME if fixed_tuesday and i == 0 else Pattern.FULL_TIME,
            fixed_days_off=(1,) if fixed_tuesday and i == 0 else (),
        )
        for i in range(4)
    ]
    problem = Problem(
        Team("Solo", monday, 1, monday, min_present=0, min_senior=0), staff, leave=list(leave)
    )
    return Service(
        "Solo", [problem], frozenset({"Solo"}), {"Solo": 2}, DutyRules(True, DutyUnit.DAY, 5)
    )


def test_duty_never_falls_to_a_group_that_is_all_away(tmp_path):
    tuesday = dt.date(2027, 1, 12)
    service = one_team_in_two_groups([Leave("P2", tuesday, tuesday)], fixed_tuesday=True)
    result = plan_service(service, OPTIONS, processes=1)
    path = write_service_rota(tmp_path / "rota.xlsx", result.teams, result.info)
    statuses = read_rota(path).statuses
    assert {p for p in ("P0", "P1", "P2", "P3") if statuses[p, tuesday] is Status.DUTY} == {
        "P1",
        "P3",
    }
    assert gaps_of(service, path) == set() == reported(result.teams)


def test_duty_generation_counts_who_can_be_a_named_duty_worker():
    wednesday = dt.date(2027, 1, 13)
    service = one_team_in_two_groups([Leave("P1", wednesday, wednesday)])
    only = service.teams[0]
    named = Service(
        "Solo",
        [Problem(replace_team(only.team, duty_workers=4), only.staff, leave=only.leave)],
        service.shares_duty,
        {},
        service.duty,
    )
    # Three of the four are in on Wednesday, and four duty workers are named: no duty rota.
    with pytest.raises(DutyError) as error:
        plan_service(named, OPTIONS, processes=1)
    assert "Solo: on Wed 13 Jan 2027 3 of the team in, 4 needed on duty" in str(error.value)
    assert "Person 1 (annual leave)" in str(error.value)


def replace_team(team: Team, **changes) -> Team:
    from dataclasses import replace

    return replace(team, **changes)


def test_gaps_knows_the_duty_group_so_the_other_group_may_take_flexi_days(make):
    staff = [make.person(i, Pattern.FOUR_DAY_WEEK) for i in ("A", "B", "C", "D")]
    problem = make.problem(staff, weeks=1)
    # Groups {A, C} and {B, D}: on Monday A and C are on duty, B and D on flexi days; every
    # one who is in is on duty, so only the groups tell gaps who was not.
    rows = ["D", "NWD", "D", "NWD"]
    grid = grid_of(problem, {"A": rows[0], "B": rows[1], "C": rows[2], "D": rows[3]})
    assert [x.kind for x in g.find_gaps(grid, [problem])] == [g.FLEXI_ON_DUTY]
    assert g.find_gaps(grid, [problem], duty_groups={problem.team.name: 2}) == []


def test_gaps_on_a_duty_day_whose_group_is_all_away_blames_the_duty_not_the_others(make):
    staff = [make.person(i, Pattern.FOUR_DAY_WEEK) for i in ("A", "B", "C", "D")]
    problem = make.problem(staff, weeks=1, duty=[make.monday])
    grid = grid_of(problem, {"A": "L", "B": "NWD", "C": "L", "D": "W"})
    found = g.find_gaps(grid, [problem], duty_groups={problem.team.name: 2})
    assert [(x.kind, x.date) for x in found] == [(g.DUTY_UNCOVERED, make.monday)]


def grid_of(problem: Problem, monday_codes: dict[str, str]):
    from openpyxl.utils import get_column_letter

    from rota.domain.rota import Rota, RotaPerson

    people = [
        RotaPerson(problem.team.name, p.id, p.name, "", i + 2) for i, p in enumerate(problem.staff)
    ]
    codes = {"D": Status.DUTY, "NWD": Status.NON_WORKING_DAY, "W": Status.WORK, "L": Status.LEAVE}
    statuses = {
        (p.id, day): codes[monday_codes[p.id]]
        if day == problem.team.start and p.id in monday_codes
        else Status.WORK
        for p in problem.staff
        for day in problem.weekdays
    }
    columns = {day: get_column_letter(3 + i) for i, day in enumerate(problem.weekdays)}
    return Rota("rota.xlsx", "", people, problem.weekdays, statuses, columns)


def test_one_cover_buddy_rule_for_planner_checker_and_gaps(make):
    from rota.domain.checks import check, failures
    from rota.solve.solver import plan

    tuesday = make.monday + dt.timedelta(days=1)
    covered = make.person("Q", Pattern.FULL_TIME, cover_buddy="P")  # P holds Q's cases
    flexi = make.person("P", Pattern.FOUR_DAY_WEEK, preferred_days=(1,))
    problem = make.problem([flexi, covered], weeks=1, leave=[Leave("Q", tuesday, tuesday)])
    planned = plan(problem, OPTIONS)
    assert planned.status("P", tuesday) is Status.WORK  # not the Tuesday P prefers
    assert "cover buddy Person Q away" in planned.owed_to("P")[0].reason
    broken = {
        k: Status.WORK if s is Status.NON_WORKING_DAY else s for k, s in planned.statuses.items()
    }
    broken["P", tuesday] = Status.NON_WORKING_DAY  # what the planner would not do
    assert [r.detail for r in failures(check(problem, broken))] == [
        "Person Q and cover buddy Person P both away"
    ]
    grid = grid_of(problem, {})
    grid.statuses.update(broken)
    [gap] = g.find_gaps(grid, [problem])
    assert (gap.date, gap.kind, gap.people) == (tuesday, g.BUDDY_ABSENT, ("Person Q", "Person P"))
