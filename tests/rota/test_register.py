"""The register of flexible-working requests: the Act's dates, its warnings, and a manager's
workbook read with every mistake located. Driven through the command, then the files read."""

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from cli import main
from rota.domain.register import (
    Decision,
    RegisteredRequest,
    review,
    statutory_limit,
    year_start,
)
from rota.io.register_book import COLUMNS, write_register_template

TODAY = dt.date(2027, 6, 1)
MAY_1 = dt.date(2027, 5, 1)
REFUSED, GRANTED, WITHDRAWN = Decision.REFUSED, Decision.GRANTED, Decision.WITHDRAWN
HEADERS = list(COLUMNS)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def register_file(folder: Path, rows: list[dict], name="register.xlsx") -> Path:
    """The workwell template, its example row replaced by ``rows`` ({header: value})."""
    path = folder / name
    write_register_template(path)
    book = load_workbook(path)
    sheet = book["Requests"]
    sheet.delete_rows(2)
    for row in rows:
        sheet.append([row.get(header) for header in HEADERS])
    book.save(path)
    return path


def row(staff, received, asked="9DF, Fri week A", **more) -> dict:
    return {"Staff ID": staff, "Date received": received, "What was asked": asked, **more}


@pytest.mark.parametrize(
    "received, limit",
    [
        (dt.date(2027, 4, 6), dt.date(2027, 6, 5)),  # two months beginning with 6 April
        (dt.date(2026, 12, 31), dt.date(2027, 2, 28)),  # no 31 February: end of the month
        (dt.date(2027, 12, 31), dt.date(2028, 2, 29)),  # a leap year
        (dt.date(2027, 1, 1), dt.date(2027, 2, 28)),
    ],
)
def test_the_two_month_limit_counts_the_day_received(received, limit):
    assert statutory_limit(received) == limit


def test_the_twelve_months_end_with_the_day_of_the_request():
    assert year_start(dt.date(2027, 5, 1)) == dt.date(2026, 5, 2)
    assert year_start(dt.date(2028, 2, 29)) == dt.date(2027, 3, 1)


def test_a_third_request_within_twelve_months_is_warned_about_and_not_one_after():
    first = RegisteredRequest(
        "SW01", dt.date(2026, 7, 1), "4DW", "Ann", REFUSED, dt.date(2026, 8, 1)
    )
    second = RegisteredRequest(
        "SW01", dt.date(2027, 1, 10), "9DF", "Ann", WITHDRAWN, dt.date(2027, 1, 20)
    )
    third = RegisteredRequest("sw01", dt.date(2027, 5, 20), "9DF, Mon A", "Ann")
    found = review([first, second, third], TODAY)
    assert [(f.request, f.field, f.warning) for f in found] == [(third, "received", True)]
    assert "request number 3 in 12 months" in found[0].message
    later = RegisteredRequest("SW01", dt.date(2027, 7, 2), "9DF, Mon A", "Ann")  # July 2026 out
    assert review([first, second, later], dt.date(2027, 7, 5)) == []


@pytest.mark.parametrize(
    "received, today, expected",
    [
        (dt.date(2027, 4, 6), dt.date(2027, 5, 22), None),  # 14 days left: not yet
        (dt.date(2027, 4, 6), dt.date(2027, 5, 23), "in 13 days"),
        (dt.date(2027, 4, 6), dt.date(2027, 6, 5), "in 0 days"),  # the last day
        (dt.date(2027, 4, 6), dt.date(2027, 6, 8), "3 days ago"),
    ],
)
def test_a_decision_near_or_past_the_limit_is_warned_about(received, today, expected):
    found = review([RegisteredRequest("SW01", received, "4DW, Fri")], today)
    assert [f.message for f in found if expected and expected in f.message] == [
        f.message for f in found
    ]
    assert len(found) == (expected is not None)
    assert all(f.warning and f.field == "decision" for f in found)


