"""A corpus of broken workbooks and paths, as managers make them.

Each case is built from the shipped fixtures with openpyxl in a temporary folder. For each,
``rota check`` and ``rota plan`` exit 2 with the same lines, each mistake located by sheet,
row and column, no output is written and the input is unchanged byte for byte.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import msoffcrypto.format.ooxml
import pytest
import xlwt
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from cli import main

FIXTURES = Path(__file__).parents[3] / "fixtures" / "rota"
TEAM, SERVICE = FIXTURES / "team.xlsx", FIXTURES / "service.xlsx"
SAVE_AS = "open it in Excel and save it as 'Excel Workbook (*.xlsx)'"


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Path], Path]  # builds the input in a folder; returns the path to give
    expect: tuple[str, ...]  # each is part of one line of the output
    code: int = 2
    count: int | None = None  # problems listed, when one mistake must not cascade into more


def edited(source: Path, *edits, name: str = "team.xlsx") -> Callable[[Path], Path]:
    """A copy of ``source`` with each edit applied: (sheet, cell, value) or a function."""

    def make(folder: Path) -> Path:
        path = folder / name
        book = load_workbook(source)
        for edit in edits:
            if callable(edit):
                edit(book)
            else:
                sheet, cell, value = edit
                book[sheet][cell] = value
        book.save(path)
        return path

    return make


def team(*edits):
    return edited(TEAM, *edits)


def service(*edits):
    return edited(SERVICE, *edits, name="service.xlsx")


def written(name: str, data: bytes | Callable[[], bytes]) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data() if callable(data) else data)
        return path

    return make


NONSENSE_SHEET = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<sheetData><row r="1"><c r="A1" t="s"><v>not a number</v></c></row></sheetData>'
    b"</worksheet>"
)


def with_part(part: str, data: bytes) -> bytes:
    """The team fixture with one part of its zip replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(TEAM) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as made:
        for name in source.namelist():
            made.writestr(name, data if name == part else source.read(name))
    return out.getvalue()


def corrupt_compressed() -> bytes:
    """The team fixture with bytes inside a sheet's compressed data flipped."""
    data = bytearray(TEAM.read_bytes())
    start = data.index(b"xl/worksheets/sheet1.xml") + 60
    for at in range(start, start + 8):
        data[at] ^= 0xFF
    return bytes(data)


def encrypted() -> bytes:
    out = io.BytesIO()
    with TEAM.open("rb") as source:
        msoffcrypto.format.ooxml.OOXMLFile(source).encrypt("secret", out)
    return out.getvalue()


def old_xls() -> bytes:
    book = xlwt.Workbook()
    sheet = book.add_sheet("Team")
    sheet.write(0, 0, "Setting")
    sheet.write(0, 1, "Value")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zipped(names: dict[str, str]) -> Callable[[], bytes]:
    def make() -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            for name, text in names.items():
                archive.writestr(name, text)
        return out.getvalue()

    return make


def delete(sheet: str):
    return lambda book: book.remove(book[sheet])


def rename(sheet: str, new: str):
    def edit(book):
        book[sheet].title = new

    return edit


def merge(sheet: str, cells: str):
    return lambda book: book[sheet].merge_cells(cells)


def as_number(sheet: str, cell: str, value: float):
    """A number in a cell formatted as a number: a date typed into a General cell."""

    def edit(book):
        book[sheet][cell] = value
        book[sheet][cell].number_format = "General"

    return edit


def delete_column(sheet: str, column: int):
    return lambda book: book[sheet].delete_cols(column)


def clear_below_header(sheet: str):
    return lambda book: book[sheet].delete_rows(2, book[sheet].max_row)


CSV = "ID,Name,Hours per week\nTM01,Priya Shah,37\n"

