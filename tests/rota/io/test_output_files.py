"""Files that open as people expect: the commands run, then what they wrote is read back."""

import csv
import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from cli import main
from rota.domain.problem import Leave, Pattern
from rota.domain.service import DutyRules, DutyUnit, Service
from rota.domain.words import aligned_table, hours_and_minutes, plural
from rota.gaps.plot import plot_gap_heatmap
from rota.io.csvout import safe_cell
from rota.io.excel import CODES, NOT_TAKEN
from rota.io.excel_summary import GOAL_WORDS
from rota.io.layout import PATTERN_CHOICES
from rota.io.service_workbook import write_service_workbook
from rota.io.template import write_team_workbook

ROOT = Path(__file__).parents[3]
TEAM = ROOT / "fixtures" / "rota" / "team.xlsx"
HANDMADE = ROOT / "fixtures" / "rota" / "handmade_rota.xlsx"
A4 = 9
LONG_TEAM = "Referral, Assessment and Early Help (North)"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def written(tmp_path_factory, given_back_team):
    """The shipped team planned, re-planned, checked for gaps and templated, by the commands."""
    folder = tmp_path_factory.mktemp("written")
    paths = {name: folder / name for name in ("rota.xlsx", "rota.csv", "replanned.xlsx")}
    result = run(
        "rota", "plan", TEAM, "--out", paths["rota.xlsx"], "--csv", paths["rota.csv"],
        "--time-limit", 20,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    result = run(
        "rota", "replan", paths["rota.xlsx"], "--rules", given_back_team,
        "--out", paths["replanned.xlsx"], "--absent", "SP01:17/05/2027:21/05/2027",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    paths["replan output"] = result.output
    assert run("rota", "gaps", HANDMADE, "--rules", TEAM, "--out", folder / "gaps").exit_code == 3
    paths["gaps.xlsx"] = folder / "gaps" / "gaps.xlsx"
    for kind in ("team", "service"):
        paths[kind] = folder / f"{kind}-template.xlsx"
        flag = ["--service"] if kind == "service" else []
        assert run("rota", "template", paths[kind], *flag).exit_code == 0
    return paths


def workbooks(written):
    return [load_workbook(written[k]) for k in ("rota.xlsx", "replanned.xlsx", "gaps.xlsx")] + [
        load_workbook(written[k]) for k in ("team", "service")
    ]


# CSV: UTF-8 with a BOM, formula-safe, the workbook's own codes.


def test_csv_opens_in_excel_with_the_rota_sheets_codes(written):
    raw = written["rota.csv"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfteam,staff_id,name,pattern,date,week,status")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    sheet = load_workbook(written["rota.xlsx"])["Rota"]
    header = [c.value for c in sheet[5]]
    column = {v.date(): i + 1 for i, v in enumerate(header) if isinstance(v, dt.datetime)}
    row_of = {sheet.cell(r, 2).value: r for r in range(6, sheet.max_row + 1)}
    for row in rows:  # every code is the one on the Rota sheet (NT: tests/rota/test_seams.py)
        day = dt.date.fromisoformat(row["date"])
        assert row["status"] == sheet.cell(row_of[row["staff_id"]], column[day]).value
    codes = {r["status"] for r in rows}
    assert (
        {"NWD", "D", "L", "BH", "PT"} <= codes <= {c for c, _, _ in CODES.values()} | {NOT_TAKEN[0]}
    )
    assert {r["pattern"] for r in rows} <= set(PATTERN_CHOICES)


def test_csv_cells_never_run_as_formulas(tmp_path, make):
    staff = [
        make.person("=1+1", Pattern.FULL_TIME, name='=HYPERLINK("http://x","y")'),
        make.person("+44", Pattern.FULL_TIME, name="-Smith"),
        make.person("@SUM", Pattern.FULL_TIME, name="Tab"),
        make.person("ok", Pattern.FULL_TIME, name="Zoë Ødegaard"),
    ]
    team = write_team_workbook(tmp_path / "team.xlsx", make.problem(staff, weeks=1))
    out = tmp_path / "rota.csv"
    result = run("rota", "plan", team, "--out", tmp_path / "rota.xlsx", "--csv", out)
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    firsts = {r["staff_id"]: r["name"] for r in rows}
    assert firsts["'=1+1"] == '\'=HYPERLINK("http://x","y")'
    assert firsts["'+44"] == "'-Smith" and firsts["'@SUM"] == "Tab"
    assert firsts["ok"] == "Zoë Ødegaard"
    # the workbook reader trims spaces, so a leading tab or return can only come from code
    assert safe_cell("\tx") == "'\tx" and safe_cell("\rx") == "'\rx" and safe_cell("x-") == "x-"


# Every sheet prints A4 landscape, fit to width, headings repeated; nothing shows ###.


def test_every_sheet_of_every_workbook_prints_a4_landscape(written):
    for book in workbooks(written):
        for sheet in book.worksheets:
            if sheet.sheet_state != "visible":
                continue
            setup = sheet.page_setup
            assert (setup.orientation, int(setup.paperSize)) == ("landscape", A4), sheet.title
            fits = sheet.sheet_properties.pageSetUpPr.fitToPage
            assert (fits and setup.fitToWidth in (1, None)) or sheet.col_breaks.brk, sheet.title
            if sheet.title not in ("Instructions", "About", "Team"):
                assert sheet.print_title_rows, sheet.title


def test_a_long_rota_prints_four_weeks_a_page_breaking_on_mondays(written):
    sheet = load_workbook(written["rota.xlsx"])["Rota"]
    breaks = [b.id for b in sheet.col_breaks.brk]
    assert len(breaks) == 3  # 13 weeks: four pages across
    for column in breaks:
        assert sheet.cell(5, column + 1).value.weekday() == 0  # each page starts on a Monday
    assert sheet.print_title_cols == "$A:$E" and 30 <= sheet.page_setup.scale <= 100


def test_no_column_is_too_narrow_for_its_dates_or_numbers(written):
    for book in workbooks(written):
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    need = _shown_width(cell)
                    width = sheet.column_dimensions[get_column_letter(cell.column)].width or 8.43
                    assert width >= need, f"{sheet.title}!{cell.coordinate}: {cell.value}"


def _shown_width(cell) -> float:
    """Characters a cell shows on one line, where a narrower column would show ###."""
    if cell.alignment and cell.alignment.text_rotation:
        return 0
    if isinstance(cell.value, dt.datetime) and "mmm" in cell.number_format:
        return len("Wed 17 May 2027") + 1
    if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
        return len(f"{cell.value:g}") + 1
    return 0


def test_a_long_team_name_never_runs_into_the_id(tmp_path, make):
    problem = make.problem([make.person("X1", Pattern.FULL_TIME)], weeks=1)
    problem = dataclasses.replace(problem, team=dataclasses.replace(problem.team, name=LONG_TEAM))
    team = write_team_workbook(tmp_path / "team.xlsx", problem)
    assert run("rota", "plan", team, "--out", tmp_path / "rota.xlsx").exit_code == 0
    book = load_workbook(tmp_path / "rota.xlsx")
    for name in ("Rota", "Summary", "Checks"):
        assert book[name].column_dimensions["A"].width > len(LONG_TEAM), name


def test_summary_numbers_have_units_and_room(written):
    sheet = load_workbook(written["rota.xlsx"])["Summary"]
    headers = [c.value for c in sheet[1]]
    hours, per_day = headers.index("Hours per week") + 1, headers.index("Hours per working day")
    cell = sheet.cell(2, hours)
    assert cell.value == 37 and cell.number_format == '0" h"'
    assert {sheet.cell(r, per_day + 1).value for r in range(2, 14)} >= {"8 h 13 min", "7 h 24 min"}
    for column in range(hours, hours + 10):
        assert sheet.cell(2, column).alignment.horizontal == "center"
    assert hours_and_minutes(37 / 4) == "9 h 15 min" and hours_and_minutes(7.0) == "7 h"


def test_template_instructions_fit_the_printed_page(written):
    sheet = load_workbook(written["service"])["Instructions"]
    width = sheet.column_dimensions["A"].width
    for (cell,) in sheet.iter_rows(max_col=1):
        assert cell.alignment.wrap_text and len(cell.value or "") <= width
    assert sheet.sheet_properties.pageSetUpPr.fitToPage


# One solve time on every sheet; goals in the README's words; plurals.


def test_one_solve_time_on_every_sheet(written):
    book = load_workbook(written["replanned.xlsx"])
    found = {
        name: {
            m
            for row in book[name].iter_rows(values_only=True)
            for v in row
            if isinstance(v, str)
            for m in re.findall(r"solved in [\d.]+ s", v)
        }
        for name in ("Rota", "Summary", "Checks", "Changes")
    }
    times = set().union(*found.values())
    assert len(times) == 1 and all(found.values()), found


def test_every_goal_on_the_summary_is_in_the_readme(written):
    readme = (ROOT / "README.md").read_text()
    sheet = load_workbook(written["replanned.xlsx"])["Summary"]
    goals = [
        re.match(r"\s*\d+\. (.*): -?\d+$", v).group(1)
        for (v,) in sheet.iter_rows(max_col=1, values_only=True)
        if isinstance(v, str) and re.match(r"\s*\d+\. ", v)
    ]
    assert len(goals) >= 9  # eight goals and the re-plan's own, at least
    assert all(goal in readme for goal in goals), goals
    assert all(words in readme for words in GOAL_WORDS.values())


def test_counts_say_1_change_and_1_duty_day(written, tmp_path):
    assert plural(1, "change") == "1 change" and plural(2, "change") == "2 changes"
    assert plural(1, "duty day") == "1 duty day" and plural(0, "team-day") == "0 team-days"
    assert "1 change (see the Changes sheet)" in written["replan output"]
    hand = tmp_path / "one.xlsx"
    book = Workbook()
    days = [dt.date(2027, 4, 5) + dt.timedelta(days=i) for i in range(5)]
    book.active.append(["ID", "Name", "Pattern", *days])
    book.active.append(["P1", "Pat", "9DF", "D", "", "", "", ""])
    book.save(hand)
    result = run("rota", "ics", hand, "--out", tmp_path / "cal")
    assert result.exit_code == 0, result.output
    assert "0 flexi days off, 1 duty day." in result.output


# Capacity per team; the all-clear heatmap.


@pytest.fixture
def small_service(tmp_path, make):
    teams = []
    for name, leave_day in (("North", 1), ("South and East Locality", 3)):
        staff = [make.person(f"{name[0]}{i}", senior=i == 1) for i in range(1, 5)]
        day = make.monday + dt.timedelta(days=leave_day)
        problem = make.problem(staff, min_present=2, leave=[Leave(staff[1].id, day, day)])
        teams.append(
            dataclasses.replace(problem, team=dataclasses.replace(problem.team, name=name))
        )
    service = Service(
        "Small service",
        teams,
        frozenset(t.team.name for t in teams),
        {t.team.name: 1 for t in teams},
        DutyRules(generate=True, unit=DutyUnit.WEEK),
    )
    return write_service_workbook(tmp_path / "service.xlsx", service)


def test_capacity_of_a_service_is_a_table_per_team_in_aligned_columns(small_service):
    result = run("rota", "capacity", small_service, "--time-limit", 10)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    headings = [i for i, line in enumerate(lines) if line.startswith("Day  Week  More could")]
    assert len(headings) == 2
    assert [lines[i - 4].split(",")[0] for i in headings] == ["North", "South and East Locality"]
    for start in headings:
        heading, rows = lines[start], lines[start + 1 : start + 11]
        assert [r.split()[:2] for r in rows] == [
            [d, w] for d in ("Mon", "Tue", "Wed", "Thu", "Fri") for w in "AB"
        ]
        end = heading.index("More could be off") + len("More could be off")
        assert all(r[end - 1].isdigit() and r[end] == " " for r in rows)  # under its heading


def test_aligned_table_puts_numbers_right_and_words_left():
    lines = aligned_table(("Day", "More"), [("Mon", 2), ("Tue", 10), ("Wed", None)])
    assert lines == ["Day  More", "Mon     2", "Tue    10", "Wed     -"]


def test_a_heatmap_without_gaps_says_all_clear():
    days = [dt.date(2027, 4, 5) + dt.timedelta(days=i) for i in range(5)]
    ax = plot_gap_heatmap([], ["North"], days)
    words = " ".join(t.get_text() for t in ax.texts) + ax.get_title(loc="left")
    assert "All clear" in words and "No cover gaps" in words
    assert ax.figure.axes == [ax]  # no colour bar for a scale of nothing


def test_each_team_of_a_service_prints_on_its_own_pages(small_service, tmp_path):
    out = tmp_path / "rota.xlsx"
    assert run("rota", "plan", small_service, "--out", out, "--time-limit", 10).exit_code == 0
    sheet = load_workbook(out)["Rota"]
    breaks = [b.id for b in sheet.row_breaks.brk]
    assert len(breaks) == 1
    assert sheet.cell(breaks[0] - 2, 3).value == "Absent caseload per present worker"
    assert sheet.cell(breaks[0] + 1, 1).value == "South and East Locality"


def test_capacity_workbook_has_a_printable_block_per_team(small_service, tmp_path):
    out = tmp_path / "capacity.xlsx"
    refused = run("rota", "capacity", small_service, "--out", small_service)
    assert refused.exit_code == 2 and "same file as the workbook" in refused.output
    result = run("rota", "capacity", small_service, "--out", out, "--time-limit", 10)
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out)["Capacity"]
    assert (sheet.page_setup.orientation, int(sheet.page_setup.paperSize)) == ("landscape", A4)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_title_rows
    titles = [v for (v,) in sheet.iter_rows(min_col=1, max_col=1, values_only=True) if v]
    teams = [t.split(",")[0] for t in titles if " to " in t]
    assert teams == ["North", "South and East Locality"]
    assert titles.count("Day") == 2
    for row in sheet.iter_rows():
        for cell in row:
            width = sheet.column_dimensions[get_column_letter(cell.column)].width or 8.43
            assert width >= _shown_width(cell), cell.coordinate
