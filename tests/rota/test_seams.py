"""Where plans meet: back-to-back plans read back from the workbooks they wrote, refused
previous rotas, moves shared, and sickness on a non-working day."""

import csv
import dataclasses
import datetime as dt
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from cli import main
from rota.domain.checks import check, failures
from rota.domain.plan import Status
from rota.domain.problem import (
    LastPart,
    Leave,
    Pattern,
    Problem,
    SickDay,
    StaffMember,
    StandingDay,
    Team,
)
from rota.domain.seams import service_end_words, took_day
from rota.domain.service import Service
from rota.io.excel import write_rota
from rota.io.planned_with import carried_rules
from rota.io.rotaread import read_rota
from rota.io.service_workbook import read_any
from rota.io.template import write_team_workbook
from rota.io.workbook import read_team
from rota.replan import Absence, replan
from rota.solve.solver import SolveOptions, plan

FIXTURES = Path(__file__).parents[2] / "fixtures" / "rota"
HANDMADE = FIXTURES / "handmade_rota.xlsx"
WEEK_A = dt.date(2027, 1, 11)  # no bank holidays for eight weeks from here
F9, W4, FT = Pattern.NINE_DAY_FORTNIGHT, Pattern.FOUR_DAY_WEEK, Pattern.FULL_TIME
FAST = ["--time-limit", "5"]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def member(staff_id, pattern, **fields) -> StaffMember:
    return StaffMember(
        staff_id, f"Person {staff_id}", "Social worker", False, 37.0, pattern, **fields
    )


def team_workbook(path, staff, start, weeks, min_present=0, leave=(), **fields) -> Path:
    team = Team("Seam team", start, weeks, WEEK_A, min_present, 0, **fields)
    write_team_workbook(path, Problem(team, list(staff), frozenset(), list(leave)))
    return path


def setting(path: Path, label: str, value: str) -> Path:
    """Give a Team-sheet setting its value (the template writes every label)."""
    book = load_workbook(path)
    sheet = book["Team"]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == label)
    sheet.cell(row, 2, value)
    book.save(path)
    return path


def off_days(rota, staff_id) -> list[dt.date]:
    return [d for d in rota.days if rota.statuses[staff_id, d] is Status.NON_WORKING_DAY]


def standing_column(path) -> dict[str, str]:
    return {p.id: p.standing for p in read_rota(path).staff}


# Two plans back to back give one day in every fortnight (9DF) and week (4DW) across the seam.


@st.composite
def seams(draw):
    patterns = draw(st.lists(st.sampled_from([F9, F9, W4, FT]), min_size=2, max_size=4))
    return {
        "staff": [member(f"S{i}", p) for i, p in enumerate(patterns)],
        "start": WEEK_A + dt.timedelta(weeks=draw(st.integers(0, 1))),
        "weeks": (draw(st.integers(1, 4)), draw(st.integers(1, 3))),
        "last_part": draw(st.sampled_from(["next plan", "this plan"])),
    }