FILES = [
    Case("missing_file", lambda folder: folder / "team.xlsx", ("team.xlsx: no such file",)),
    Case("folder_given", lambda folder: folder, ("is a folder, not a workbook",)),
    Case("empty_file", written("team.xlsx", b""), ("team.xlsx: the file is empty (0 bytes)",)),
    Case(
        "zip_not_a_workbook",
        written("team.xlsx", zipped({"notes.txt": "hello"})),
        ("team.xlsx: a zip archive, not an Excel workbook",),
    ),
    Case(
        "word_document_renamed",
        written("team.xlsx", zipped({"[Content_Types].xml": "<x/>", "word/document.xml": "<x/>"})),
        ("team.xlsx: a Word document, not an Excel workbook",),
    ),
    Case(
        "csv_renamed_xlsx",
        written("team.xlsx", CSV.encode()),
        (f"team.xlsx: a text (CSV) file, not an Excel workbook; {SAVE_AS}",),
    ),
    Case(
        "csv_given",
        written("team.csv", CSV.encode("utf-8-sig")),
        (f"team.csv: a text (CSV) file, not an Excel workbook; {SAVE_AS}",),
    ),
    Case(
        "unicode_text_renamed_xlsx",
        written("team.xlsx", CSV.replace(",", "\t").encode("utf-16")),
        ("team.xlsx: a text (CSV) file",),
    ),
    Case(
        "web_page_renamed_xlsx",
        written("team.xlsx", b"<html><body><table></table></body></html>"),
        ("team.xlsx: a web page or XML file, not an Excel workbook",),
    ),
    Case(
        "xls_given",
        written("team.xls", old_xls),
        (f"team.xls: an old Excel 97-2003 (.xls) workbook; {SAVE_AS}",),
    ),
    Case(
        "xls_renamed_xlsx",
        written("team.xlsx", old_xls),
        ("team.xlsx: an old Excel 97-2003 (.xls) workbook",),
    ),
    Case(
        "password_protected",
        written("team.xlsx", encrypted),
        ("team.xlsx: the workbook is password-protected (encrypted), so it cannot be read",),
    ),
    Case(
        "excel_lock_file_given",
        written("~$team.xlsx", b"\x0bPriya Shah" + b"\x00" * 40),
        ("~$team.xlsx: Excel's lock file, left while the workbook is open; give team.xlsx",),
    ),
    Case(
        "truncated_download",
        written("team.xlsx", lambda: TEAM.read_bytes()[:3000]),
        ("team.xlsx: a damaged or incomplete file",),
    ),
    Case(
        "damaged_xml_in_a_sheet",
        written("team.xlsx", lambda: with_part("xl/worksheets/sheet1.xml", b"<worksheet><sheetD")),
        (
            "team.xlsx: the workbook is damaged and cannot be read (its part "
            f"xl/worksheets/sheet1.xml is damaged); {SAVE_AS}",
        ),
        count=1,
    ),
    Case(
        "damaged_xml_in_the_styles",
        written("team.xlsx", lambda: with_part("xl/styles.xml", b"<styleSheet>&&</styleSheet>")),
        ("team.xlsx: the workbook is damaged and cannot be read (its part xl/styles.xml",),
        count=1,
    ),
    Case(
        "nonsense_in_well_formed_xml",
        written("team.xlsx", lambda: with_part("xl/worksheets/sheet1.xml", NONSENSE_SHEET)),
        (f"team.xlsx: the workbook is damaged and cannot be read; {SAVE_AS}",),
        count=1,
    ),
    Case(
        "corrupt_compressed_part",
        written("team.xlsx", corrupt_compressed),
        ("team.xlsx: the workbook is damaged and cannot be read (its part xl/worksheets/",),
        count=1,
    ),
]

SHEETS_AND_COLUMNS = [
    Case(
        "leave_sheet_deleted",
        team(delete("Leave")),
        (
            "team.xlsx: Leave: missing sheet 'Leave'; the workbook has 'Instructions', 'Team', "
            "'Staff', 'Duty'",
        ),
    ),
    Case(
        "duty_sheet_renamed",
        team(rename("Duty", "Duty rota")),
        ("Duty: missing sheet 'Duty'; the workbook has", "'Duty rota'"),
    ),
    Case("staff_sheet_deleted", team(delete("Staff")), ("Staff: missing sheet 'Staff'",)),
    Case(
        "team_sheet_renamed_unicode",
        team(rename("Team", "Équipe – été")),
        ("Team: missing sheet 'Team'", "'Équipe – été'"),
    ),
    Case(
        "teams_sheet_deleted_from_a_service",
        service(delete("Teams")),
        (
            "service.xlsx: Teams: missing sheet 'Teams': the Staff sheet has a Team column, so "
            "this is read as a service workbook",
        ),
    ),
    Case(
        "cover_buddy_column_renamed",
        team(("Staff", "K1", "Buddy")),
        ("Staff, row 1: missing column 'Cover buddy' in the header row (row 1 also has 'Buddy'",),
    ),
    Case(
        "leave_type_column_deleted",
        team(delete_column("Leave", 4)),
        ("Leave, row 1: missing column 'Type' in the header row",),
    ),
    Case(
        "week_commencing_column_renamed",
        team(("Duty", "B1", "Week")),
        ("Duty, row 1: missing column 'Week commencing'",),
    ),
    Case(
        "name_column_twice",
        team(("Staff", "M1", "Name")),
        ("Staff, row 1, column M: column 'Name' appears twice",),
    ),
    Case(
        "service_duty_groups_column_deleted",
        service(delete_column("Teams", 6)),
        ("Teams, row 1: missing column 'Duty groups'",),
    ),
    Case(
        "title_row_typed_above_the_headings",
        team(lambda book: book["Staff"].insert_rows(1), ("Staff", "A1", "Our team, April")),
        ("Staff, row 2: the headings are on row 2; they must be on row 1",),
        count=1,
    ),
    Case(
        "setting_row_deleted",
        team(lambda book: book["Team"].delete_rows(7)),
        ("Team: missing setting 'Minimum senior staff present' in column A",),
    ),
    Case(
        "setting_given_twice",
        team(("Team", "A11", "Minimum staff present"), ("Team", "B11", 3)),
        ("Team, row 11, column A (Setting): 'Minimum staff present' is given twice",),
    ),
    Case(
        "no_staff_left",
        team(clear_below_header("Staff"), clear_below_header("Leave")),
        ("Staff: team Child Protection 2 has no staff",),
    ),
]