def test_an_appeal_must_be_decided_within_the_limit_too_unless_extended():
    received, lodged = dt.date(2027, 4, 6), dt.date(2027, 5, 10)
    appeal = RegisteredRequest("SW01", received, "4DW", "", REFUSED, MAY_1, appeal_lodged=lodged)
    (found,) = review([appeal], dt.date(2027, 5, 30))
    assert found.field == "appeal_decided" and "Sat 5 Jun 2027" in found.message
    extended = dataclasses.replace(appeal, extended_to=dt.date(2027, 7, 1))
    assert review([extended], dt.date(2027, 5, 30)) == []


def test_a_decided_third_request_is_a_note_and_one_before_april_2024_is_not_checked():
    first = RegisteredRequest("SW01", dt.date(2026, 7, 1), "4DW", "", REFUSED, dt.date(2026, 8, 1))
    second = dataclasses.replace(first, received=dt.date(2026, 7, 20))
    third = dataclasses.replace(first, received=dt.date(2026, 10, 1), decided=dt.date(2026, 11, 1))
    (found,) = review([first, second, third], TODAY)
    assert found.request is third and not found.warning
    old = RegisteredRequest("SW01", dt.date(2024, 4, 5), "4DW")  # no decision, long ago
    (found,) = review([old], TODAY)
    assert not found.warning and "earlier rules applied" in found.message


def test_a_decision_made_late_is_a_note_on_the_record_not_a_warning():
    late = RegisteredRequest("SW01", dt.date(2027, 1, 4), "4DW", "", GRANTED, dt.date(2027, 3, 10))
    (found,) = review([late], TODAY)
    assert not found.warning and "7 days after the limit" in found.message


def test_the_command_locates_each_warning_and_exits_3(tmp_path):
    path = register_file(
        tmp_path,
        [
            row("SW01", dt.date(2026, 9, 1), Decision="Refused", **{"Decision date": "2026-10-01"}),
            row("SW01", "13/01/2027", Decision="Granted", **{"Decision date": dt.date(2027, 2, 1)}),
            row("SW01", dt.date(2027, 5, 20), "9DF, Mon week B"),  # third, waiting
            row("SW02", dt.date(2027, 4, 10), "4DW, Wed"),  # due 9 June: 8 days left
            row("SW03", dt.date(2027, 3, 1), "4DW, Thu"),  # due 30 April: past
            row("SW04", dt.date(2027, 5, 25), "4DW, Mon"),  # fine
        ],
    )
    out = tmp_path / "status.xlsx"
    result = run("rota", "register", path, "--today", "2027-06-01", "--out", out)
    assert result.exit_code == 3, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("register.xlsx: 6 requests from 4 people, 4 waiting")
    warnings = [line for line in lines if line.startswith("Warning")]
    assert len(warnings) == 3
    assert warnings[0].startswith(
        "Warning: register.xlsx: Requests, row 4, column C (Date received): SW01's"
    )
    assert warnings[1].startswith(
        "Warning: register.xlsx: Requests, row 5, column E (Decision): decision due"
    )
    assert "in 8 days" in warnings[1]
    assert warnings[2].startswith(
        "Warning: register.xlsx: Requests, row 6, column E (Decision): no decision"
    )
    assert "32 days ago" in warnings[2]
    status = load_workbook(out)["Status"]
    assert [c.value for c in status[1]][:5] == [
        "Staff ID",
        "Name",
        "Date received",
        "What was asked",
        "Requests in 12 months",
    ]
    assert [status.cell(r, 5).value for r in range(2, 8)] == [1, 2, 3, 1, 1, 1]
    assert status.cell(5, 8).value.date() == dt.date(2027, 6, 9)  # due by
    assert status.cell(5, 9).value == 8  # days left
    assert status.cell(6, 11).value.startswith("Warning: no decision")
    assert status.cell(7, 11).value is None


def test_a_register_with_nothing_to_act_on_exits_0_and_is_never_written(tmp_path):
    path = register_file(tmp_path, [row("SW04", dt.date(2027, 5, 25), "4DW, Mon")])
    before = path.read_bytes()
    result = run("rota", "register", path, "--today", "2027-06-01")
    assert result.exit_code == 0, result.output
    assert "Nothing to act on." in result.output
    assert path.read_bytes() == before
    refused = run("rota", "register", path, "--today", "2027-06-01", "--out", path)
    assert refused.exit_code == 2 and "same file" in refused.output
    assert path.read_bytes() == before


