"""The cover-gaps checker: planted gaps found, planned rotas clean, each kind alone, bad input,
and the ``gaps`` command driven as a service lead would, with its files read back."""

import dataclasses
import datetime as dt
import importlib.util
import math
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from matplotlib.figure import Figure
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from rota.cli.gaps import gaps as gaps_command
from rota.domain.plan import Status
from rota.domain.problem import Pattern, ProblemError
from rota.domain.rota import Rota, RotaError, RotaPerson
from rota.gaps import find as g
from rota.gaps.fit import rota_problems, rules_from_rota
from rota.gaps.plot import plot_gap_heatmap, shortfall_matrix
from rota.io.excel import write_rota
from rota.io.rotaread import CODE_WORDS, read_rota
from rota.io.template import write_team_workbook
from rota.solve.solver import plan

FIXTURES = Path(__file__).parents[3] / "fixtures"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# Builders ---------------------------------------------------------------------------------


def grid_of(*teams, path="rota.xlsx") -> Rota:
    """A rota grid straight from codes: teams are (problem, {staff id: 'W NWD D ...'})."""
    staff, statuses, days = [], {}, teams[0][0].weekdays
    for problem, rows in teams:
        for staff_id, codes in rows.items():
            staff.append(RotaPerson(problem.team.name, staff_id, "", "", len(staff) + 2))
            for day, code in zip(days, codes.split(), strict=True):
                statuses[staff_id, day] = CODE_WORDS[code]
    columns = {day: get_column_letter(5 + i) for i, day in enumerate(days)}
    return Rota(path, "", staff, list(days), statuses, columns)