COVER = [
    Case(
        "minimum_present_above_headcount",
        team(("Team", "B6", 13)),
        (
            "Team, row 6, column B (Value): minimum staff present is 13, but the team has only "
            "12 staff",
        ),
    ),
    Case(
        "minimum_seniors_above_seniors",
        team(("Team", "B7", 4)),
        (
            "Team, row 7, column B (Value): minimum senior staff present is 4, but the team has "
            "only 3 senior staff",
        ),
    ),
    Case(
        "duty_day_minimum_above_headcount",
        team(("Team", "B8", 14)),
        (
            "Team, row 8, column B (Value): minimum present on duty days is 14, but the team has "
            "only 12 staff",
        ),
    ),
    Case(
        "minimum_present_above_a_weekday_of_part_timers",
        team(("Team", "B6", 12), ("Team", "B8", 12)),
        (
            "Team, row 6, column B (Value): minimum staff present is 12, but only 11 staff work "
            "on Wednesdays",
            "only 11 staff work on Fridays",
        ),
    ),
    Case(
        "duty_day_minimum_above_a_duty_weekday_of_part_timers",
        team(("Team", "B8", 12)),
        (
            "Team, row 8, column B (Value): minimum present on duty days is 12, but only 11 "
            "staff work on Wednesdays",
        ),
        count=3,  # Wednesdays, Thursdays and Fridays, all with duty in the period
    ),
    Case(
        "service_team_minimum_above_headcount",
        service(("Teams", "B3", 12)),
        (
            "Teams, row 3, column B (Minimum staff present): minimum staff present is 12, but the "
            "team has only 11 staff",
        ),
    ),
    Case(
        "service_team_seniors_above_seniors",
        service(("Teams", "C7", 6)),
        (
            "Teams, row 7, column C (Minimum senior staff present): minimum senior staff present "
            "is 6",
        ),
    ),
    Case(
        "service_duty_day_minimum_above_headcount",
        service(("Teams", "D5", 9)),
        (
            "Teams, row 5, column D (Minimum present on duty days): minimum present on duty days "
            "is 9, but the team has only 8 staff",
        ),
    ),
    Case(
        "service_duty_workers_above_headcount",
        service(("Teams", "G2", 20)),
        ("Teams, row 2, column G (Duty workers per duty day): duty workers per duty day is 20",),
    ),
    Case(
        "service_duty_workers_above_the_smallest_duty_group",
        service(("Teams", "G3", 6)),
        (
            "Teams, row 3, column G (Duty workers per duty day): duty workers per duty day is 6, "
            "but Child Protection 1's smallest duty group has 5 of its 11 staff",
        ),
    ),
    Case(
        "service_more_duty_groups_than_staff",
        service(("Teams", "F3", 20)),
        (
            "Teams, row 3, column F (Duty groups): Child Protection 1 cannot be split into 20 duty "
            "groups",
        ),
    ),
]

ROWS = [
    Case(
        "week_a_start_not_a_monday",
        team(("Team", "B5", dt.date(2027, 4, 6))),
        ("Team, row 5, column B (Value): week A start 2027-04-06 is a Tuesday, not a Monday",),
    ),
    Case(
        "period_start_not_a_monday",
        team(("Team", "B3", dt.date(2027, 4, 7))),
        ("Team, row 3, column B (Value): period start 2027-04-07 is a Wednesday",),
    ),
    Case(
        "too_many_weeks",
        team(("Team", "B4", 60)),
        ("Team, row 4, column B (Value): number of weeks must be 1 to 53, got 60",),
    ),
    Case(
        "week_commencing_not_a_monday",
        team(("Duty", "B19", dt.date(2027, 6, 30))),
        (
            "Duty, row 19, column B (Week commencing): found 2027-06-30 (Wednesday); expected a "
            "Monday",
        ),
    ),
    Case(
        "blank_team_name",
        team(("Team", "B2", None)),
        ("Team, row 2, column B (Value): no value for 'Team name'",),
    ),
]

