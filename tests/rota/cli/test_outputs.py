"""A manager's work is never lost: every writing command refuses an output that is an input,
two outputs that are one file, and a folder it cannot write; dates as the workbook takes
them; a rota workwell planned carries its rules, so gaps needs no --rules."""

import dataclasses
import datetime as dt
import errno
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from cli import main
from rota.cli.params import parse_date
from rota.domain.problem import Pattern
from rota.domain.service import DutyRules, DutyUnit, Service
from rota.io.cells import CellError
from rota.io.files import ignores_case, path_key, same_file
from rota.io.planned_with import PREFIX, rules_in_rota
from rota.io.service_workbook import read_any, write_service_workbook
from rota.io.template import write_team_workbook

ROOT = Path(__file__).parents[3]
TEAM = ROOT / "fixtures" / "rota" / "team.xlsx"
HANDMADE = ROOT / "fixtures" / "rota" / "handmade_rota.xlsx"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def one_clean_line(result, code=2) -> str:
    """The command refused with ``code``, in one line, without a traceback."""
    assert result.exit_code == code, result.output
    assert (
        "Traceback" not in result.output
        and result.exception is None
        or isinstance(result.exception, SystemExit)
    )
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    return lines[0]


@pytest.fixture
def small_team(tmp_path, make):
    """A four-person team workbook over two weeks: plans in well under a second."""
    staff = [
        make.person("A1", senior=True, preferred_days=(4,)),
        make.person("A2", Pattern.FOUR_DAY_WEEK, preferred_days=(0,)),
        make.person("A3", Pattern.FULL_TIME),
        make.person("A4", Pattern.FULL_TIME, senior=True),
    ]
    return write_team_workbook(tmp_path / "team.xlsx", make.problem(staff, min_present=2))


@pytest.fixture(scope="module")
def planned(tmp_path_factory):
    """The shipped team planned once by the command: (folder, rota path)."""
    folder = tmp_path_factory.mktemp("planned")
    rota = folder / "rota.xlsx"
    result = run("rota", "plan", TEAM, "--out", rota, "--time-limit", 20)
    assert result.exit_code == 0, result.output
    return folder, rota


# Never overwrite what the manager typed.


@pytest.mark.parametrize("option", ["--out", "--csv"])
def test_plan_refuses_to_write_over_its_own_workbook(small_team, option):
    before = small_team.read_bytes()
    args = ["--out", small_team.parent / "rota.xlsx", "--csv", small_team.parent / "rota.csv"]
    args[args.index(option) + 1] = small_team
    line = one_clean_line(run("rota", "plan", small_team, *args))
    assert "same file as the workbook" in line and option in line
    assert small_team.read_bytes() == before
    assert sorted(p.name for p in small_team.parent.iterdir()) == ["team.xlsx"]


def test_plan_sees_through_a_link_and_a_dotted_path(small_team):
    link = small_team.parent / "rota-link.xlsx"
    link.symlink_to(small_team)
    before = small_team.read_bytes()
    for out in (link, small_team.parent / "." / ".." / small_team.parent.name / "team.xlsx"):
        assert "same file" in one_clean_line(run("rota", "plan", small_team, "--out", out))
    assert small_team.read_bytes() == before


def test_plan_refuses_two_outputs_that_are_one_file(small_team):
    out = small_team.parent / "rota.xlsx"
    line = one_clean_line(run("rota", "plan", small_team, "--out", out, "--csv", out))
    assert "--out" in line and "--csv" in line and "are the same file" in line
    assert not out.exists()


def test_replan_refuses_to_overwrite_the_rota_or_the_rules(planned):
    folder, rota = planned
    before = rota.read_bytes(), TEAM.read_bytes()
    for out, words in ((rota, "the rota"), (TEAM, "the rules workbook")):
        result = run(
            "rota", "replan", rota, "--rules", TEAM, "--absent", "SP01:2027-05-17:2027-05-21",
            "--out", out,
        )  # fmt: skip
        assert words in one_clean_line(result)
    assert (rota.read_bytes(), TEAM.read_bytes()) == before


def test_gaps_refuses_a_folder_where_its_report_would_replace_the_rota(planned, tmp_path):
    _, rota = planned
    inside = tmp_path / "gaps.xlsx"
    inside.write_bytes(rota.read_bytes())
    line = one_clean_line(run("rota", "gaps", inside, "--out", tmp_path))
    assert "gaps.xlsx is the same file as the rota" in line
    assert inside.read_bytes() == rota.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gaps.xlsx"]


def test_ics_refuses_a_file_for_its_folder_and_a_missing_parent(planned, tmp_path):
    _, rota = planned
    assert "not a folder" in one_clean_line(run("rota", "ics", rota, "--out", rota))
    line = one_clean_line(run("rota", "ics", rota, "--out", tmp_path / "no" / "such"))
    assert "does not exist" in line and str(tmp_path / "no") in line