def write_sheet(path: Path, header: list, rows: list[list], title="Our rota, typed by hand"):
    """A hand-made rota: a title row, then the header on row 2, then one row per person."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Rota"
    sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def small_team(make, **team_fields):
    """Five people over one week (Mon 11 to Fri 15 Jan 2027), duty on Wednesday and Thursday.

    A is the only senior; B and C cover each other; caseloads 10, 12, 8, 9 and 6.
    """
    staff = [
        make.person("A", senior=True, name="Ann", caseload=10),
        make.person("B", name="Bo", cover_buddy="C", caseload=12),
        make.person("C", Pattern.FULL_TIME, name="Cy", cover_buddy="B", caseload=8),
        make.person("D", Pattern.FOUR_DAY_WEEK, name="Di", caseload=9),
        make.person("E", Pattern.FULL_TIME, name="Ed", caseload=6),
    ]
    fields = {"min_present": 3, "min_senior": 1, "min_present_on_duty": 4} | team_fields
    duty = make.days(make.monday + dt.timedelta(days=2), 2)
    return make.problem(staff, weeks=1, duty=duty, **fields)


# One gap of every kind, planted by hand (columns Mon to Fri):
#   Mon: Bo and Di on flexi days, Ed on leave: 2 in for 3 needed; 27 cases over 2 people.
#   Tue: Ann, the only senior, on a flexi day.
#   Wed: Di on a flexi day while the team is on duty.
#   Thu: a duty day with nobody marked D.
#   Fri: Bo and Cy, each other's cover buddy, both on leave; 20 cases over 3 people.
PLANTED_ROWS = {
    "A": ["", "NWD", "D", "", "W"],
    "B": ["nwd", "W", "D", "", "L"],
    "C": ["W", "", "D", "W", "L"],
    "D": ["NWD", "W", "NWD", "W", "W"],
    "E": ["L", "w", "D", "", ""],
}
PLANTED = [
    (0, g.BELOW_MINIMUM, ("Bo", "Di", "Ed"), 1),
    (0, g.DISPLACED_WORKLOAD, ("Ann", "Cy"), 0),
    (1, g.BELOW_SENIOR, ("Ann",), 1),
    (2, g.FLEXI_ON_DUTY, ("Di",), 1),
    (3, g.DUTY_UNCOVERED, (), 1),
    (4, g.BUDDY_ABSENT, ("Bo", "Cy"), 1),
    (4, g.BUDDY_ABSENT, ("Cy", "Bo"), 1),
    (4, g.DISPLACED_WORKLOAD, ("Ann", "Di", "Ed"), 0),
]


def write_planted(path: Path, problem, team_column=False) -> Path:
    """The planted rota as a manager might type it: dates as text, some codes lower case."""
    dates = [f"{d:%d/%m/%Y}" for d in problem.weekdays]
    people = [[p.id, p.name, *PLANTED_ROWS[p.id]] for p in problem.staff]
    if team_column:
        return write_sheet(
            path, ["Team", "ID", "Name", *dates], [[problem.team.name, *r] for r in people]
        )
    return write_sheet(path, ["ID", "Name", *dates], people)


def load_maker(name: str):
    spec = importlib.util.spec_from_file_location(name, FIXTURES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Planted gaps found, planned rotas clean ----------------------------------------------------

PLANTED_THRESHOLD = 6  # the planted displaced-workload gaps lie between 6 and the default 12


def test_finds_every_gap_planted_in_a_hand_made_rota(tmp_path, make):
    problem = small_team(make)
    grid = read_rota(write_planted(tmp_path / "rota.xlsx", problem), problem.team.name)
    found = g.find_gaps(grid, [problem], threshold=PLANTED_THRESHOLD)
    days = problem.weekdays
    assert [(x.date, x.kind, x.people, x.shortfall) for x in found] == [
        (days[i], kind, people, short) for i, kind, people, short in PLANTED
    ]
    monday_load = next(x for x in found if x.kind == g.DISPLACED_WORKLOAD)
    assert monday_load.cases_per_present_worker == 13.5  # (12 + 9 + 6) / 2
    assert "27 cases" in monday_load.detail and "Ed (leave)" in monday_load.detail


def test_finds_exactly_the_gaps_planted_in_the_shipped_hand_made_rota(fixture_team):
    maker = load_maker("make_gaps")
    grid = read_rota(FIXTURES / "rota" / "handmade_rota.xlsx")
    found = g.find_gaps(grid, [fixture_team], threshold=PLANTED_THRESHOLD)
    assert [(x.date, x.kind) for x in found] == [(d, k) for d, k, _ in maker.PLANTED]
    for gap, (_, _, people) in zip(found, maker.PLANTED, strict=True):
        assert people is None or gap.people == people
    assert {x.kind for x in found} == set(g.KINDS)


def test_no_gaps_in_a_rota_planned_by_workwell(tmp_path, fixture_team):
    planned = plan(fixture_team)
    path = write_rota(tmp_path / "rota.xlsx", fixture_team, planned)
    grid = read_rota(path)
    assert g.find_gaps(grid, [fixture_team]) == []
    # The planner minimises the largest absent caseload on any day; recomputed here from the
    # workbook read back, it must agree.
    every_day = g.find_gaps(grid, [fixture_team], threshold=0)
    largest = max(round(x.cases_per_present_worker * len(x.people)) for x in every_day)
    assert largest == planned.info.objectives["largest displaced caseload"]


# Each kind alone ----------------------------------------------------------------------------


def test_below_minimum_present_uses_the_higher_minimum_on_duty_days(make):
    problem = small_team(make, min_senior=0)
    rows = {"A": "W W D W W", "B": "W W D W W", "C": "W W D W W", "D": "W W NWD W W"}
    rows |= {"E": "L W L W W"}
    found = g.find_gaps(grid_of((problem, rows)), [problem], threshold=99)
    # Monday: 4 in, 3 needed. Wednesday (duty): 3 in, 4 needed. Thursday: nobody shows D.
    assert [(x.date.day, x.kind, x.shortfall) for x in found] == [
        (13, g.BELOW_MINIMUM, 1),
        (13, g.FLEXI_ON_DUTY, 1),
        (14, g.DUTY_UNCOVERED, 1),
    ]
    assert found[0].people == ("Di", "Ed") and "3 present, 4 needed" in found[0].detail


def test_below_minimum_senior_names_the_seniors_away(make):
    problem = small_team(make, min_senior=1, min_present=0, min_present_on_duty=None)
    rows = {p.id: "W W D D W" for p in problem.staff} | {"A": "L W D D NWD"}
    found = g.find_gaps(grid_of((problem, rows)), [problem])
    assert [(x.date.day, x.kind, x.people) for x in found] == [
        (11, g.BELOW_SENIOR, ("Ann",)),
        (15, g.BELOW_SENIOR, ("Ann",)),
    ]
    assert "0 senior present, 1 needed; away: Ann (leave)" == found[0].detail


def test_cover_buddy_gap_needs_both_away_on_any_kind_of_absence(make):
    problem = small_team(make, min_present=0, min_senior=0, min_present_on_duty=None)
    rows = {p.id: "W W D D W" for p in problem.staff}
    rows |= {"B": "NWD L W D W", "C": "W PT W D L"}
    found = g.find_gaps(grid_of((problem, rows)), [problem], threshold=99)
    # Mon: B away, C in. Tue: B on leave, C on a part-time day. Wed: both in, no D (duty
    # still shown by the others). Fri: C away, B in.
    assert [(x.date.day, x.kind, x.people) for x in found] == [
        (12, g.BUDDY_ABSENT, ("Bo", "Cy")),
        (12, g.BUDDY_ABSENT, ("Cy", "Bo")),
    ]
    assert found[0].detail == "Bo (leave) is away; their cover buddy Cy (part-time day) is away too"


def test_flexi_day_on_a_duty_day_only_counts_duty_days_and_the_duty_group(make):
    problem = small_team(make, min_present=0, min_senior=0, min_present_on_duty=None)
    rows = {p.id: "W W D D W" for p in problem.staff}
    rows |= {"D": "NWD W NWD W W", "E": "W W W NWD W"}
    wednesday, thursday = problem.weekdays[2], problem.weekdays[3]
    found = g.find_gaps(grid_of((problem, rows)), [problem], threshold=99)
    assert [(x.date, x.kind, x.people) for x in found] == [
        (wednesday, g.FLEXI_ON_DUTY, ("Di",)),
        (thursday, g.FLEXI_ON_DUTY, ("Ed",)),
    ]
    # With duty groups, someone outside the day's group may take the day.
    grouped = dataclasses.replace(
        problem, duty_pool={wednesday: frozenset("ABCE"), thursday: frozenset("ABCD")}
    )
    assert g.find_gaps(grid_of((grouped, rows)), [grouped], threshold=99) == []


def test_a_day_shown_on_duty_in_the_rota_counts_as_a_duty_day(make):
    problem = small_team(make, min_present=0, min_senior=0, min_present_on_duty=None)
    rows = {p.id: "D W D D W" for p in problem.staff} | {"E": "NWD W D D W"}
    found = g.find_gaps(grid_of((problem, rows)), [problem])
    assert [(x.date.day, x.kind, x.people) for x in found] == [(11, g.FLEXI_ON_DUTY, ("Ed",))]


def test_a_duty_group_shown_in_the_rota_leaves_the_others_free(make):
    problem = small_team(make, min_present=0, min_senior=0, min_present_on_duty=None)
    problem = dataclasses.replace(problem, duty_days=frozenset())
    # Monday: Ann and Bo on duty, Cy working, so Ed's flexi day is outside the duty group.
    rows = {"A": "D W W W W", "B": "D W W W W", "C": "W W W W W", "D": "L W W W W"}
    rows |= {"E": "NWD W W W W"}
    assert g.find_gaps(grid_of((problem, rows)), [problem], threshold=99) == []


def test_duty_slot_with_no_team_on_duty_and_too_few_named_duty_workers(make):
    first = small_team(make, min_present=0, min_senior=0)
    second = dataclasses.replace(
        small_team(make, min_present=0, min_senior=0),
        team=dataclasses.replace(first.team, name="Second"),
        duty_days=frozenset(),
    )
    second.staff = [dataclasses.replace(p, id=f"2{p.id}", cover_buddy=None) for p in second.staff]
    rows_first = {p.id: "W W D W W" for p in first.staff}  # Thursday: duty day, nobody on D
    rows_second = {p.id: "W W W W W" for p in second.staff}
    grid = grid_of((first, rows_first), (second, rows_second))
    friday = first.weekdays[4]
    found = g.find_gaps(grid, [first, second], duty_slots=first.duty_days | {friday})
    assert [(x.team, x.date.day, x.kind) for x in found] == [
        ("Test team", 14, g.DUTY_UNCOVERED),
        (g.SERVICE, 15, g.DUTY_UNCOVERED),
    ]
    assert "no team is on duty" in found[1].detail
    # A team that must name three duty workers, with five on D on Wednesday, one on Thursday.
    rows_first["A"] = "W W D D W"
    found = g.find_gaps(
        grid_of((first, rows_first), (second, rows_second)),
        [first, second],
        duty_workers={"Test team": 3},
    )
    assert [(x.date.day, x.kind, x.shortfall, x.people) for x in found] == [
        (14, g.DUTY_UNCOVERED, 2, ("Ann",))
    ]


def test_displaced_workload_above_the_threshold_names_who_carries_it(make):
    problem = small_team(make, min_present=0, min_senior=0, min_present_on_duty=None)
    rows = {p.id: "W W D D W" for p in problem.staff}
    rows |= {"A": "L L D D W", "B": "L L D D W", "C": "W L D D W", "D": "W L D D W"}
    found = g.find_gaps(grid_of((problem, rows)), [problem], threshold=7)
    load = [x for x in found if x.kind == g.DISPLACED_WORKLOAD]
    # Mon: 22 cases over Cy, Di and Ed = 7.33 > 7. Tue: 39 cases on Ed alone.
    assert [(x.date.day, x.people, x.cases_per_present_worker) for x in load] == [
        (11, ("Cy", "Di", "Ed"), 7.33),
        (12, ("Ed",), 39.0),
    ]
    assert load[1].detail.endswith("over 1 present: 39.0 each, above 7")
    assert g.find_gaps(grid_of((problem, rows)), [problem], threshold=39) == [
        x for x in found if x.kind == g.BUDDY_ABSENT
    ]


def test_bank_holidays_are_never_gaps(make):
    easter = dt.date(2027, 3, 29)  # Easter Monday: the Monday of this week
    problem = small_team(make, start=easter, min_present=5)
    problem = dataclasses.replace(problem, duty_days=frozenset())
    assert easter in problem.bank_holidays
    rows = {p.id: "BH W W W W" for p in problem.staff} | {"D": "BH W W W NWD"}
    found = g.find_gaps(grid_of((problem, rows)), [problem])
    assert [(x.date, x.kind) for x in found] == [(easter + dt.timedelta(4), g.BELOW_MINIMUM)]


def test_gap_checks_its_fields():
    with pytest.raises(ValueError, match="gap kind"):
        g.Gap("T", dt.date(2027, 1, 11), "late", 1, (), "")
    with pytest.raises(ValueError, match="shortfall"):
        g.Gap("T", dt.date(2027, 1, 11), g.BELOW_MINIMUM, -1, (), "")


# The rota must fit the rules ----------------------------------------------------------------


def test_rota_problems_name_every_mismatch_with_its_place(make):
    problem = small_team(make)
    other = dataclasses.replace(problem, team=dataclasses.replace(problem.team, name="Other"))
    other.staff = [make.person("Z")]
    rows = {"A": "W W D D W", "B": "W W D D W", "X": "W W D D W"}  # C, D, E missing
    grid = grid_of((problem, rows))
    grid.staff.append(RotaPerson("Nowhere", "Q", "", "", 9))
    grid.staff.append(RotaPerson("Test team", "Z", "", "", 10))
    messages = rota_problems(grid, [problem, other], sheet="Sheet1")
    assert any(
        "rota.xlsx: Sheet1, row 9, column Team: team 'Nowhere' is not in the rules" in m
        for m in messages
    )
    assert any("row 4, column ID: staff id 'X' is not on the rules' staff" in m for m in messages)
    assert any("staff id 'Z' is on team 'Other' in the rules" in m for m in messages)
    assert sum("has no row in the rota" in m for m in messages) == 3
    with pytest.raises(RotaError):
        g.find_gaps(grid, [problem, other])


def test_rota_dates_must_be_the_weekdays_of_the_period(make):
    problem = small_team(make)
    grid = grid_of((problem, {p.id: "W W D D W" for p in problem.staff}))
    saturday, later = problem.weekdays[4] + dt.timedelta(1), problem.weekdays[4] + dt.timedelta(3)
    for day, column in ((saturday, 10), (later, 11)):
        grid.days.append(day)
        grid.day_columns[day] = get_column_letter(column)
    del grid.day_columns[problem.weekdays[0]]
    grid.days.remove(problem.weekdays[0])
    messages = rota_problems(grid, [problem])
    assert messages == [
        "rota.xlsx: Rota, column J: Sat 16 Jan 2027 is a Saturday; the rota holds weekdays",
        "rota.xlsx: Rota, column K: Mon 18 Jan 2027 lies outside the period of 'Test team' "
        "(Mon 11 Jan 2027 to Fri 15 Jan 2027)",
        "rota.xlsx: Rota: no column for 1 weekday(s) of the period of 'Test team' "
        "(Mon 11 Jan 2027 to Fri 15 Jan 2027): Mon 11 Jan 2027",
    ]


def test_rules_from_the_rota_itself(make):
    problem = small_team(make)
    rows = {p.id: "W W D D PT" for p in problem.staff} | {"B": "W NWD D D W"}
    grid = grid_of((problem, rows))
    (rules,) = rules_from_rota(grid, min_present=4, min_senior=1, seniors=("A",))
    assert rules.team.start == make.monday and rules.team.weeks == 1
    assert rules.duty_days == set()  # duty comes from the D codes when gaps are found
    assert [p.id for p in rules.staff if p.senior] == ["A"]
    assert rules.member("C").fixed_days_off == ()  # no pattern word: treated as full time
    found = g.find_gaps(grid, [rules])
    # Friday: only Bo in, and Ann (the senior) on a part-time day.
    assert [(x.date.day, x.kind) for x in found] == [(15, g.BELOW_MINIMUM), (15, g.BELOW_SENIOR)]
    with pytest.raises(ProblemError) as error:
        rules_from_rota(grid, 3, min_senior=1, seniors=("Q",))
    assert error.value.problems == ["senior staff id 'Q' is not in the rota"]
    with pytest.raises(ProblemError, match="does not say who is senior"):
        rules_from_rota(grid, 3, min_senior=1)


# Plot ---------------------------------------------------------------------------------------


def test_heatmap_draws_on_the_axes_it_is_given(make):
    problem = small_team(make)
    days = problem.weekdays
    found = [
        g.Gap("Test team", days[0], g.BELOW_MINIMUM, 2, (), ""),
        g.Gap("Test team", days[0], g.BELOW_SENIOR, 1, (), ""),
        g.Gap(g.SERVICE, days[1], g.DUTY_UNCOVERED, 1, (), ""),
        g.Gap("Test team", days[3], g.BUDDY_ABSENT, 1, (), ""),
    ]
    closed = {("Test team", days[4])}
    matrix = shortfall_matrix(found, ["Test team", g.SERVICE], days, closed)
    assert matrix[0][:4] == [2, 0, 0, 0] and math.isnan(matrix[0][4])
    assert matrix[1] == [0, 1, 0, 0, 0]
    ax = Figure().subplots()
    assert plot_gap_heatmap(found, ["Test team"], days, closed, ax=ax) is ax
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Test team", g.SERVICE]
    assert ax.get_title(loc="left").startswith("Cover gaps") and ax.get_xlabel()
    assert len(ax.collections) == 1  # the dot marking the buddy gap


# The command --------------------------------------------------------------------------------


def run(*args):
    group = click.Group("rota")
    group.add_command(gaps_command)
    return CliRunner().invoke(group, ["gaps", *[str(a) for a in args]])


@pytest.fixture
def team_files(tmp_path, make):
    problem = small_team(make)
    rules = write_team_workbook(tmp_path / "team.xlsx", problem)
    rota = write_planted(tmp_path / "rota.xlsx", problem, team_column=True)
    return problem, rules, rota


def test_command_writes_the_gaps_workbook_heatmap_and_summary_and_exits_3(tmp_path, team_files):
    problem, rules, rota = team_files
    out = tmp_path / "out"
    result = run(rota, "--rules", rules, "--out", out, "--threshold", PLANTED_THRESHOLD)
    assert result.exit_code == 3, result.output
    assert "8 gaps on 5 team-days" in result.output
    assert (out / "summary.txt").read_text() in result.output
    assert (out / "gaps.png").read_bytes().startswith(PNG_SIGNATURE)
    book = load_workbook(out / "gaps.xlsx")
    sheet = book["Gaps"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Team", "Date", "Day", "Gap", "Staff short")
    assert [(r[1].date(), r[3], r[6] or "") for r in rows[1:]] == [
        (problem.weekdays[i], kind, ", ".join(people)) for i, kind, people, _ in PLANTED
    ]
    assert sheet.auto_filter.ref == "A1:H9" and sheet.freeze_panes == "A2"
    assert book["About"]["B2"].value == "team.xlsx"


def test_command_exits_0_when_there_are_no_gaps(tmp_path, make):
    problem = small_team(make)
    rules = write_team_workbook(tmp_path / "team.xlsx", problem)
    rota = write_sheet(
        tmp_path / "rota.xlsx",
        ["ID", *problem.weekdays],
        [[p.id, "", "", "D", "D", ""] for p in problem.staff],
    )
    result = run(rota, "--rules", rules, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "No cover gaps found: all clear." in result.output
    assert load_workbook(tmp_path / "out" / "gaps.xlsx")["Gaps"].max_row == 1


def test_command_with_rules_from_options(tmp_path, team_files):
    _, _, rota = team_files
    result = run(
        rota,
        "--min-present",
        4,
        "--min-senior",
        1,
        "--senior",
        "A",
        "--out",
        tmp_path / "out",
        "--threshold",
        100,
    )
    assert result.exit_code == 3, result.output
    assert "options: minimum present 4, minimum senior 1" in result.output
    # No duty days in the options: Wednesday shows D, so Di's flexi day there is a gap.
    assert "below minimum present" in result.output and "flexi day on a duty day" in result.output


def test_command_overrides_the_rules_minimum(tmp_path, team_files):
    _, rules, rota = team_files
    result = run(
        rota,
        "--rules",
        rules,
        "--min-present",
        0,
        "--out",
        tmp_path / "out",
        "--threshold",
        PLANTED_THRESHOLD,
    )
    assert result.exit_code == 3
    assert "team.xlsx with minimum present 0" in result.output
    kinds = [r[3] for r in load_workbook(tmp_path / "out" / "gaps.xlsx")["Gaps"].iter_rows(2)]
    assert g.BELOW_MINIMUM not in [cell.value for cell in kinds] and len(kinds) == 7


def bad_input(tmp_path, *args):
    out = tmp_path / "out"
    result = run(*args, "--out", out)
    assert result.exit_code == 2, result.output
    assert "nothing written" in result.output and "Traceback" not in result.output
    assert not out.exists()
    return result.output


def test_bad_input_dates_outside_the_period(tmp_path, team_files):
    problem, rules, _ = team_files
    dates = [*problem.weekdays, problem.weekdays[-1] + dt.timedelta(3)]
    rota = write_sheet(tmp_path / "late.xlsx", ["ID", *dates], [[p.id] for p in problem.staff])
    output = bad_input(tmp_path, rota, "--rules", rules)
    assert "late.xlsx: Rota, column G: Mon 18 Jan 2027 lies outside the period" in output


def test_bad_input_unknown_team_and_unknown_code(tmp_path, team_files):
    problem, rules, _ = team_files
    header = ["Team", "ID", *problem.weekdays]
    rows = [["Test team", p.id] for p in problem.staff] + [["Duty desk", "Z"]]
    rows[1] += ["W", "Sick"]
    output = bad_input(tmp_path, write_sheet(tmp_path / "r.xlsx", header, rows), "--rules", rules)
    assert "r.xlsx: Rota, row 4, column D: found 'SICK'" in output
    rows[1][2:] = []
    output = bad_input(tmp_path, write_sheet(tmp_path / "r.xlsx", header, rows), "--rules", rules)
    assert "r.xlsx: Rota, row 8, column Team: team 'Duty desk' is not in the rules" in output


def test_bad_input_every_problem_at_once(tmp_path, team_files):
    _, rules, rota = team_files
    (tmp_path / "out").write_text("a file")
    result = run(
        rota, "--rules", tmp_path / "missing.xlsx", "--senior", "A", "--out", tmp_path / "out"
    )
    assert result.exit_code == 2
    assert "3 problems" in result.output and "missing.xlsx: no such file" in result.output
    assert (tmp_path / "out").read_text() == "a file"
    assert run(rota, "--out", tmp_path / "o").exit_code == 2
    assert not (tmp_path / "o").exists()


def test_failed_run_leaves_earlier_outputs_alone(tmp_path, team_files):
    _, rules, rota = team_files
    out = tmp_path / "out"
    assert run(rota, "--rules", rules, "--out", out).exit_code == 3
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert run(tmp_path / "nope.xlsx", "--rules", rules, "--out", out).exit_code == 2
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_help_has_an_example():
    result = run("--help")
    assert result.exit_code == 0 and "Example: workwell rota gaps" in result.output


def test_status_codes_cover_every_status():
    assert set(CODE_WORDS.values()) == set(Status)