TYPED_DATES = [
    Case(
        "ambiguous_typed_leave_date",
        team(("Leave", "B2", "04/05/2027")),
        (
            "Leave, row 2, column B (First day): found '04/05/2027'; a date typed as text that "
            "could be 4 May 2027 (UK) or 5 April 2027 (US)",
        ),
    ),
    Case(
        "ambiguous_typed_period_start",
        team(("Team", "B3", "05/04/2027")),
        ("Team, row 3, column B (Value): found '05/04/2027'; a date typed as text",),
        count=1,
    ),
    Case(
        "two_digit_year",
        team(("Leave", "C3", "27/04/27")),
        ("Leave, row 3, column C (Last day): found '27/04/27'; a two-digit year",),
    ),
    Case(
        "no_such_date",
        team(("Leave", "B4", "31/02/2027")),
        ("Leave, row 4, column B (First day): found '31/02/2027'; no such date",),
    ),
    Case(
        "date_as_a_number",
        team(as_number("Duty", "A2", 46489)),
        ("Duty, row 2, column A (Date): found '46489'; a number, not a date",),
    ),
    Case(
        "weekday_does_not_match_the_date",
        team(("Leave", "B2", "Tue 19 Apr 2027")),
        (
            "Leave, row 2, column B (First day): found 'Tue 19 Apr 2027'; 19 April 2027 is a "
            "Monday, not a Tue",
        ),
    ),
    Case(
        "words_not_a_date",
        team(("Leave", "C5", "next Friday")),
        ("Leave, row 5, column C (Last day): found 'next Friday'; expected a date",),
    ),
]

MERGED_AND_FORMULAS = [
    Case(
        "merged_cover_buddies",
        team(merge("Staff", "K5:K6")),
        ("Staff, row 5, column K (Cover buddy): cells K5:K6 are merged; unmerge them",),
    ),
    Case(
        "merged_team_column_in_a_service",
        service(merge("Staff", "A2:A4")),
        ("Staff, row 2, column A (Team): cells A2:A4 are merged",),
        count=1,
    ),
    Case(
        "merged_setting_values",
        team(merge("Team", "B6:B7")),
        ("Team, row 6, column B (Value): cells B6:B7 are merged",),
        count=1,
    ),
    Case(
        "formula_without_saved_value_in_staff",
        team(("Staff", "E3", "=36+1")),
        ("Staff, row 3, column E (Hours per week): the formula =36+1 has no saved value",),
    ),
    Case(
        "formula_without_saved_value_in_settings",
        team(("Team", "B6", "=5+2")),
        ("Team, row 6, column B (Value): the formula =5+2 has no saved value",),
        count=1,
    ),
    Case(
        "formula_showing_an_excel_error",
        team(("Staff", "E5", "#REF!")),
        (
            "Staff, row 5, column E (Hours per week): found '#REF!'; a formula that Excel could "
            "not work out",
        ),
    ),
    Case(
        "formula_without_saved_value_in_leave",
        team(("Leave", "C2", "=B2+4")),
        ("Leave, row 2, column C (Last day): the formula =B2+4 has no saved value",),
    ),
]

REFERENCES = [
    Case(
        "duplicate_staff_id",
        team(("Staff", "A3", "TM01")),
        ("Staff, row 3, column A (ID): staff id 'TM01' appears more than once",),
    ),
    Case(
        "duplicate_unicode_staff_id",
        team(("Staff", "A3", "ÉL01"), ("Staff", "A4", "ÉL01"), ("Staff", "B4", "Zoë Åström")),
        ("Staff, row 4, column A (ID): staff id 'ÉL01' appears more than once",),
    ),
    Case(
        "unknown_cover_buddy",
        team(("Staff", "K5", "SW99")),
        ("Staff, row 5, column K (Cover buddy): cover buddy 'SW99' of SW01 is not on the team",),
    ),
    Case(
        "own_cover_buddy",
        team(("Staff", "K5", "SW01")),
        ("Staff, row 5, column K (Cover buddy): SW01 cannot be their own cover buddy",),
    ),
    Case(
        "leave_for_someone_not_on_the_team",
        team(("Leave", "A2", "XX01")),
        ("Leave, row 2, column A (Staff ID): leave for 'XX01', who is not on the team",),
    ),
    Case(
        "leave_outside_the_period",
        team(("Leave", "B3", dt.date(2028, 1, 3)), ("Leave", "C3", dt.date(2028, 1, 4))),
        (
            "Leave, row 3, column B (First day): leave for SW05 (2028-01-03 to 2028-01-04) lies "
            "outside the period",
        ),
    ),
    Case(
        "leave_ends_before_it_starts",
        team(("Leave", "C2", dt.date(2027, 4, 1))),
        ("Leave, row 2, column C (Last day): leave for SP02 ends (2027-04-01) before it starts",),
    ),
    Case(
        "service_leave_under_the_wrong_team",
        service(("Leave", "A2", "Adoption")),
        (
            "Leave, row 2, column A (Team): leave for RA01 is under team 'Adoption'; they are in "
            "Referral and Assessment",
        ),
    ),
    Case(
        "service_staff_in_a_team_not_on_teams",
        service(("Staff", "A2", "Équipe Nord")),
        ("Staff, row 2, column A (Team): team 'Équipe Nord' is not on the Teams sheet",),
        count=1,
    ),
    Case(
        "service_team_listed_twice",
        service(("Teams", "A3", "Referral and Assessment")),
        ("Teams, row 3, column A (Team): team 'Referral and Assessment' is listed twice",),
    ),
    Case(
        "service_unicode_team_without_staff",
        service(
            ("Teams", "A8", "Équipe Nord"),
            ("Teams", "B8", 1),
            ("Teams", "C8", 0),
            ("Teams", "E8", "no"),
        ),
        ("Teams, row 8: team Équipe Nord has no staff",),
    ),
    Case(
        "service_staff_id_in_two_teams",
        service(("Staff", "B14", "RA01")),
        (
            "Staff, row 14, column B (ID): staff id 'RA01' is in both Referral and Assessment "
            "and Child Protection 1",
        ),
    ),
    Case(
        "duty_on_a_saturday",
        team(("Duty", "A2", dt.date(2027, 4, 17))),
        ("Duty, row 2, column A (Date): duty date 2027-04-17 is not a weekday of the period",),
    ),
    Case(
        "duty_week_outside_the_period",
        team(("Duty", "B19", dt.date(2027, 7, 5))),
        (
            "Duty, row 19, column B (Week commencing): duty date 2027-07-05 is not a weekday of "
            "the period",
        ),
    ),
    Case(
        "duty_date_and_week_on_one_row",
        team(("Duty", "B2", dt.date(2027, 4, 12))),
        (
            "Duty, row 2, column B (Week commencing): both a date and a week commencing; give "
            "one or the other",
        ),
    ),
    Case(
        "duty_outside_the_period",
        team(("Duty", "A3", dt.date(2027, 9, 1))),
        ("Duty, row 3, column A (Date): duty date 2027-09-01 is not a weekday of the period",),
    ),
]

