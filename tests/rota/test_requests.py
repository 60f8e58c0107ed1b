"""Flexible-working requests and capacity: answers checked against plans made directly."""

import dataclasses
import datetime as dt

import click
import pytest
from click.testing import CliRunner

from rota.cli.requests import capacity as capacity_command
from rota.cli.requests import request as request_command
from rota.domain.capacity import capacity
from rota.domain.checks import check
from rota.domain.plan import Status
from rota.domain.problem import Leave, Pattern, StandingDay
from rota.domain.rules import owed_periods, why_unavailable
from rota.io.template import write_team_workbook
from rota.requests import (
    RequestAnswer,
    RequestError,
    answer_request,
    short_day,
    with_request,
)
from rota.solve.solver import SolveOptions, plan

FAST = SolveOptions(time_limit=10)
F9, W4, FT = Pattern.NINE_DAY_FORTNIGHT, Pattern.FOUR_DAY_WEEK, Pattern.FULL_TIME


def independent_verdict(problem, staff_id, pattern, slot) -> tuple[bool, list[dt.date]]:
    """Plan without and with the request straight from the solver and judge by the rule:
    the day kept, others' agreed days kept as before, no move for cover, no duty clash.
    Returns the verdict and the requester's dates of the standing day."""
    before = plan(problem, FAST)
    asked = with_request(problem, staff_id, pattern, slot)
    after = plan(asked, FAST)
    requester = asked.member(staff_id)
    ok = after.standing_days[staff_id] == slot
    dates = [d for w in owed_periods(asked, requester) if (d := w.day_of(slot, asked))]
    for day in dates:
        if why_unavailable(asked, requester, day) is None:
            ok &= after.status(staff_id, day) is Status.NON_WORKING_DAY
    ok &= 2 * sum(d in asked.duty_days for d in dates) <= len(dates)
    for person in problem.staff:
        if person.id != staff_id and person.agreed_day:
            if before.standing_days[person.id] == person.agreed_day:
                ok &= after.standing_days[person.id] == person.agreed_day
            ok &= _agreed_moves(asked, after, person) <= _agreed_moves(problem, before, person)
    return ok, dates


def _agreed_moves(problem, result, person) -> int:
    slot = person.agreed_day
    days = [d for w in owed_periods(problem, person) if (d := w.day_of(slot, problem))]
    return sum(
        why_unavailable(problem, person, d) is None
        and result.status(person.id, d) is not Status.NON_WORKING_DAY
        for d in days
    )


@pytest.mark.parametrize(
    "staff_id, pattern, weekday, week",
    [
        ("SW03", "9DF", "Fri", "A"),  # granted: room on Fridays of week A
        ("SP02", "4DW", "Fri", None),  # granted, but duty weeks and leave move it
        ("FS01", "9DF", "Tue", "B"),  # duty falls on 4 of its 6 dates
        ("SW02", "9DF", "Mon", "A"),  # the cover buddy Aisha holds Monday of week A
    ],
)
def test_answer_agrees_with_planning_the_team_with_the_request_added(
    fixture_team, staff_id, pattern, weekday, week
):
    answer = answer_request(fixture_team, staff_id, pattern, weekday, week, FAST, alternatives=0)
    slot = answer.standing_day
    granted, dates = independent_verdict(fixture_team, staff_id, Pattern(pattern), slot)
    assert answer.granted == granted
    assert list(answer.dates) == dates
    asked = with_request(fixture_team, staff_id, Pattern(pattern), slot)
    direct = plan(asked, FAST)
    requester = asked.member(staff_id)
    forced = [d for d in dates if why_unavailable(asked, requester, d)]
    assert [m.day for m in answer.moves] == forced
    for move in answer.moves:
        assert move.reason == why_unavailable(asked, requester, move.day)
        if move.moved_to:
            assert direct.status(staff_id, move.moved_to) is Status.NON_WORKING_DAY


def test_fixture_answers_are_the_expected_ones(fixture_team):
    # Priya Shah already holds Friday of week B, and every 4th week (a B week) is duty.
    granted = answer_request(fixture_team, "SW03", "9DF", "Fri", "A", FAST, alternatives=0)
    assert granted.granted and not granted.breaks and granted.moves == ()
    duty = answer_request(fixture_team, "FS01", "9DF", "Tue", "B", FAST, alternatives=0)
    assert not duty.granted
    assert any("Tue 13 Apr" in b and "team on duty" in b for b in duty.breaks)


