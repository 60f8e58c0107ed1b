"""Plan, gaps and re-plan agree: a rota that ``plan`` writes has no gaps under ``gaps`` with
the same rules, unless the plan itself reports the shortfall, and then both name the same
days; a re-plan changes nothing before its date and lists every change it makes.

Random small services (teams, duty by day and by week, generated or given, duty groups,
named duty workers, leave, part-timers, cover buddies), read back from the workbook written.
"""

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rota import gaps as g
from rota.duty import DutyError
from rota.excel import write_service_rota
from rota.plan import Status
from rota.problem import Leave, Pattern, Problem, StaffMember, Team
from rota.replan import Absence, replan
from rota.rotaread import read_rota
from rota.service import DutyRules, DutyUnit, Service
from rota.service_plan import plan_service
from rota.solver import InfeasibleError, SolveOptions

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
    return result, write_service_rota(folder / "rota.xlsx", result.teams, result.info)


@FAST
@given(services(), st.booleans())
def test_a_planned_rota_has_no_gaps_but_the_shortfalls_it_reports(service, allow_short):
    with tempfile.TemporaryDirectory() as folder:
        done = planned(service, Path(folder), allow_short)
        if done is None:
            return
        result, path = done
        assert gaps_of(service, path) == reported(result.teams)
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
        for (pid, day), status in grid.statuses.items():
            was, now = {status, after[pid, day]}, after[pid, day]
            sick = pid == absence.staff_id and first <= day <= last
            if status is now or day in team_moves or (sick and now is Status.LEAVE):
                if not (sick and status is Status.NON_WORKING_DAY):
                    continue
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