BAD_CELLS = [
    Case(
        "weeks_in_words",
        team(("Team", "B4", "thirteen")),
        ("Team, row 4, column B (Value): found 'thirteen'; expected a whole number",),
        count=1,
    ),
    Case(
        "weeks_a_fraction",
        team(("Team", "B4", 13.5)),
        ("Team, row 4, column B (Value): found '13.5'; expected a whole number",),
    ),
    Case(
        "negative_minimum",
        team(("Team", "B6", -1)),
        ("Team, row 6, column B (Value): minimum staff present must be 0 or more, got -1",),
    ),
    Case(
        "unknown_region",
        team(("Team", "B9", "Wales")),
        ("Team, row 9, column B (Value): found 'Wales'; expected one of England and Wales",),
    ),
    Case(
        "unknown_bank_holiday_rule",
        team(("Team", "B10", "swap")),
        ("Team, row 10, column B (Value): found 'swap'; expected one of move, absorb",),
    ),
    Case(
        "hours_in_words",
        team(("Staff", "E4", "lots")),
        ("Staff, row 4, column E (Hours per week): found 'lots'; expected a number",),
    ),
    Case(
        "hours_zero",
        team(("Staff", "E4", 0)),
        ("Staff, row 4, column E (Hours per week): hours for SP02 must be more than 0",),
    ),
    Case(
        "hours_too_many",
        team(("Staff", "E4", 70)),
        (
            "Staff, row 4, column E (Hours per week): hours for SP02 must be more than 0 and at "
            "most 60, got 70",
        ),
    ),
    Case(
        "unknown_pattern",
        team(("Staff", "F3", "Flexi")),
        ("Staff, row 3, column F (Pattern): found 'Flexi'; expected one of Full time, 9DF",),
    ),
    Case(
        "senior_maybe",
        team(("Staff", "D3", "maybe")),
        ("Staff, row 3, column D (Senior): found 'maybe'; expected yes or no",),
    ),
    Case(
        "fixed_day_saturday",
        team(("Staff", "G10", "Sat")),
        ("Staff, row 10, column G (Fixed days off): found 'Sat'; expected weekdays",),
    ),
    Case(
        "preferred_day_twice",
        team(("Staff", "H3", "Mon, Mon")),
        (
            "Staff, row 3, column H (Preferred days (ranked)): preferred days for SP01 repeat a "
            "weekday: Mon, Mon",
        ),
    ),
    Case(
        "standing_day_week_c",
        team(("Staff", "J2", "Fri C")),
        ("Staff, row 2, column J (Agreed standing day): found 'Fri C'; expected a weekday",),
    ),
    Case(
        "standing_day_without_week_for_9df",
        team(("Staff", "J2", "Fri")),
        (
            "Staff, row 2, column J (Agreed standing day): standing day for TM01: 9DF needs "
            "week A or B",
        ),
    ),
    Case(
        "standing_day_for_full_time",
        team(("Staff", "J4", "Mon")),
        (
            "Staff, row 4, column J (Agreed standing day): only 9DF and 4DW workers have a "
            "standing day (SP02)",
        ),
    ),
    Case(
        "part_timer_without_fixed_days",
        team(("Staff", "G10", None)),
        ("Staff, row 10, column G (Fixed days off): part-timer SW06 needs their fixed days off",),
    ),
    Case(
        "fixed_days_for_full_time",
        team(("Staff", "G4", "Wed")),
        ("Staff, row 4, column G (Fixed days off): only part-timers have fixed days off (SP02)",),
    ),
    Case(
        "negative_caseload",
        team(("Staff", "L3", -3)),
        ("Staff, row 3, column L (Caseload): caseload for SP01 must not be negative, got -3",),
    ),
    Case(
        "caseload_in_words",
        team(("Staff", "L3", "many")),
        ("Staff, row 3, column L (Caseload): found 'many'; expected a whole number",),
    ),
    Case(
        "name_left_empty",
        team(("Staff", "B3", None)),
        ("Staff, row 3, column B (Name): empty; a value is required",),
    ),
    Case(
        "unknown_leave_type",
        team(("Leave", "D3", "Jury service")),
        (
            "Leave, row 3, column D (Type): found 'Jury service'; expected one of Annual leave, "
            "Sickness, Training, Other",
        ),
    ),
    Case(
        "sick_typed_for_sickness",
        team(("Leave", "D3", "Sick"), ("Leave", "D4", "Jury service")),
        ("Leave, row 4, column D (Type): found 'Jury service'",),
        count=1,
    ),
    Case(
        "service_shares_duty_perhaps",
        service(("Teams", "E2", "perhaps")),
        ("Teams, row 2, column E (Shares duty): found 'perhaps'; expected yes or no",),
        count=1,
    ),
    Case(
        "service_generate_duty_maybe",
        service(("Team", "B11", "maybe")),
        ("Team, row 11, column B (Value): found 'maybe'; expected yes or no",),
    ),
    Case(
        "service_duty_by_fortnight",
        service(("Team", "B12", "fortnight")),
        ("Team, row 12, column B (Value): found 'fortnight'; expected one of day, week",),
    ),
    Case(
        "service_most_in_a_row_zero",
        service(("Team", "B13", 0)),
        ("Team, row 13, column B (Value): most duty periods in a row must be at least 1",),
    ),
    Case(
        "service_staff_team_left_empty",
        service(("Staff", "A5", None)),
        ("Staff, row 5, column A (Team): empty; a value is required",),
    ),
    Case(
        "many_mistakes_at_once",
        team(
            ("Team", "B5", dt.date(2027, 4, 6)),
            ("Staff", "F3", "Flexi"),
            ("Leave", "B2", "04/05/2027"),
            ("Duty", "A2", "=TODAY()"),
        ),
        (
            "team.xlsx cannot be used (4 problems):",
            "Team, row 5, column B (Value)",
            "Staff, row 3, column F (Pattern)",
            "Leave, row 2, column B (First day)",
            "Duty, row 2, column A (Date): the formula =TODAY()",
        ),
    ),
]