def two_friday_people(make, **fields):
    """Three people, two needed: only one may be off on any day. Anne holds Friday A."""
    staff = [
        make.person("ANNE", F9, agreed_day=StandingDay(4, "A")),
        make.person("BEN", FT, preferred_days=(4, 0)),
        make.person("CAT", FT),
    ]
    return make.problem(staff, weeks=4, min_present=2, **fields)


def test_a_request_for_someone_elses_agreed_day_is_refused_with_the_date_named(make):
    problem = two_friday_people(make)
    answer = answer_request(problem, "BEN", "9DF", "Fri", "A", FAST)
    assert not answer.granted
    fridays_a = [make.monday + dt.timedelta(days=4), make.monday + dt.timedelta(days=18)]
    assert list(answer.dates) == fridays_a
    named = " ".join(answer.breaks)
    assert any(short_day(d) in named for d in fridays_a)
    assert "Person ANNE" in named  # whose agreed day or whose day off is in the way
    best = answer.alternatives[0]
    assert best.granted and best.standing_day != StandingDay(4, "A")
    # Friday of the other week is still Ben's first choice; then Monday, his second.
    assert [a.standing_day for a in answer.alternatives[:2]] == [
        StandingDay(4, "B"),
        StandingDay(0, "A"),
    ]
    assert [a.preference for a in answer.alternatives[:2]] == [0, 1]


def test_a_request_that_clashes_with_the_duty_pattern_is_refused(make):
    fridays = {make.monday + dt.timedelta(weeks=w, days=4) for w in range(4)}
    problem = two_friday_people(make, duty=fridays)
    answer = answer_request(problem, "BEN", "9DF", "Fri", "B", FAST)
    assert not answer.granted
    assert any("Fri 22 Jan" in b and "duty pattern" in b for b in answer.breaks)
    assert answer.alternatives and all(a.standing_day.weekday != 4 for a in answer.alternatives)


def test_cover_broken_by_leave_is_named_with_the_count(make):
    monday_a2 = make.monday + dt.timedelta(weeks=2)
    staff = [make.person("BEN", FT), make.person("CAT", FT), make.person("DAN", FT)]
    leave = [Leave("CAT", monday_a2, monday_a2)]
    problem = make.problem(staff, weeks=4, min_present=2, leave=leave)
    answer = answer_request(problem, "BEN", "9DF", "Mon", "A", FAST, alternatives=1)
    assert not answer.granted
    assert answer.breaks == ("Mon 25 Jan: cover would fall to 1 of 2 needed",)
    assert len(answer.alternatives) == 1 and answer.alternatives[0].granted


def test_a_forced_move_is_allowed_and_reported(make):
    monday_a2 = make.monday + dt.timedelta(weeks=2)
    staff = [make.person("BEN", FT), make.person("CAT", FT), make.person("DAN", FT)]
    problem = make.problem(
        staff, weeks=4, min_present=1, leave=[Leave("BEN", monday_a2, monday_a2)]
    )
    answer = answer_request(problem, "BEN", "9DF", "Mon", "A", FAST)
    assert answer.granted and answer.alternatives == ()
    (move,) = answer.moves
    assert move.day == monday_a2 and move.reason == "annual leave"
    assert move.moved_to is not None and move.moved_to != monday_a2


def test_no_week_given_picks_the_week_without_duty(make):
    b_weeks = {make.monday + dt.timedelta(weeks=w, days=d) for w in (1, 3) for d in range(5)}
    problem = two_friday_people(make, duty=b_weeks)
    answer = answer_request(problem, "BEN", "9DF", "Mon", None, FAST)
    assert answer.granted and answer.week_chosen
    assert answer.standing_day == StandingDay(0, "A") and answer.moves == ()


def test_cover_effect_is_the_fewest_present_per_weekday(make):
    problem = two_friday_people(make)
    answer = answer_request(problem, "BEN", "9DF", "Wed", "B", FAST)
    assert answer.granted
    wednesday = next(c for c in answer.cover if c.weekday == 2)
    assert (wednesday.fewest_before, wednesday.fewest_after) == (3, 2)
    assert (wednesday.spare_before, wednesday.spare_after) == (1, 0)


