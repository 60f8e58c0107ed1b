"""Hours as councils count them: each person's balance recomputed from the written rota
workbook (read back with openpyxl) and compared with its Summary, under each bank holiday
rule; half days checked per half on the workbook; bad hours refused at their cell."""

import datetime as dt
import re
from fractions import Fraction

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from cli import main
from rota.domain.checks import check, failures
from rota.domain.halfdays import HalfDay, HalfDayError, parse_half_day
from rota.domain.plan import Status
from rota.domain.problem import (
    BankHolidayRule,
    FieldError,
    Leave,
    Pattern,
    Problem,
    StandingDay,
    Team,
)
from rota.io.csvout import write_csv
from rota.io.excel import write_rota
from rota.io.rotaread import read_rota
from rota.io.template import write_team_workbook
from rota.solve.result import statuses_for
from rota.solve.solver import SolveOptions, plan

from .conftest import person

EASTER = dt.date(2027, 3, 22)  # week A; Good Friday 26 Mar and Easter Monday 29 Mar (week B)
FAST = SolveOptions(time_limit=20)  # an upper bound: each solves in about a second
MON, FRI = 0, 4
# The test's own figures, worked out by hand: each person's working day in hours.
DAY = {
    "N9": Fraction(74, 9),  # 9DF: 74 h over 9 days
    "F4": Fraction(37, 4),  # 4DW: 37 h over 4 days
    "PT": Fraction(222, 30),  # 22.2 h over 3 days
    "HD": Fraction(37) / Fraction(9, 2),  # full time less every Friday afternoon
    "FT": Fraction(37, 5),
    "L9": Fraction(74, 9),
}
WEEKLY = {pid: Fraction(37) for pid in DAY} | {"PT": Fraction(222, 10)}
PT_OFF = {3, 4}  # the part-timer's Thursday and Friday


def hours_team(rule: BankHolidayRule) -> Problem:
    staff = [
        person("N9", Pattern.NINE_DAY_FORTNIGHT, agreed_day=StandingDay(MON, "B")),
        person("F4", Pattern.FOUR_DAY_WEEK, agreed_day=StandingDay(FRI)),
        person("PT", Pattern.PART_TIME, hours=22.2, fixed_days_off=tuple(PT_OFF)),
        person("HD", Pattern.FULL_TIME, half_day=HalfDay(FRI, "PM")),
        person("FT", Pattern.FULL_TIME),
        person("L9", Pattern.NINE_DAY_FORTNIGHT),
    ]
    leave = [
        Leave("FT", dt.date(2027, 4, 5), dt.date(2027, 4, 6)),
        Leave("L9", dt.date(2027, 4, 7), dt.date(2027, 4, 9)),
        Leave("HD", dt.date(2027, 4, 9), dt.date(2027, 4, 9)),  # a half day's Friday
    ]
    team = Team("Hours", EASTER, 4, EASTER, 3, 0, bank_holiday_rule=rule)
    return Problem(team, staff, leave=leave)


def read_rota_sheet(path) -> tuple[list[dt.date], dict[str, dict[dt.date, str]], dict]:
    """Dates, each person's code per date, and each person's standing day, as written."""
    sheet = load_workbook(path)["Rota"]
    header = next(r for r in range(1, 20) if sheet.cell(r, 2).value == "ID")
    days = [c.value.date() for c in sheet[header][5:] if c.value is not None]
    codes, standing = {}, {}
    for row in range(header + 1, sheet.max_row + 1):
        staff_id = sheet.cell(row, 2).value
        if not staff_id:
            break
        codes[staff_id] = {d: sheet.cell(row, 6 + i).value for i, d in enumerate(days)}
        standing[staff_id] = sheet.cell(row, 5).value or ""
    return days, codes, standing