CORPUS = [
    *FILES,
    *SHEETS_AND_COLUMNS,
    *COVER,
    *ROWS,
    *TYPED_DATES,
    *MERGED_AND_FORMULAS,
    *REFERENCES,
    *BAD_CELLS,
]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def snapshot(folder: Path) -> dict[str, bytes | None]:
    return {
        str(p.relative_to(folder)): None if p.is_dir() else p.read_bytes()
        for p in sorted(folder.rglob("*"))
    }


def test_the_corpus_is_large_and_every_case_is_named_once():
    assert len(CORPUS) >= 50
    assert len({case.name for case in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize("case", CORPUS, ids=lambda case: case.name)
def test_check_and_plan_refuse_the_same_mistake_at_its_place(tmp_path, case):
    folder = tmp_path / "inputs"
    folder.mkdir()
    given = case.make(folder)
    before = snapshot(folder)
    checked = run("rota", "check", given)
    assert checked.exit_code == case.code, checked.output
    lines = checked.output.splitlines()
    for expected in case.expect:
        assert any(expected in line for line in lines), (expected, checked.output)
    problems = [line for line in lines if line.startswith("  - ")] or lines
    assert case.count is None or len(problems) == case.count, checked.output
    assert (
        "Traceback" not in checked.output
        and checked.exception is None
        or isinstance(checked.exception, SystemExit)
    )
    out = tmp_path / "out"
    planned = run("rota", "plan", given, "--out", out / "rota.xlsx", "--csv", out / "rota.csv")
    assert planned.exit_code == case.code
    assert planned.output == checked.output  # one validation, the same words
    assert not out.exists()
    assert snapshot(folder) == before  # the input is unchanged, byte for byte


# What is not a mistake: read as meant, exit 0 ---------------------------------------------

FINE = [
    Case(
        "typed_dates_in_uk_order",
        team(
            ("Leave", "B2", "19/04/2027"),
            ("Leave", "C2", "23/04/2027"),
            ("Leave", "B3", "04/05/2027"),
            ("Leave", "C3", "04/05/2027"),
        ),
        ("7 spells of leave",),
        code=0,
    ),
    Case(
        "typed_dates_in_us_order",
        team(("Leave", "B2", "04/19/2027"), ("Leave", "C2", "04/23/2027")),
        ("7 spells of leave",),
        code=0,
    ),
    Case(
        "typed_dates_in_words_and_iso",
        team(
            ("Leave", "B2", "19 April 2027"),
            ("Leave", "C2", "2027-04-23"),
            ("Team", "B3", "Mon 5 Apr 2027"),
        ),
        ("7 spells of leave",),
        code=0,
    ),
    Case(
        "empty_leave_and_duty_sheets",
        team(clear_below_header("Leave"), clear_below_header("Duty")),
        ("0 duty days, 0 spells of leave",),
        code=0,
    ),
    Case(
        "leave_sheet_with_nothing_on_it",
        team(lambda book: book["Leave"].delete_rows(1, book["Leave"].max_row)),
        ("0 spells of leave",),
        code=0,
    ),
    Case(
        "sheet_names_in_lower_case_and_an_extra_unicode_sheet",
        team(
            rename("Leave", "x"),
            rename("x", "leave"),
            lambda book: book.create_sheet("Notes – été"),
        ),
        ("7 spells of leave", "team.xlsx is fine"),
        code=0,
    ),
    Case(
        "unicode_staff_names",
        team(("Staff", "B2", "Zoë Åström-Łukasz"), ("Staff", "B3", "Siobhán Ó Briain")),
        ("12 staff", "team.xlsx is fine"),
        code=0,
    ),
]


@pytest.mark.parametrize("case", FINE, ids=lambda case: case.name)
def test_what_a_manager_may_do_is_read_as_meant(tmp_path, case):
    given = case.make(tmp_path)
    before = given.read_bytes()
    checked = run("rota", "check", given)
    assert checked.exit_code == 0, checked.output
    for expected in case.expect:
        assert expected in checked.output, checked.output
    assert given.read_bytes() == before


# Warnings: printed by check and by plan, exit 0 -------------------------------------------


def test_the_template_left_as_it_is_warns_in_check_and_plan_alike(tmp_path):
    template = tmp_path / "team.xlsx"
    assert run("rota", "template", template).exit_code == 0
    checked = run("rota", "check", template)
    assert checked.exit_code == 0
    warnings = [line for line in checked.output.splitlines() if line.startswith("Warning:")]
    assert warnings == [
        "Warning: team.xlsx: Staff, row 2, column B (Name): the template's example person Alex "
        "Example (SW01) is still here; delete the row (and their leave) unless they are on "
        "the team",
        "Warning: team.xlsx: Team, row 6, column B (Value): every cover minimum of Child "
        "Protection 1 is 0, so the plan may leave nobody in; give the minimum staff present",
    ]
    assert "team.xlsx can be planned, but read the 2 warnings above." in checked.output
    planned = run("rota", "plan", template, "--out", tmp_path / "rota.xlsx", "--time-limit", 5)
    assert planned.exit_code == 0, planned.output
    assert [line for line in planned.output.splitlines() if line.startswith("Warning:")] == (
        warnings
    )


def test_every_minimum_at_zero_warns_with_its_place_in_a_service(tmp_path):
    path = service(("Teams", "B4", 0), ("Teams", "C4", 0), ("Teams", "D4", 0))(tmp_path)
    checked = run("rota", "check", path)
    assert checked.exit_code == 0
    assert (
        "Warning: service.xlsx: Teams, row 4, column B (Minimum staff present): every cover "
        "minimum of Child Protection 2 is 0" in checked.output
    )
    assert "can be planned, but read the" in checked.output


def test_warnings_come_with_the_errors_so_one_pass_shows_everything(tmp_path):
    path = team(("Team", "B8", 5), ("Staff", "E4", "lots"))(tmp_path)
    checked = run("rota", "check", path)
    assert checked.exit_code == 2
    assert "Staff, row 4, column E (Hours per week): found 'lots'" in checked.output
    assert (
        "Warning: team.xlsx: Team, row 8, column B (Value): minimum present on duty days (5) is "
        "below the minimum staff present (7)" in checked.output
    )


# A programming bug is never told as the manager's mistake ---------------------------------


@pytest.mark.parametrize("error", [ValueError, KeyError, TypeError])
def test_a_bug_in_the_reader_is_not_reported_as_a_mistake_in_the_workbook(monkeypatch, error):
    from rota.io import workbook

    def broken(cells, report):
        raise error("a bug, not the manager's mistake")

    monkeypatch.setattr(workbook, "leave_spell", broken)
    result = run("rota", "check", TEAM)
    assert isinstance(result.exception, error)
    assert result.exit_code not in (0, 2)
    assert "cannot be used" not in result.output


def test_a_bug_in_a_cell_parser_is_not_reported_as_a_bad_cell(monkeypatch):
    from rota.io import workbook

    def broken(value):
        raise ValueError("a bug in a parser")

    monkeypatch.setitem(workbook.TEAM_PARSERS, "weeks", broken)
    result = run("rota", "check", TEAM)
    assert isinstance(result.exception, ValueError)
    assert "cannot be used" not in result.output and "expected" not in result.output


WARNINGS = [
    Case(
        "every_minimum_left_at_zero",
        team(("Team", "B6", 0), ("Team", "B7", 0), ("Team", "B8", 0)),
        ("Team, row 6, column B (Value): every cover minimum of Child Protection 2 is 0",),
        code=0,
    ),
    Case(
        "duty_day_minimum_below_the_minimum",
        team(("Team", "B8", 5)),
        (
            "Team, row 8, column B (Value): minimum present on duty days (5) is below the minimum "
            "staff present (7)",
        ),
        code=0,
    ),
    Case(
        "preferred_day_that_cannot_be_taken",
        team(("Staff", "I3", "Fri")),  # SP01 prefers Mon, Fri
        (
            "Staff, row 3, column H (Preferred days (ranked)): Fri is both preferred and a "
            "day SP01 cannot take; it will never be given",
        ),
        code=0,
    ),
    Case(
        "standing_day_that_cannot_be_taken",
        team(("Staff", "I2", "Fri")),
        (
            "Staff, row 2, column J (Agreed standing day): standing day Fri (week B) of TM01 is a "
            "day they cannot take",
        ),
        code=0,
    ),
    Case(
        "settings_left_empty",
        team(("Team", "B7", None), ("Team", "B9", None)),
        (
            "Team, row 7, column B (Value): no value for 'Minimum senior staff present', so 1 "
            "is used",
            "Team, row 9, column B (Value): no value for 'Bank holiday region', so England and "
            "Wales is used",
        ),
        code=0,
    ),
    Case(
        "duty_typed_on_a_bank_holiday",
        team(("Duty", "A19", dt.date(2027, 5, 3))),
        (
            "Duty, row 19, column A (Date): duty on 2027-05-03, a bank holiday (May Day): nobody "
            "works that day",
        ),
        code=0,
    ),
    Case(
        "leave_typed_twice",
        team(
            ("Leave", "A9", "SP02"),
            ("Leave", "B9", dt.date(2027, 4, 22)),
            ("Leave", "C9", dt.date(2027, 4, 26)),
            ("Leave", "D9", "Sickness"),
        ),
        (
            "Leave, row 9, column B (First day): leave for SP02 from 2027-04-22 overlaps their "
            "leave from 2027-04-19 to 2027-04-23 (row 2); check which is right",
        ),
        code=0,
    ),
]


@pytest.mark.parametrize("case", WARNINGS, ids=lambda case: case.name)
def test_what_plans_but_is_probably_not_meant_is_a_located_warning(tmp_path, case):
    given = case.make(tmp_path)
    checked = run("rota", "check", given)
    assert checked.exit_code == 0, checked.output
    warnings = [line for line in checked.output.splitlines() if line.startswith("Warning: ")]
    for expected in case.expect:
        assert any(expected in line for line in warnings), checked.output
    assert len(warnings) == len(case.expect), checked.output
    assert "can be planned, but read the" in checked.output


# Any one cell spoilt: a located message or a good read, never a traceback ----------------

NASTY_VALUES = [
    None,
    "",
    "   ",
    "x",
    "Ω Zoë",
    -1,
    0,
    999,
    1.5,
    True,
    "=1+1",
    "#REF!",
    "31/02/2027",
    "04/05/2027",
    dt.date(2027, 4, 10),
    dt.date(1999, 1, 1),
    "Fri C",
    "Mon, Mon",
]


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    source=st.sampled_from([TEAM, SERVICE]),
    sheet=st.sampled_from(["Team", "Staff", "Duty", "Leave"]),
    row=st.integers(1, 14),
    column=st.integers(1, 13),
    value=st.sampled_from(NASTY_VALUES),
)
def test_any_one_spoilt_cell_is_read_or_refused_with_its_place(
    tmp_path_factory, source, sheet, row, column, value
):
    from rota.io.cells import WorkbookError
    from rota.io.service_workbook import read_any

    path = tmp_path_factory.mktemp("spoilt") / source.name
    edited(source, (sheet, f"{get_column_letter(column)}{row}", value), name=source.name)(
        path.parent
    )
    try:
        read_any(path)
    except WorkbookError as error:  # anything else is a bug, and fails this test
        assert error.problems
        for problem in error.problems:
            assert problem.startswith(f"{source.name}: ") and "\n" not in problem