@settings(max_examples=6, deadline=None)
@given(seams())
def test_back_to_back_plans_give_one_day_in_every_fortnight_and_week(seam):
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        first, second = seam["weeks"]
        then = seam["start"] + dt.timedelta(weeks=first)
        team_workbook(folder / "q1.xlsx", seam["staff"], seam["start"], first)
        setting(folder / "q1.xlsx", "Part fortnight at the end", seam["last_part"])
        team_workbook(folder / "q2.xlsx", seam["staff"], then, second)
        result = run("rota", "plan", folder / "q1.xlsx", "--out", folder / "r1.xlsx", *FAST)
        assert result.exit_code == 0, result.output
        result = run(
            "rota", "plan", folder / "q2.xlsx", "--previous", folder / "r1.xlsx",
            "--out", folder / "r2.xlsx", *FAST,
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        before, after = read_rota(folder / "r1.xlsx"), read_rota(folder / "r2.xlsx")
        standing_before = standing_column(folder / "r1.xlsx")
        standing_after = standing_column(folder / "r2.xlsx")
    days = before.days + after.days
    for person in seam["staff"]:
        taken = off_days(before, person.id) + off_days(after, person.id)
        span = {F9: 14, W4: 7}.get(person.pattern)
        if span is None:
            assert not taken
            continue
        assert standing_after[person.id] == standing_before[person.id]  # carried over
        periods: dict[int, list[dt.date]] = {}
        for day in days:
            periods.setdefault((day - WEEK_A).days // span, []).append(day)
        for period in periods.values():
            count = sum(d in taken for d in period)
            whole = len(period) == span * 5 // 7
            assert count == 1 if whole else count <= 1, (person.id, period[0], count)


# A plan that ends inside a fortnight says so, and leaves that fortnight's day alone.


def test_a_plan_ending_in_week_a_leaves_the_day_to_the_next_plan(tmp_path):
    staff = [member("S1", F9, agreed_day=StandingDay(4, "A")), member("S2", F9)]
    team_workbook(tmp_path / "team.xlsx", staff, WEEK_A, 3)
    result = run("rota", "plan", tmp_path / "team.xlsx", "--out", tmp_path / "rota.xlsx", *FAST)
    assert result.exit_code == 0, result.output
    assert "ends in week A (w/c Mon 25 Jan 2027), inside a fortnight" in result.output
    rota = read_rota(tmp_path / "rota.xlsx")
    last_week = [WEEK_A + dt.timedelta(weeks=2, days=i) for i in range(5)]
    assert all(d not in last_week for p in ("S1", "S2") for d in off_days(rota, p))
    summary = [
        str(c.value) for row in load_workbook(tmp_path / "rota.xlsx")["Summary"] for c in row
    ]
    assert any("inside a fortnight: its 9DF days are left to the next plan" in v for v in summary)
    assert any("Fortnight from Mon 25 Jan: runs past this plan" in v for v in summary)


def test_a_service_says_once_for_the_teams_that_end_alike():
    teams = read_any(FIXTURES / "service.xlsx").teams
    names = [p.team.name for p in teams]
    [line] = service_end_words(teams)
    assert line.startswith(", ".join(names) + " end in week A (w/c Mon 28 Jun 2027)")
    this_plan = dataclasses.replace(teams[0].team, last_part=LastPart.THIS_PLAN)
    teams = [dataclasses.replace(teams[0], team=this_plan), *teams[1:]]
    left, given = sorted(service_end_words(teams), key=lambda line: "given" in line)
    assert left.startswith(", ".join(names[1:]) + " end in week A") and "left to" in left
    assert given.startswith(f"{names[0]} ends in week A") and "given in this plan" in given


def test_this_plan_gives_the_last_part_fortnight_its_day(tmp_path):
    staff = [member("S1", F9, agreed_day=StandingDay(4, "A"))]
    team_workbook(tmp_path / "team.xlsx", staff, WEEK_A, 1)
    setting(tmp_path / "team.xlsx", "Part fortnight at the end", "this plan")
    result = run("rota", "plan", tmp_path / "team.xlsx", "--out", tmp_path / "rota.xlsx", *FAST)
    assert result.exit_code == 0, result.output
    assert "its 9DF days are given in this plan" in result.output
    assert off_days(read_rota(tmp_path / "rota.xlsx"), "S1") == [WEEK_A + dt.timedelta(days=4)]


# Without a previous rota, the Team sheet says who took the day the week before.


def test_team_sheet_names_who_took_the_day_before_a_week_b_start(tmp_path):
    staff = [member("S1", F9), member("S2", F9)]
    start = WEEK_A + dt.timedelta(weeks=1)  # week B
    team_workbook(tmp_path / "team.xlsx", staff, start, 2)
    result = run("rota", "plan", tmp_path / "team.xlsx", "--out", tmp_path / "unsaid.xlsx", *FAST)
    assert "starts in week B" in result.output and "nobody says who already took" in result.output
    checked = run("rota", "check", tmp_path / "team.xlsx")
    assert checked.exit_code == 0 and "nobody says who already took" in checked.output
    assert "can be planned, but read the 2 warnings above" in checked.output  # and cover 0
    setting(tmp_path / "team.xlsx", "9DF day already taken the week before", "S1")
    result = run("rota", "plan", tmp_path / "team.xlsx", "--out", tmp_path / "rota.xlsx", *FAST)
    assert result.exit_code == 0 and "starts in week B" not in result.output, result.output
    rota = read_rota(tmp_path / "rota.xlsx")
    first_week = rota.days[:5]
    assert not any(d in first_week for d in off_days(rota, "S1"))
    assert sum(d in first_week for d in off_days(rota, "S2")) == 1


def test_team_sheet_list_must_name_9df_workers_of_the_team(tmp_path):
    staff = [member("S1", F9), member("S2", W4)]
    team_workbook(tmp_path / "team.xlsx", staff, WEEK_A, 2)
    setting(tmp_path / "team.xlsx", "9DF day already taken the week before", "S2, NOBODY")
    result = run("rota", "plan", tmp_path / "team.xlsx", "--out", tmp_path / "rota.xlsx", *FAST)
    assert result.exit_code == 2
    assert "Team, row 11, column B (Value): 'NOBODY' is not on the Staff sheet" in result.output
    assert "S2 works 4DW, not 9DF" in result.output
    assert not (tmp_path / "rota.xlsx").exists()
    setting(tmp_path / "team.xlsx", "Sick on a non-working day", "sometimes")
    result = run("rota", "check", tmp_path / "team.xlsx")
    assert result.exit_code == 2
    assert (
        "Team, row 13, column B (Value): found 'sometimes'; expected one of lost" in result.output
    )


# A previous rota that cannot be carried on from is refused, located, and nothing written.


@pytest.fixture
def last_quarter(tmp_path):
    """The team, and its three-week rota from week A (ending in week A)."""
    staff = [member("S1", F9), member("S2", F9), member("S3", W4)]
    team_workbook(tmp_path / "q1.xlsx", staff, WEEK_A, 3)
    result = run("rota", "plan", tmp_path / "q1.xlsx", "--out", tmp_path / "r1.xlsx", *FAST)
    assert result.exit_code == 0, result.output
    return staff, tmp_path / "r1.xlsx"


def refused(tmp_path, team: Path, previous: Path) -> str:
    out = tmp_path / "r2.xlsx"
    result = run("rota", "plan", team, "--previous", previous, "--out", out, *FAST)
    assert result.exit_code == 2, result.output
    assert f"{previous.name} cannot be used as the previous rota:" in result.output
    assert not out.exists()
    return result.output


def test_previous_rota_overlapping_the_period_is_refused(tmp_path, last_quarter):
    staff, previous = last_quarter
    team = team_workbook(tmp_path / "q2.xlsx", staff, WEEK_A + dt.timedelta(weeks=2), 2)
    output = refused(tmp_path, team, previous)
    assert (
        "r1.xlsx: Rota, column P (2027-01-25): the previous rota (2027-01-11 to 2027-01-29) "
        "overlaps this plan's period" in output
    )


def test_a_team_workbook_given_as_the_previous_rota_is_named_as_one(tmp_path):
    team = FIXTURES / "team.xlsx"
    output = refused(tmp_path, team, team)
    assert "team.xlsx: a team or service workbook (it has the Team and Staff sheets), " in output
    gaps = run("rota", "gaps", FIXTURES / "service.xlsx", "--out", tmp_path / "gaps")
    assert gaps.exit_code == 2 and "service.xlsx: a team or service workbook" in gaps.output


def test_previous_rota_leaving_unplanned_weeks_is_refused(tmp_path, last_quarter):
    staff, previous = last_quarter
    team = team_workbook(tmp_path / "q2.xlsx", staff, WEEK_A + dt.timedelta(weeks=5), 2)
    output = refused(tmp_path, team, previous)
    assert "column T (2027-01-29): the previous rota ends Fri 29 Jan 2027, so the weeks" in output
    assert "start this plan on 2027-02-01" in output


def test_previous_rota_whose_ids_name_other_people_is_refused(tmp_path, last_quarter):
    staff, previous = last_quarter
    renamed = [dataclasses.replace(staff[0], name="Someone Else"), *staff[1:]]
    team = team_workbook(tmp_path / "q2.xlsx", renamed, WEEK_A + dt.timedelta(weeks=3), 2)
    output = refused(tmp_path, team, previous)
    assert "Rota, row 6: S1 is 'Person S1' in the previous rota but 'Someone Else'" in output
    strangers = [member(f"X{i}", F9) for i in range(2)]
    team = team_workbook(tmp_path / "q3.xlsx", strangers, WEEK_A + dt.timedelta(weeks=3), 2)
    assert "nobody in the previous rota is on the Staff sheet" in refused(tmp_path, team, previous)


def test_previous_rota_contradicting_week_a_is_refused(tmp_path, last_quarter):
    staff, previous = last_quarter
    start = WEEK_A + dt.timedelta(weeks=3)
    path = tmp_path / "q2.xlsx"
    team = Team("Seam team", start, 2, start, 0, 0)  # the cycle says the 3rd week on is B
    write_team_workbook(path, Problem(team, staff, frozenset(), []))
    output = refused(tmp_path, path, previous)
    assert "Rota, column F (2027-01-11): the previous rota heads the week of Mon 11 Jan 2027 " in (
        output
    )
    assert "set 'Week A starts' to 2027-02-08" in output


def test_leavers_and_joiners_are_warned_of(tmp_path, last_quarter):
    staff, previous = last_quarter
    team = team_workbook(
        tmp_path / "q2.xlsx", [*staff[1:], member("S9", F9)], WEEK_A + dt.timedelta(weeks=3), 2
    )
    out = tmp_path / "r2.xlsx"
    result = run("rota", "plan", team, "--previous", previous, "--out", out, *FAST)
    assert result.exit_code == 0, result.output
    assert "S1 (Person S1) is in the previous rota but not on the Staff sheet" in result.output
    assert "S9 (Person S9) is on the Staff sheet but not in the previous rota" in result.output
    assert "--out" in run("rota", "plan", team, "--previous", out, "--out", out).output


def test_a_hand_made_previous_rota_carries_on_with_warnings(tmp_path):
    shipped = read_team(HANDMADE.parent / "team.xlsx")  # the hand-made rota's team
    start = dt.date(2027, 7, 5)  # week B, after the hand-made rota's last week A
    team = dataclasses.replace(shipped.team, start=start, weeks=2)
    path = tmp_path / "team.xlsx"
    write_team_workbook(
        path, dataclasses.replace(shipped, team=team, leave=[], duty_days=frozenset())
    )
    out = tmp_path / "rota.xlsx"
    result = run("rota", "plan", path, "--previous", HANDMADE, "--out", out, *FAST)
    assert result.exit_code == 0, result.output
    assert "no week letters (A/B) above the dates" in result.output
    assert "no 'Standing day' column" in result.output
    before, after = read_rota(HANDMADE), read_rota(out)
    last_week = [start - dt.timedelta(days=7 - i) for i in range(5)]
    for person in shipped.staff:
        if person.pattern is F9:  # one day across the fortnight that straddles the two
            took = any(d in last_week for d in off_days(before, person.id))
            first = [d for d in off_days(after, person.id) if d < start + dt.timedelta(days=7)]
            assert len(first) == (0 if took else 1), person.id


# Moves shared: the most moves for one person first, then the total.


def test_moves_to_keep_cover_are_shared_before_the_total(tmp_path):
    # Three 4DW workers agreed on Fridays, one full-timer, three in every day: each week
    # only one keeps Friday, so 6 moves in 3 weeks. Minimising the total alone leaves who
    # moves open (the previous goals gave 3, 2 and 1); shared, each moves twice.
    staff = [member(f"S{i}", W4, agreed_day=StandingDay(4)) for i in range(3)]
    staff.append(member("F1", FT))
    team = Team("Seam team", WEEK_A, 3, WEEK_A, 3, 0)
    path = write_rota(tmp_path / "rota.xlsx", *_planned(Problem(team, staff)))
    sheet = load_workbook(path)["Summary"]
    headers = [c.value for c in sheet[1]]
    column = headers.index("Moved to keep cover")
    moves = {row[1]: row[column] for row in sheet.iter_rows(min_row=2, max_row=4, values_only=True)}
    assert moves == {"S0": 2, "S1": 2, "S2": 2}
    goals = [c.value for c in sheet["A"] if isinstance(c.value, str)]
    assert any("moves shared" in g and g.endswith(": 2") for g in goals)


def _planned(problem):
    return problem, plan(problem, SolveOptions(time_limit=10))


# Sickness on a non-working day: lost (the default), or given back within the period.


@pytest.mark.parametrize("policy", [SickDay.LOST, SickDay.GIVEN_BACK])
def test_sickness_on_a_non_working_day_follows_the_team_policy(tmp_path, policy):
    staff = [member("S1", F9, agreed_day=StandingDay(4, "A")), member("S2", FT)]
    team = Team("Seam team", WEEK_A, 2, WEEK_A, 0, 0, sick_on_non_working_day=policy)
    problem = Problem(team, staff)
    path = write_rota(tmp_path / "rota.xlsx", *_planned(problem))
    friday = WEEK_A + dt.timedelta(days=4)
    assert off_days(read_rota(path), "S1") == [friday]
    service = Service(team.name, [problem])
    sick = Absence("S1", friday - dt.timedelta(days=1), friday)
    result = replan(service, read_rota(path), [sick], options=SolveOptions(time_limit=10))
    new = result.teams[0][1]
    if policy is SickDay.LOST:
        assert new.non_working_days("S1") == [friday] and result.lost == [("S1", friday)]
        assert not result.changes
    else:
        assert new.status("S1", friday) is Status.LEAVE and not result.lost
        assert len(new.non_working_days("S1")) == 1 and new.non_working_days("S1")[0] > friday


# NT, a day that could not be given, is the same code in the CSV as on the Rota sheet.


def test_not_taken_is_nt_in_the_csv_and_on_the_sheet(tmp_path):
    monday = WEEK_A
    leave = [Leave("S1", monday, monday + dt.timedelta(days=2))]
    staff = [member("S1", W4, cannot_take=(3, 4))]
    team_workbook(tmp_path / "team.xlsx", staff, monday, 1, leave=leave)
    result = run(
        "rota", "plan", tmp_path / "team.xlsx", "--out", tmp_path / "rota.xlsx",
        "--csv", tmp_path / "rota.csv", *FAST,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader((tmp_path / "rota.csv").read_text("utf-8-sig").splitlines()))
    coded = {(r["date"], r["status"]) for r in rows if r["status"] == "NT"}
    sheet = load_workbook(tmp_path / "rota.xlsx")["Rota"]
    shown = {
        (sheet.cell(5, c).value.date().isoformat(), sheet.cell(6, c).value)
        for c in range(6, 11)
        if sheet.cell(6, c).value == "NT"
    }
    assert coded == shown and len(coded) == 1


def test_the_checker_breaks_a_day_in_a_fortnight_left_to_the_next_plan():
    staff = [member("S1", F9)]
    problem = Problem(Team("Seam team", WEEK_A, 3, WEEK_A, 0, 0), staff)
    result = plan(problem, SolveOptions(time_limit=5))
    last_friday = WEEK_A + dt.timedelta(weeks=2, days=4)
    assert result.status("S1", last_friday) is Status.WORK
    assert not failures(check(problem, result.statuses))
    statuses = {**result.statuses, ("S1", last_friday): Status.NON_WORKING_DAY}
    broken = failures(check(problem, statuses))
    assert [(r.day, r.rule) for r in broken] == [
        (last_friday, "at most one flexi day per week (4DW) or fortnight (9DF)")
    ]


def test_what_was_carried_on_travels_with_the_rota_for_replan(tmp_path, last_quarter):
    staff, previous = last_quarter
    start = WEEK_A + dt.timedelta(weeks=3)  # week B
    team = team_workbook(tmp_path / "q2.xlsx", staff, start, 2)
    setting(team, "Sick on a non-working day", "given back")
    out = tmp_path / "r2.xlsx"
    assert run("rota", "plan", team, "--previous", previous, "--out", out, *FAST).exit_code == 0
    carried = carried_rules(out).teams[0]
    before = read_rota(previous)
    week_a = [start - dt.timedelta(days=7 - i) for i in range(5)]
    took = {p.id for p in staff if p.pattern is F9 and set(off_days(before, p.id)) & set(week_a)}
    assert carried.team.taken_before_start == took
    assert carried.team.sick_on_non_working_day is SickDay.GIVEN_BACK
    shown = standing_column(previous)
    assert all(str(p.agreed_day) == shown[p.id] for p in carried.staff)


def test_a_bank_holiday_on_the_standing_day_is_the_day_taken_under_absorb():
    monday = dt.date(2027, 5, 24)  # Friday 28 May 2027 is no holiday; Monday 31 May is
    week = [monday + dt.timedelta(days=i) for i in range(5)]
    statuses = {("S1", d): Status.WORK for d in week} | {("S1", week[0]): Status.BANK_HOLIDAY}
    assert took_day(statuses, "S1", week, StandingDay(0, "A"), absorbed=True)
    assert not took_day(statuses, "S1", week, StandingDay(0, "A"), absorbed=False)
    assert not took_day(statuses, "S1", week, StandingDay(4, "A"), absorbed=True)