def read_hours_table(path) -> dict[str, list[str]]:
    sheet = load_workbook(path)["Summary"]
    title = next(
        r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "Hours over the period"
    )
    lines = {}
    for row in range(title + 3, sheet.max_row + 1):
        if not sheet.cell(row, 2).value:
            break
        lines[sheet.cell(row, 2).value] = [sheet.cell(row, c).value for c in range(4, 11)]
    return lines


def week_letter(day: dt.date) -> str:
    return "AB"[((day - EASTER).days // 7) % 2]


def on_standing_day(standing: str, day: dt.date) -> bool:
    """The rota's 'Mon (week B)' or 'every Fri' names ``day``."""
    named = f"{day:%a}"
    return named in standing and ("week" not in standing or f"week {week_letter(day)}" in standing)


def recompute(pid: str, codes: dict, standing: str, rule: BankHolidayRule):
    """(contracted, worked, leave, bank holidays, credit or debt) from the rota's codes."""
    full = DAY[pid]
    worked = leave = bank = credit = Fraction(0)
    for day, code in codes.items():
        half_day = pid == "HD" and day.weekday() == FRI
        mine = full / 2 if half_day else full
        if code in ("W", "D", "NT"):
            assert not half_day, f"{pid} {day}: a half day shown as {code}"
            worked += full
        elif code in ("AM", "PM", "D-AM", "D-PM"):
            assert half_day and code.endswith("PM")
            worked += full / 2
        elif code == "L":
            leave += mine
        elif code == "BH":
            if pid == "PT":
                bank += 0 if day.weekday() in PT_OFF else full
            elif (
                pid in ("N9", "F4", "L9")
                and rule.bank_holiday_is_the_day
                and on_standing_day(standing, day)
            ):
                credit += full if rule is BankHolidayRule.CREDIT else 0
            else:
                bank += mine
                if half_day and rule is not BankHolidayRule.ABSORB:
                    credit += full / 2
        else:
            assert code in ("NWD", "PT"), code
    if pid == "PT":
        credit = 2 * WEEKLY[pid] / 5 - bank  # two bank holidays, pro rata
    return WEEKLY[pid] * 4, worked, leave, bank, credit


def clock(hours: Fraction) -> str:
    minutes = round(hours * 60)
    whole, rest = divmod(abs(minutes), 60)
    words = f"{whole} h" + (f" {rest} min" if rest else "")
    return ("-" if minutes < 0 else "") + words


@pytest.mark.parametrize("rule", list(BankHolidayRule))
def test_hours_balance_recomputed_from_the_written_rota_matches_the_summary(tmp_path, rule):
    problem = hours_team(rule)
    path = write_rota(tmp_path / "rota.xlsx", problem, plan(problem, FAST))
    _, codes, standing = read_rota_sheet(path)
    table = read_hours_table(path)
    assert set(table) == {p.id for p in problem.staff}
    for pid, cells in table.items():
        contracted, worked, leave, bank, credit = recompute(pid, codes[pid], standing[pid], rule)
        balance = worked + leave + bank + credit - contracted
        minutes = round(balance * 60)
        balance_words = (
            "balanced"
            if minutes == 0
            else (f"{clock(abs(balance))} {'credit' if minutes > 0 else 'debt'}")
        )
        signed = clock(credit) if credit < 0 or clock(credit) == "0 h" else "+" + clock(credit)
        expected = [clock(contracted), clock(worked), clock(leave), clock(bank), signed]
        assert cells[:6] == [*expected, balance_words], (pid, cells)


def test_each_rule_gives_what_it_says_on_the_standing_day(tmp_path):
    balances = {}
    for rule in BankHolidayRule:
        problem = hours_team(rule)
        path = write_rota(tmp_path / f"{rule.value}.xlsx", problem, plan(problem, FAST))
        balances[rule] = read_hours_table(path)
    # 4DW worker's agreed Friday is Good Friday: moved (no credit), absorbed, or credited
    assert balances[BankHolidayRule.MOVE]["F4"][5] == "balanced"
    assert balances[BankHolidayRule.ABSORB]["F4"][5] == "balanced"
    assert balances[BankHolidayRule.CREDIT]["F4"][4:6] == ["+9 h 15 min", "9 h 15 min credit"]
    # part-timer: Easter Monday is a working day (7 h 24 min), Good Friday is not;
    # pro rata 2 x 4 h 26 min 24 s = 8 h 52 min 48 s, so 1 h 29 min credit whatever the rule
    assert {balances[r]["PT"][5] for r in BankHolidayRule} == {"1 h 29 min credit"}
    # under absorb, the line says the bank holiday took the agreed standing day's place
    note = balances[BankHolidayRule.ABSORB]["N9"][6]
    assert "bank holiday on the agreed standing day Mon (week B)" in note and "(absorb)" in note


def half_day_team(with_half_day: bool) -> Problem:
    lead = HalfDay(FRI, "PM") if with_half_day else None
    staff = [
        person("TL", Pattern.FULL_TIME, senior=True, half_day=lead),
        person("W4", Pattern.FOUR_DAY_WEEK, preferred_days=(FRI,)),
        person("SW", Pattern.FULL_TIME),
    ]
    return Problem(Team("Half", EASTER + dt.timedelta(weeks=2), 2, EASTER, 2, 0), staff)


def present_by_half_from_workbook(path) -> dict[tuple[dt.date, str], int]:
    days, codes, _ = read_rota_sheet(path)
    counts = {}
    for day in days:
        for half in ("AM", "PM"):
            counts[day, half] = sum(
                code in ("W", "D", "NT")
                or (code in ("AM", "PM") and code != half)
                or (code in ("D-AM", "D-PM") and not code.endswith(half))
                for person_codes in codes.values()
                for code in [person_codes[day]]
            )
    return counts


def test_half_day_cover_is_checked_per_half_on_the_written_rota(tmp_path):
    # Without the half day the 4DW worker gets her first choice, Friday. With the team
    # leader out every Friday afternoon, a Friday off would leave one person in then.
    free = plan(half_day_team(False), FAST)
    assert all(d.weekday() == FRI for d in free.non_working_days("W4"))
    problem = half_day_team(True)
    path = write_rota(tmp_path / "rota.xlsx", problem, plan(problem, FAST))
    counts = present_by_half_from_workbook(path)
    assert all(n >= 2 for n in counts.values()), counts
    _, codes, _ = read_rota_sheet(path)
    fridays = [d for d in codes["TL"] if d.weekday() == FRI]
    assert all(codes["TL"][d] == "PM" for d in fridays)
    assert all(codes["W4"][d] != "NWD" for d in fridays)
    assert load_workbook(path)["Checks"]["A1"].value == "All hard rules hold on every day."


def test_the_checker_counts_a_half_day_in_its_half(make):
    problem = half_day_team(True)
    friday = EASTER + dt.timedelta(weeks=2, days=4)
    statuses = statuses_for(problem, {("W4", friday)})
    broken = failures(check(problem, statuses))
    assert [(r.day, r.rule) for r in broken] == [(friday, "minimum staff present")]
    assert broken[0].detail == "1 present afternoon, 2 needed"


def test_half_day_rota_reads_back_and_the_csv_says_which_half(tmp_path):
    problem = half_day_team(True)
    result = plan(problem, FAST)
    path = write_rota(tmp_path / "rota.xlsx", problem, result)
    grid = read_rota(path)
    friday = EASTER + dt.timedelta(weeks=2, days=4)
    assert grid.statuses["TL", friday] is Status.WORK
    lines = (
        write_csv(tmp_path / "rota.csv", [(problem, result)]).read_text("utf-8-sig").splitlines()
    )
    assert lines[0].endswith(",status,half_day_off")
    assert any(
        line.startswith("Half,TL,") and friday.isoformat() in line and line.endswith(",W,PM")
        for line in lines
    )


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Fri PM", HalfDay(FRI, "PM")),
        ("Friday afternoon", HalfDay(FRI, "PM")),
        ("mon am week B", HalfDay(MON, "AM", "B")),
        ("Wed PM A", HalfDay(2, "PM", "A")),
    ],
)
def test_half_days_as_managers_type_them(typed, expected):
    assert parse_half_day(typed) == expected


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("Fri", "morning (AM) or afternoon (PM)"),
        ("Mon AM, Fri PM", "one half day only"),
        ("every other Fri PM", "A or B"),
        ("Fri PM A B", "A or B"),
        ("Sat PM", "weekday"),
    ],
)
def test_ambiguous_half_days_are_refused(typed, says):
    with pytest.raises(HalfDayError, match=re.escape(says)):
        parse_half_day(typed)