def test_template_keeps_an_existing_workbook_unless_forced(small_team):
    before = small_team.read_bytes()
    line = one_clean_line(run("rota", "template", small_team))
    assert "already exists" in line and "--force" in line
    assert small_team.read_bytes() == before
    assert run("rota", "template", small_team, "--force").exit_code == 0
    assert small_team.read_bytes() != before
    assert load_workbook(small_team)["Staff"]["B2"].value == "Alex Example"


@pytest.mark.parametrize(
    "where, words",
    [
        (lambda tmp: tmp / "missing" / "rota.xlsx", "does not exist"),
        (lambda tmp: tmp, "is a folder"),
        (lambda tmp: tmp / "team.xlsx" / "rota.xlsx", "is a file, not a folder"),
        (lambda tmp: tmp / ("x" * 300 + ".xlsx"), "cannot use this path"),
    ],
)
def test_an_output_that_cannot_be_written_is_one_line_and_exit_2(small_team, where, words):
    out = where(small_team.parent)
    for command in (["plan", small_team, "--out", out], ["template", out]):
        line = one_clean_line(run("rota", *command))
        assert words in line and "Nothing written" in line


def test_a_write_that_fails_after_the_checks_is_one_line_too(small_team, monkeypatch):
    def full_disk(*_):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("common.files.os.replace", full_disk)
    out = small_team.parent / "rota.xlsx"
    line = one_clean_line(run("rota", "plan", small_team, "--out", out))
    assert "No space left on device" in line and str(out) in line
    assert sorted(p.name for p in small_team.parent.iterdir()) == ["team.xlsx"]


def test_a_folder_nobody_may_write_in_is_refused(small_team, tmp_path):
    # Root may write in any folder whose mode says no, but not in /sys: use that there.
    if os.geteuid() == 0:
        locked = Path("/sys")
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o555)
    out = locked / "rota.xlsx"
    line = one_clean_line(run("rota", "plan", small_team, "--out", out))
    assert str(out) in line and "cannot write" in line
    assert not out.exists()


def test_outputs_follow_the_umask_and_keep_a_replaced_files_permissions(small_team):
    out = small_team.parent / "rota.xlsx"
    old = os.umask(0o027)
    try:
        assert run("rota", "plan", small_team, "--out", out).exit_code == 0
        assert out.stat().st_mode & 0o777 == 0o640
        out.chmod(0o664)
        assert run("rota", "plan", small_team, "--out", out).exit_code == 0
        assert out.stat().st_mode & 0o777 == 0o664
    finally:
        os.umask(old)


def test_paths_compare_through_links_and_by_case_where_the_system_ignores_it(tmp_path):
    a = tmp_path / "Team.xlsx"
    assert path_key(a, case_insensitive=True) == path_key(tmp_path / "team.XLSX", True)
    assert path_key(a, case_insensitive=False) != path_key(tmp_path / "team.XLSX", False)
    assert not ignores_case(tmp_path)  # Linux file systems mind case
    a.write_text("x")
    assert not same_file(a, tmp_path / "team.xlsx")
    (tmp_path / "link.xlsx").symlink_to(a)
    assert same_file(a, tmp_path / "link.xlsx")


# Dates on the command line: 2027-05-17 and 17/05/2027, nothing guessed.


def test_dates_in_both_of_the_workbooks_forms_and_nothing_ambiguous():
    assert parse_date("2027-05-17") == parse_date("17/05/2027") == dt.date(2027, 5, 17)
    assert parse_date("7/5/2027") == dt.date(2027, 5, 7)
    for words, why in (
        ("05/17/2027", "month-first"),
        ("17/05/27", "not a date"),
        ("27-05-17", "not a date"),
        ("17-05-2027", "not a date"),
        ("31/02/2027", "not a real date"),
        ("17 May", "not a date"),
    ):
        with pytest.raises(CellError, match=why):
            parse_date(words)


def test_replan_takes_day_first_dates_and_refuses_month_first(planned, tmp_path):
    _, rota = planned
    common = ["rota", "replan", rota, "--rules", TEAM]
    iso = run(*common, "--absent", "SP01:2027-05-17:2027-05-21", "--out", tmp_path / "a.xlsx")
    uk = run(*common, "--absent", "SP01:17/05/2027:21/05/2027", "--out", tmp_path / "b.xlsx")
    assert iso.exit_code == uk.exit_code == 0, uk.output
    assert iso.output.replace("a.xlsx", "b.xlsx") == uk.output
    wrong = run(*common, "--absent", "SP01:05/17/2027:05/21/2027", "--out", tmp_path / "c.xlsx")
    assert wrong.exit_code == 2 and "month-first" in wrong.output
    bad_from = run(*common, "--from", "17/05/27", "--out", tmp_path / "d.xlsx")
    assert bad_from.exit_code == 2 and "not a date" in bad_from.output
    assert not (tmp_path / "c.xlsx").exists() and not (tmp_path / "d.xlsx").exists()