@pytest.mark.parametrize(
    "args, option",
    [
        (("NOBODY", "9DF", "Fri", "A"), "staff"),
        (("BEN", "FT", "Fri", "A"), "pattern"),
        (("BEN", "9DF", "Sat", "A"), "day"),
        (("BEN", "9DF", "Fri", "C"), "week"),
        (("BEN", "4DW", "Fri", "A"), "week"),
        (("BEN", "9DF", 7, "A"), "day"),
        (("CAT", "9DF", "Mon", "A"), "day"),  # Cat cannot take Mondays
    ],
)
def test_bad_requests_name_the_input_at_fault(make, args, option):
    problem = two_friday_people(make)
    problem.staff[2] = dataclasses.replace(problem.staff[2], cannot_take=(0,))
    with pytest.raises(RequestError) as error:
        answer_request(problem, *args, options=FAST)
    assert error.value.option == option
    assert "\n" not in str(error.value)


def test_day_names_and_case_are_forgiven(make):
    problem = two_friday_people(make)
    answer = answer_request(problem, "BEN", "9df", "wednesday", "b", FAST)
    assert answer.standing_day == StandingDay(2, "B")


def test_an_answer_checks_itself():
    with pytest.raises(ValueError, match="granted exactly when nothing breaks"):
        RequestAnswer("X", "X", F9, StandingDay(4, "A"), False, True, (), (), ("b",), (), 0, 0)


# Capacity.