def test_a_half_day_on_a_flexi_pattern_is_refused():
    with pytest.raises(FieldError) as error:
        person("X", Pattern.NINE_DAY_FORTNIGHT, half_day=HalfDay(FRI, "PM"))
    assert error.value.field == "half_day"


def test_bad_staff_hours_are_refused_at_their_cell(tmp_path, make):
    staff = [make.person(i, Pattern.FOUR_DAY_WEEK) for i in ("S1", "S2", "S3", "S4", "S5")]
    path = write_team_workbook(tmp_path / "team.xlsx", make.problem(staff))
    book = load_workbook(path)
    sheet = book["Staff"]
    assert sheet["M1"].value == "Hours per working day" and sheet["N1"].value == "Half day off"
    sheet["E2"] = 80  # 80 h on a 4DW
    sheet["M3"] = 9  # 9 h x 4 days is 36 h, not 37
    sheet["N4"], sheet["F4"] = "Fri", "Full time"  # which half?
    sheet["N5"] = "Fri PM"  # a half day on a 4DW
    sheet["E6"], sheet["M6"] = 60, None  # 15 h days
    book.save(path)
    result = CliRunner().invoke(main, ["rota", "check", str(path)])
    assert result.exit_code == 2, result.output
    out = " ".join(result.output.split())
    assert (
        "Staff, row 2, column E (Hours per week): hours for S1 must be more than 0 and at "
        "most 60, got 80" in out
    )
    assert (
        "Staff, row 3, column M (Hours per working day): S2: 9 h a day over 4 days a week (4DW) "
        "is 36 h a week, but hours per week is 37 h" in out
    )
    assert "Staff, row 4, column N (Half day off): found 'Fri'; say which half is off" in out
    assert "Staff, row 5, column N (Half day off): S4 works 4DW" in out
    assert (
        "Staff, row 6, column E (Hours per week): S5: 60 h a week over 4 days a week (4DW) "
        "is 15 h a day" in out
    )
    assert "Traceback" not in result.output