def test_ics_week_a_takes_a_day_first_date(planned, tmp_path):
    _, rota = planned
    result = run("rota", "ics", rota, "--out", tmp_path / "cal", "--week-a", "05/04/2027")
    assert result.exit_code == 0, result.output
    refused = run("rota", "ics", rota, "--out", tmp_path / "cal2", "--week-a", "04/13/2027")
    assert refused.exit_code == 2 and "month-first" in refused.output


# The rota carries the rules it was planned with.


@pytest.fixture
def small_service(tmp_path, make):
    """Two small teams taking turns on duty, week by week, one of them in two groups."""
    teams = []
    for name in ("North", "South"):
        staff = [make.person(f"{name[0]}{i}", senior=i == 1) for i in range(1, 5)]
        problem = make.problem(staff, min_present=2)
        teams.append(
            dataclasses.replace(problem, team=dataclasses.replace(problem.team, name=name))
        )
    service = Service(
        "Small service",
        teams,
        frozenset({"North", "South"}),
        {"North": 2, "South": 1},
        DutyRules(generate=True, unit=DutyUnit.WEEK),
    )
    return write_service_workbook(tmp_path / "service.xlsx", service)


@pytest.mark.parametrize("kind", ["team", "service"])
def test_the_rota_carries_exactly_the_rules_it_was_planned_with(
    kind, small_team, small_service, tmp_path
):
    rules = small_team if kind == "team" else small_service
    rota = tmp_path / "rota.xlsx"
    assert run("rota", "plan", rules, "--out", rota, "--time-limit", 20).exit_code == 0
    book = load_workbook(rota)
    carried = [name for name in book.sheetnames if name.startswith(PREFIX)]
    assert carried and all(book[name].sheet_state == "hidden" for name in carried)
    assert all(book[name].protection.sheet for name in carried)
    assert rules_in_rota(rota, book) == read_any(rules)


def test_gaps_on_a_workwell_rota_needs_no_rules_and_agrees_with_them(planned, tmp_path):
    _, rota = planned
    alone = run("rota", "gaps", rota, "--out", tmp_path / "alone")
    given = run("rota", "gaps", rota, "--rules", TEAM, "--out", tmp_path / "given")
    assert alone.exit_code == given.exit_code == 0, alone.output
    assert "the rules rota.xlsx was planned with" in alone.output
    words = [re.sub(r"Rules: [^;]*;|in /\S+", "", r.output) for r in (alone, given)]
    assert words[0] == words[1]


def test_a_hand_made_rota_still_needs_rules_and_says_so(tmp_path):
    line = run("rota", "gaps", HANDMADE, "--out", tmp_path / "out")
    assert line.exit_code == 2
    assert "carries no rules" in line.output and "--rules" in line.output
    assert not (tmp_path / "out").exists()


def test_rules_edited_badly_in_the_rota_are_reported_not_guessed(planned, tmp_path):
    _, rota = planned
    book = load_workbook(rota)
    book[PREFIX + "Staff"]["E2"] = "many"  # hours per week
    edited = tmp_path / "edited.xlsx"
    book.save(edited)
    result = run("rota", "gaps", edited, "--out", tmp_path / "out")
    assert result.exit_code == 2 and "edited (rules it was planned with).xlsx" in result.output
    assert "Staff, row 2" in result.output


def test_a_rota_without_rules_sheets_reads_as_hand_made(tmp_path):
    book = Workbook()
    book.active.append(["ID", dt.date(2027, 4, 5)])
    book.active.append(["P1", "W"])
    book.save(tmp_path / "plain.xlsx")
    assert rules_in_rota(tmp_path / "plain.xlsx", load_workbook(tmp_path / "plain.xlsx")) is None


# Done when: the README's exit-code table.


def test_the_readme_exit_code_table_covers_every_code_the_commands_use():
    from rota.cli import support as cli_support

    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("## Exit codes") :]
    codes = {int(c) for c in re.findall(r"^\| (\d) \|", table, re.MULTILINE)}
    assert codes >= {0, 1, 2, 3, 4, 5}
    assert cli_support.TIMED_OUT == 5
    assert "no rota found within the time limit" in table


def test_replan_of_a_workwell_rota_needs_no_rules_either(planned, tmp_path):
    _, rota = planned
    absent = ["--absent", "SP01:2027-05-17:2027-05-21"]
    alone = run("rota", "replan", rota, *absent, "--out", tmp_path / "a.xlsx")
    given = run("rota", "replan", rota, "--rules", TEAM, *absent, "--out", tmp_path / "b.xlsx")
    assert alone.exit_code == given.exit_code == 0, alone.output
    assert alone.output.replace("a.xlsx", "b.xlsx") == given.output
    line = one_clean_line(run("rota", "replan", HANDMADE, *absent, "--out", tmp_path / "c.xlsx"))
    assert "carries no rules" in line and "--rules" in line