def independent_capacity(problem, result):
    """Weekday and week -> fewest (present - needed) over its dates, 0 on duty days."""
    out = {}
    for day in problem.weekdays:
        if day in problem.bank_holidays:
            continue
        present = [
            p for p in problem.staff if result.statuses[p.id, day] in (Status.WORK, Status.DUTY)
        ]
        room = 0 if day in problem.duty_days else len(present) - problem.min_present_on(day)
        seniors = sum(p.senior for p in present) - problem.team.min_senior
        senior_room = 0 if day in problem.duty_days else min(room, seniors)
        key = (day.weekday(), "AB"[(day - problem.team.week_a_start).days // 7 % 2])
        old = out.get(key, (room, senior_room))
        out[key] = (min(old[0], room), min(old[1], senior_room))
    return out


def test_capacity_agrees_with_a_count_on_the_planned_rota(fixture_team):
    result = plan(fixture_team, FAST)
    table = capacity(fixture_team, result)
    expected = independent_capacity(fixture_team, result)
    for slot in table.slots:
        assert (slot.spare, slot.senior_spare) == expected[slot.weekday, slot.week]
    assert all(table[d, "B"].spare == 0 for d in range(5))  # every B weekday meets a duty week
    assert table[1, "B"].spare_off_duty > 0


def test_capacity_means_that_many_more_could_be_off(fixture_team):
    """Give ``spare`` more present people the tightest date off: every cover rule still
    holds; one more and the minimum present breaks."""
    result = plan(fixture_team, FAST)
    for slot in capacity(fixture_team, result).slots:
        if not slot.spare:
            continue
        day = slot.tightest
        present = [p.id for p in fixture_team.staff if result.status(p.id, day).present]
        for extra, holds in ((slot.spare, True), (slot.spare + 1, False)):
            statuses = dict(result.statuses)
            for staff_id in present[:extra]:
                statuses[staff_id, day] = Status.LEAVE
            cover = [
                r
                for r in check(fixture_team, statuses)
                if r.day == day and "minimum staff" in r.rule
            ]
            assert cover[0].holds is holds


def test_capacity_of_a_small_team_ignores_bank_holidays_and_zeroes_duty(make):
    good_friday = dt.date(2027, 3, 26)  # week A's Friday; Easter Monday is week B's Monday
    start = good_friday - dt.timedelta(days=4)
    staff = [make.person(f"P{i}", FT, senior=i < 2) for i in range(5)]
    duty = {start + dt.timedelta(days=8)}  # Tuesday of week B
    problem = make.problem(staff, weeks=2, min_present=2, min_senior=1, start=start, duty=duty)
    table = capacity(problem, plan(problem, FAST))
    assert table[4, "A"].spare is None and table[4, "A"].dates == 0
    assert table[0, "B"].spare is None
    assert (table[0, "A"].spare, table[0, "A"].senior_spare) == (3, 1)
    assert table[1, "B"].spare == 0 and table[1, "B"].duty_dates == 1
    assert table[1, "B"].spare_off_duty is None


# The commands, on a group of their own.


def cli(*args):
    group = click.Group("rota")
    group.add_command(request_command)
    group.add_command(capacity_command)
    return CliRunner().invoke(group, [str(a) for a in args])


@pytest.fixture
def small_workbook(make, tmp_path):
    return write_team_workbook(tmp_path / "team.xlsx", two_friday_people(make))


def test_cli_grants_with_exit_0(small_workbook):
    result = cli(
        "request",
        small_workbook,
        "--staff",
        "BEN",
        "--pattern",
        "9DF",
        "--day",
        "Mon",
        "--week",
        "A",
    )
    assert result.exit_code == 0, result.output
    assert (
        "CAN BE GRANTED" in result.output
        and "Falls on 2 dates: Mon 11 Jan, Mon 25 Jan" in result.output
    )


def test_cli_refuses_with_exit_4_and_alternatives(small_workbook):
    result = cli(
        "request",
        small_workbook,
        "--staff",
        "BEN",
        "--pattern",
        "9DF",
        "--day",
        "Fri",
        "--week",
        "A",
    )
    assert result.exit_code == 4
    assert "CANNOT BE GRANTED" in result.output
    assert "1. Fri (week B): can be granted" in result.output and "1st choice" in result.output
    assert "2. Mon (week A): can be granted" in result.output and "2nd choice" in result.output


@pytest.mark.parametrize(
    "change, words",
    [
        (("--staff", "ZED"), "--staff: no staff member with id 'ZED'"),
        (("--day", "Sunday"), "--day: day must be one of Mon, Tue, Wed, Thu, Fri"),
        (("--pattern", "5DW"), "--pattern: pattern must be 9DF or 4DW"),
        (("--week", "Z"), "--week: week must be A or B"),
    ],
)
def test_cli_bad_request_exits_2_with_one_line(small_workbook, change, words):
    options = {"--staff": "BEN", "--pattern": "9DF", "--day": "Fri", "--week": "A"}
    options[change[0]] = change[1]
    result = cli("request", small_workbook, *[x for pair in options.items() for x in pair])
    assert result.exit_code == 2
    assert words in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_cli_bad_workbook_exits_2(tmp_path):
    bad = tmp_path / "team.xlsx"
    bad.write_text("not a workbook")
    for args in (
        ("request", bad, "--staff", "A", "--pattern", "9DF", "--day", "Fri"),
        ("capacity", bad),
    ):
        result = cli(*args)
        assert result.exit_code == 2 and "team.xlsx" in result.output
        assert "Traceback" not in result.output


def test_cli_capacity_prints_the_table(small_workbook):
    result = cli("capacity", small_workbook)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.startswith("Day  Week  More could be off") for line in lines)
    friday = next(line for line in lines if line.startswith("Fri  A"))
    assert friday.split()[2] == "0"  # Anne holds Friday A; only one of three may be off


def test_capacity_on_a_split_duty_day_counts_those_off_duty(make):
    staff = [make.person(f"P{i}", FT) for i in range(5)]
    duty_day = make.monday
    problem = make.problem(staff, weeks=2, min_present=2, duty={duty_day})
    split = dataclasses.replace(problem, duty_pool={duty_day: frozenset({"P0", "P1", "P2", "P3"})})
    assert capacity(problem, plan(problem, FAST))[0, "A"].spare == 0
    assert capacity(split, plan(split, FAST))[0, "A"].spare == 1  # only P4 is off duty


def test_every_command_has_help_with_an_example():
    from rota.cli.ics import ics

    for command in (request_command, capacity_command, ics):
        result = CliRunner().invoke(command, ["--help"])
        lines = [line.strip() for line in result.output.splitlines()]
        assert any(line.startswith(f"Example: workwell rota {command.name} ") for line in lines)
