"""The shared error type, atomic writes and sheet style."""

import os
import stat

import pytest
from openpyxl import Workbook, load_workbook

from common.errors import InputError, Problem
from common.files import folder, folder_problem, write_atomically, write_text
from common.sheets import header_row, put_text, table_finish


def test_problem_reads_as_a_place_then_the_mistake():
    problem = Problem("not a date", file="team.xlsx", sheet="Leave", row=4, column="B (From)")
    assert str(problem) == "team.xlsx: Leave, row 4, column B (From): not a date"
    assert str(Problem("no file given")) == "no file given"
    assert str(Problem("bad", file="a.csv", row=2)) == "a.csv: row 2: bad"


def test_input_error_lists_every_problem_and_is_not_a_value_error():
    error = InputError(["first", Problem("second", file="f.csv")], warnings=["doubt"])
    assert str(error) == "first\nf.csv: second"
    assert error.warnings == ["doubt"]
    assert not isinstance(error, ValueError)
    assert InputError("one").problems == ["one"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("before")

    def fail(path):
        path.write_text("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_atomically(target, fail)
    assert target.read_text() == "before"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_a_new_file_gets_the_users_umask(tmp_path):
    old = os.umask(0o022)
    try:
        path = write_text(tmp_path / "new.txt", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_a_table_sheet_keeps_formulas_as_text_and_prints_its_header(tmp_path):
    book = Workbook()
    sheet = book.active
    header_row(sheet, 1, ["Name", "Note"])
    put_text(sheet.cell(2, 1), "=1+1")
    table_finish(sheet)
    book.save(tmp_path / "t.xlsx")
    read = load_workbook(tmp_path / "t.xlsx").active
    assert read["A2"].value == "=1+1" and read["A2"].data_type == "s"
    assert read["A1"].font.bold
    assert read.freeze_panes == "A2"
    assert read.auto_filter.ref == "A1:B2"
    assert read.print_title_rows == "$1:$1"
    assert read.page_setup.orientation == "landscape"


def test_an_output_folder_that_cannot_be_made_is_the_users_mistake(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(InputError, match="cannot make the folder .*a-file/out"):
        folder(blocker / "out")
    with pytest.raises(InputError, match="cannot make the folder"):
        write_text(blocker / "out" / "x.txt", "x")
    assert "a-file is a file" in folder_problem(blocker / "out" / "deeper")
    assert folder_problem(tmp_path / "new" / "folder") is None
    assert not (tmp_path / "new").exists()