def test_day_length_typed_and_half_days_round_trip_through_the_team_workbook(tmp_path, make):
    from rota.io.workbook import read_team

    staff = [
        make.person("A", Pattern.FULL_TIME, half_day=HalfDay(FRI, "PM", "B")),
        make.person("B", Pattern.FOUR_DAY_WEEK, day_hours=9.25),
    ]
    problem = make.problem(staff)
    back = read_team(write_team_workbook(tmp_path / "team.xlsx", problem))
    assert back.staff == staff
    assert back.staff[0].hours_per_working_day == pytest.approx(37 / 4.75)


def test_rota_gaps_finds_a_half_day_gap_typed_into_the_rota(tmp_path):
    from rota.gaps.find import BELOW_MINIMUM, find_gaps

    problem = half_day_team(True)
    path = write_rota(tmp_path / "rota.xlsx", problem, plan(problem, FAST))
    book = load_workbook(path)
    sheet = book["Rota"]
    friday = EASTER + dt.timedelta(weeks=2, days=4)
    row = next(r for r in range(1, 20) if sheet.cell(r, 2).value == "W4")
    column = 6 + read_rota_sheet(path)[0].index(friday)
    sheet.cell(row, column).value = "NWD"  # W4 off on the team leader's Friday afternoon
    book.save(path)
    gaps = [g for g in find_gaps(read_rota(path), [problem]) if g.kind == BELOW_MINIMUM]
    assert [(g.date, g.shortfall) for g in gaps] == [(friday, 1)]


