"""The team workbook: round trip, template, and every kind of bad input reported at once."""

import datetime as dt

import pytest
from openpyxl import load_workbook

from rota.io.cells import CellError, WorkbookError, date, date_order
from rota.io.template import write_team_workbook
from rota.io.workbook import read_team


def test_team_workbook_round_trip(tmp_path, fixture_team):
    path = write_team_workbook(tmp_path / "team.xlsx", fixture_team)
    back = read_team(path)
    assert back.team == fixture_team.team
    assert back.staff == fixture_team.staff
    assert back.duty_days == fixture_team.duty_days
    assert back.leave == fixture_team.leave


def test_template_has_instructions_one_example_row_and_drop_downs(tmp_path):
    path = write_team_workbook(tmp_path / "template.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["Instructions", "Team", "Staff", "Duty", "Leave"]
    for name in ("Staff", "Duty", "Leave"):
        assert book[name].max_row == 2, name
    pattern_lists = [v.formula1 for v in book["Staff"].data_validations.dataValidation]
    assert any("9DF" in f and "4DW" in f for f in pattern_lists if f)
    read_team(path)  # the example itself is valid


def spoil(path, edits):
    book = load_workbook(path)
    for sheet, cell, value in edits:
        book[sheet][cell] = value
    book.save(path)


@pytest.fixture
def workbook(tmp_path, fixture_team):
    return write_team_workbook(tmp_path / "team.xlsx", fixture_team)


def problems_of(path) -> list[str]:
    with pytest.raises(WorkbookError) as error:
        read_team(path)
    return error.value.problems


def test_every_bad_cell_is_reported_in_one_pass_with_its_place(workbook):
    spoil(
        workbook,
        [
            ("Team", "B3", dt.date(2027, 4, 6)),  # a Tuesday
            ("Staff", "F3", "Flexi"),  # unknown pattern
            ("Staff", "E4", "lots"),  # hours not a number
            ("Staff", "G5", "Sat"),  # not a weekday
        ],
    )
    problems = problems_of(workbook)
    joined = "\n".join(problems)
    assert "Staff, row 3, column F (Pattern): found 'Flexi'; expected one of" in joined
    assert "Staff, row 4, column E (Hours per week): found 'lots'; expected a number" in joined
    assert "Staff, row 5, column G (Fixed days off): found 'Sat'" in joined
    assert "Team, row 3, column B (Value): period start 2027-04-06 is a Tuesday" in joined
    assert len(problems) == 4


def test_period_start_not_a_monday(workbook):
    spoil(workbook, [("Team", "B3", dt.date(2027, 4, 6))])
    assert problems_of(workbook) == [
        "team.xlsx: Team, row 3, column B (Value): period start 2027-04-06 is a Tuesday, "
        "not a Monday"
    ]


def test_cross_record_mistakes_name_their_rows(workbook):
    spoil(
        workbook,
        [
            ("Staff", "A3", "TM01"),  # duplicate of row 2
            ("Staff", "K4", "NOBODY"),  # buddy not on the team
            ("Leave", "C2", dt.date(2027, 4, 1)),  # ends before it starts
            ("Leave", "B3", dt.date(2028, 1, 3)),  # outside the period
            ("Leave", "C3", dt.date(2028, 1, 4)),
            ("Duty", "A2", dt.date(2027, 4, 17)),  # a Saturday
        ],
    )
    joined = "\n".join(problems_of(workbook))
    assert "Leave, row 2, column C (Last day): leave for SP02 ends (2027-04-01) before it" in joined
    assert "Staff, row 3, column A (ID): staff id 'TM01' appears more than once" in joined
    assert "Staff, row 4, column K (Cover buddy): cover buddy 'NOBODY'" in joined
    assert "Leave, row 3, column B (First day)" in joined and "outside the period" in joined
    assert "Duty, row 2, column A (Date): duty date 2027-04-17 is not a weekday" in joined


def test_missing_sheet_and_missing_column(workbook):
    book = load_workbook(workbook)
    book["Staff"]["F1"] = "Working pattern?"
    del book["Team"]
    book.save(workbook)
    joined = "\n".join(problems_of(workbook))
    assert "Team: missing sheet" in joined


def test_missing_required_column(workbook):
    spoil(workbook, [("Staff", "F1", "Working pattern?")])
    assert problems_of(workbook) == [
        "team.xlsx: Staff, row 1: missing column 'Pattern' in the header row "
        "(row 1 also has 'Working pattern?', which the planner does not read)"
    ]


def test_not_an_xlsx_workbook(tmp_path):
    path = tmp_path / "team.xlsx"
    path.write_text("ID,Name\n1,Alex\n")
    assert problems_of(path) == [
        "team.xlsx: a text (CSV) file, not an Excel workbook; "
        "open it in Excel and save it as 'Excel Workbook (*.xlsx)'"
    ]


def test_missing_file(tmp_path):
    assert "no such file" in problems_of(tmp_path / "nope.xlsx")[0]


@pytest.mark.parametrize(
    "typed, order, expected",
    [
        ("2027-05-17", None, dt.date(2027, 5, 17)),
        ("17/05/2027", None, dt.date(2027, 5, 17)),  # UK: only day-first is a date
        ("05/17/2027", None, dt.date(2027, 5, 17)),  # US: only month-first is a date
        ("05/05/2027", None, dt.date(2027, 5, 5)),  # the same either way
        ("17 May 2027", None, dt.date(2027, 5, 17)),
        ("Mon 17 May 2027", None, dt.date(2027, 5, 17)),
        ("May 17, 2027", None, dt.date(2027, 5, 17)),
        ("04/05/2027", "UK", dt.date(2027, 5, 4)),  # the file's other dates are day-first
        ("04/05/2027", "US", dt.date(2027, 4, 5)),
    ],
)
def test_dates_typed_as_text_in_each_form(typed, order, expected):
    assert date(typed, order) == expected


@pytest.mark.parametrize(
    "typed, words",
    [
        ("04/05/2027", "could be 4 May 2027 (UK) or 5 April 2027 (US)"),
        ("4/5/27", "two-digit year"),
        ("30/02/2027", "no such date"),
        ("Tue 17 May 2027", "17 May 2027 is a Monday, not a Tue"),
        ("soon", "expected a date"),
        (46500, "a number, not a date"),
    ],
)
def test_ambiguous_or_impossible_typed_dates_are_refused(typed, words):
    with pytest.raises(CellError, match=words.replace("(", r"\(").replace(")", r"\)")):
        date(typed)


def test_date_order_is_read_from_the_typed_dates_that_show_it():
    assert date_order(["04/05/2027", "19/04/2027"]) == "UK"
    assert date_order(["04/05/2027", "04/19/2027"]) == "US"
    assert date_order(["04/05/2027", "03/01/2027"]) is None  # all 12 or below: cannot tell
    assert date_order(["19/04/2027", "04/19/2027"]) is None  # the file disagrees with itself