def test_every_mistake_in_the_register_is_located_in_one_pass(tmp_path):
    path = register_file(
        tmp_path,
        [
            row("SW01", "04/05/2027"),  # could be 4 May or 5 April: no other typed date
            row("SW02", "2027-02-30"),  # no such date
            row("SW03", dt.date(2027, 5, 1), Decision="Maybe", **{"Decision date": "soon"}),
            row("SW04", dt.date(2027, 5, 1), Decision="Granted"),  # no decision date
            row(None, dt.date(2027, 5, 2)),  # no staff ID
            row("SW05", dt.date(2027, 5, 3), None),  # nothing said of what was asked
            row("SW06", dt.date(2027, 5, 10), Decision="Refused", **{"Decision date": MAY_1}),
            row("SW07", dt.date(2027, 7, 1)),  # after today
            row("SW08", dt.date(2027, 5, 4)),
            row("SW08", dt.date(2027, 5, 4)),  # typed twice
        ],
    )
    result = run("rota", "register", path, "--today", "2027-06-01")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    expected = [
        "row 2, column C (Date received): found '04/05/2027'; a date typed as text that "
        "could be 4 May 2027 (UK) or 5 April 2027 (US)",
        "row 3, column C (Date received): found '2027-02-30'; no such date",
        "row 4, column E (Decision): found 'Maybe'; expected one of Granted",
        "row 4, column F (Decision date): found 'soon'; expected a date",
        "row 5, column F (Decision date): empty; give the date of the decision",
        "row 6, column A (Staff ID): empty; a value is required",
        "row 7, column D (What was asked): empty; a value is required",
        "row 8, column F (Decision date): Sat 1 May 2027 is before the request was received",
        "row 9, column C (Date received): Thu 1 Jul 2027 is after today",
        "row 11, column D (What was asked): the same request as row 10",
    ]
    for words in expected:
        assert f"register.xlsx: Requests, {words}" in result.output, words
    assert result.output.count("register.xlsx: Requests, row") == len(expected)


def test_typed_dates_that_show_their_order_are_read_that_way(tmp_path):
    path = register_file(
        tmp_path,
        [row("SW01", "04/05/2027"), row("SW02", "19/05/2027")],  # 19/05 shows day-first
    )
    result = run("rota", "register", path, "--today", "2027-06-25")
    assert result.exit_code == 3, result.output  # 4 May: due 3 July, in 8 days
    assert (
        "register.xlsx: Requests, row 2, column E (Decision): decision due by Sat 3 Jul 2027"
        in result.output
    )


def test_a_missing_sheet_or_column_is_refused(tmp_path):
    path = register_file(tmp_path, [row("SW01", dt.date(2027, 5, 4))])
    book = load_workbook(path)
    book["Requests"].delete_cols(5)  # Decision
    book.save(path)
    result = run("rota", "register", path, "--today", "2027-06-01")
    assert result.exit_code == 2
    assert "missing column 'Decision' in the header row" in result.output
    book["Requests"].title = "Sheet1"
    book.save(path)
    result = run("rota", "register", path, "--today", "2027-06-01")
    assert result.exit_code == 2 and "missing sheet 'Requests'" in result.output


def test_the_template_reads_back_with_a_warning_about_its_example(tmp_path):
    path = tmp_path / "register.xlsx"
    assert run("rota", "register-template", path).exit_code == 0
    again = run("rota", "register-template", path)
    assert again.exit_code == 2  # never over a register without --force
    result = run("rota", "register", path)
    assert result.exit_code == 0, result.output
    assert "the template's example row is still here" in result.output
    sheet = load_workbook(path)["Requests"]
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.print_title_rows == "$1:$1"


def test_the_new_commands_have_help_with_an_example_and_the_readme_names_them():
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    for command in ("register-template", "register", "refusal"):
        result = run("rota", command, "--help")
        lines = [line.strip() for line in result.output.splitlines()]
        assert any(line.startswith(f"Example: workwell rota {command} ") for line in lines)
        assert f"workwell rota {command} " in readme