def test_a_half_day_on_a_duty_day_shows_and_stays_a_duty_day_in_the_calendar(tmp_path):
    from rota.io.ics import calendars

    base = half_day_team(True)
    friday = EASTER + dt.timedelta(weeks=2, days=4)
    problem = Problem(base.team, base.staff, duty_days=frozenset({friday}))
    path = write_rota(tmp_path / "rota.xlsx", problem, plan(problem, FAST))
    _, codes, _ = read_rota_sheet(path)
    assert codes["TL"][friday] == "D-PM"
    grid = read_rota(path)
    assert grid.statuses["TL", friday] is Status.DUTY
    leader = next(c for c in calendars(grid, EASTER) if c.staff_id == "TL")
    assert [d.day for d in leader.days if d.status is Status.DUTY] == [friday]


def test_capacity_counts_the_half_day_in_its_half():
    from rota.domain.capacity import capacity

    problem = half_day_team(True)
    table = capacity(problem, plan(problem, FAST))
    # three staff, two needed, all in on Fridays: one would be spare, but the team
    # leader's afternoon off leaves only two in then, so nobody more can be off
    assert table[FRI, "A"].spare == table[FRI, "B"].spare == 0


def test_a_minimum_no_friday_afternoon_can_meet_is_reported_before_solving():
    base = half_day_team(True)
    team = Team("Half", base.team.start, 2, EASTER, 3, 0)
    issues = [i.message for i in Problem(team, base.staff).cover_issues()]
    assert issues == [
        "minimum staff present is 3, but only 2 staff work on Friday afternoons (the others "
        "are part-timers with that day off or have that half day off)"
    ]


@st.composite
def half_day_teams(draw) -> Problem:
    """Three to five staff, some full-timers with a weekly or fortnightly half day off,
    a minimum that may or may not be met: two weeks without bank holidays."""
    staff = []
    for i in range(draw(st.integers(3, 5))):
        pattern = draw(st.sampled_from([Pattern.FULL_TIME, Pattern.NINE_DAY_FORTNIGHT]))
        half_day = None
        if pattern is Pattern.FULL_TIME and draw(st.booleans()):
            half_day = HalfDay(
                draw(st.integers(0, 4)),
                draw(st.sampled_from(["AM", "PM"])),
                draw(st.sampled_from([None, "A", "B"])),
            )
        staff.append(person(f"P{i}", pattern, half_day=half_day))
    minimum = draw(st.integers(1, len(staff)))
    start = dt.date(2027, 1, 11)
    return Problem(Team("Random", start, 2, start, minimum, 0), staff)


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(half_day_teams())
def test_short_cover_on_the_written_rota_is_counted_per_half(tmp_path_factory, problem):
    path = tmp_path_factory.mktemp("half") / "rota.xlsx"
    write_rota(path, problem, plan(problem, FAST, allow_short=True))
    days, codes, _ = read_rota_sheet(path)
    sheet = load_workbook(path)["Rota"]
    short_row = next(
        r
        for r in range(1, sheet.max_row + 1)
        if sheet.cell(r, 3).value == "Staff short of cover (see Checks)"
    )
    counts = present_by_half_from_workbook(path)
    for i, day in enumerate(days):
        fewest = min(counts[day, "AM"], counts[day, "PM"])
        expected = max(problem.team.min_present - fewest, 0) or None
        assert sheet.cell(short_row, 6 + i).value == expected, (day, codes)
