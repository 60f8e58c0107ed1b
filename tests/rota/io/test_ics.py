"""Calendars from a rota: parsed back with icalendar and compared with the rota itself."""

import dataclasses
import datetime as dt

import click
import pytest
from click.testing import CliRunner
from icalendar import Calendar
from openpyxl import Workbook, load_workbook

from rota.cli.ics import ics as ics_command
from rota.domain.plan import Status
from rota.io.excel import write_rota
from rota.io.ics import CalendarDay, PersonCalendar, safe_id, to_ical
from rota.io.rotaread import read_rota
from rota.solve.solver import SolveOptions, plan

MONDAY = dt.date(2027, 1, 11)
DAYS = [MONDAY + dt.timedelta(weeks=w, days=d) for w in range(3) for d in range(5)]


def cli(*args):
    group = click.Group("rota")
    group.add_command(ics_command)
    return CliRunner().invoke(group, ["ics", *[str(a) for a in args]])


def events(path) -> list[dict]:
    calendar = Calendar.from_ical(path.read_bytes())
    return [
        {
            "uid": str(event["UID"]),
            "day": event.decoded("DTSTART"),
            "end": event.decoded("DTEND"),
            "summary": str(event["SUMMARY"]),
            "status": str(event["STATUS"]),
            "sequence": int(event["SEQUENCE"]),
        }
        for event in calendar.walk("VEVENT")
    ]


def hand_made(path, rows, days=DAYS):
    """A hand-made rota: ID, Name and Pattern columns, one column per date, no week labels."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Rota"
    sheet.append(["ID", "Name", "Pattern", *days])
    for staff_id, name, pattern, codes in rows:
        sheet.append([staff_id, name, pattern, *[codes.get(d, "") for d in days]])
    book.save(path)
    return path


@pytest.fixture
def rota_path(fixture_team, tmp_path):
    return write_rota(tmp_path / "rota.xlsx", fixture_team, plan(fixture_team, SolveOptions(10)))


def test_calendars_hold_exactly_the_days_off_and_duty_days_of_the_rota(rota_path, tmp_path):
    out = tmp_path / "calendars"
    result = cli(rota_path, "--out", out)
    assert result.exit_code == 0, result.output
    grid = read_rota(rota_path)
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{p.id}.ics" for p in grid.staff)
    for person in grid.staff:
        found = events(out / f"{person.id}.ics")
        for status, summary in (
            (Status.NON_WORKING_DAY, "Flexi day off"),
            (Status.DUTY, "Team on duty"),
        ):
            in_rota = [d for d in grid.days if grid.statuses[person.id, d] is status]
            assert sorted(e["day"] for e in found if e["summary"] == summary) == in_rota
        assert all(e["end"] == e["day"] + dt.timedelta(days=1) for e in found)
    nwd = sum(s is Status.NON_WORKING_DAY for s in grid.statuses.values())
    assert f"Wrote {len(grid.staff)} calendars to {out}: {nwd} flexi days off" in result.output


def test_a_second_run_gives_the_same_files(rota_path, tmp_path):
    assert cli(rota_path, "--out", tmp_path / "one").exit_code == 0
    assert cli(rota_path, "--out", tmp_path / "two").exit_code == 0
    for first in (tmp_path / "one").iterdir():
        assert first.read_bytes() == (tmp_path / "two" / first.name).read_bytes()


def move_a_day(rota_path, new_path, staff_id) -> tuple[dt.date, dt.date]:
    """Move ``staff_id``'s first day off to another working day of the same fortnight."""
    grid = read_rota(rota_path)
    old = next(d for d in grid.days if grid.statuses[staff_id, d] is Status.NON_WORKING_DAY)
    monday = old - dt.timedelta(days=old.weekday())
    new = next(
        d
        for d in grid.days
        if monday <= d < monday + dt.timedelta(days=5) and grid.statuses[staff_id, d] is Status.WORK
    )
    person = next(p for p in grid.staff if p.id == staff_id)
    book = load_workbook(rota_path)
    book["Rota"][f"{grid.day_columns[old]}{person.row}"].value = "W"
    book["Rota"][f"{grid.day_columns[new]}{person.row}"].value = "NWD"
    book.save(new_path)
    return old, new


def test_a_moved_day_keeps_its_event_id(rota_path, tmp_path):
    old_day, new_day = move_a_day(rota_path, tmp_path / "replanned.xlsx", "SW03")
    assert cli(rota_path, "--out", tmp_path / "before").exit_code == 0
    assert cli(tmp_path / "replanned.xlsx", "--out", tmp_path / "after").exit_code == 0
    before = {e["day"]: e for e in events(tmp_path / "before" / "SW03.ics")}
    after = {e["day"]: e for e in events(tmp_path / "after" / "SW03.ics")}
    assert old_day not in after and new_day not in before
    assert after[new_day]["uid"] == before[old_day]["uid"]
    assert after[new_day]["sequence"] >= before[old_day]["sequence"]
    assert {e["uid"] for e in after.values()} == {e["uid"] for e in before.values()}


def test_a_later_rota_has_a_higher_sequence_and_its_stamp(tmp_path):
    day = CalendarDay(MONDAY, Status.NON_WORKING_DAY, "flexi-X-20270111@workwell")
    calendar = PersonCalendar("X", "X", "Team", "X", [day])
    early = dt.datetime(2027, 1, 1, 9, tzinfo=dt.UTC)
    late = early + dt.timedelta(minutes=5)
    for stamp in (early, late):
        (tmp_path / f"{stamp:%H%M}.ics").write_bytes(to_ical(calendar, stamp))
    (first,), (second,) = events(tmp_path / "0900.ics"), events(tmp_path / "0905.ics")
    assert second["sequence"] == first["sequence"] + 5
    assert (
        Calendar.from_ical((tmp_path / "0905.ics").read_bytes())
        .walk("VEVENT")[0]
        .decoded("DTSTAMP")
        == late
    )


def test_previous_rota_cancels_days_that_went(tmp_path):
    before = hand_made(
        tmp_path / "before.xlsx",
        [("SW01", "Aisha Rahman", "9DF", {DAYS[4]: "NWD", DAYS[7]: "D", DAYS[8]: "D"})],
    )
    after = hand_made(tmp_path / "after.xlsx", [("SW01", "Aisha Rahman", "9DF", {DAYS[7]: "D"})])
    out = tmp_path / "out"
    result = cli(after, "--out", out, "--previous", before)
    assert result.exit_code == 0, result.output
    assert "0 flexi days off, 1 duty day, 2 cancelled" in result.output
    found = {e["day"]: e for e in events(out / "SW01.ics")}
    assert found[DAYS[7]]["status"] == "CONFIRMED"
    assert found[DAYS[4]]["status"] == found[DAYS[8]]["status"] == "CANCELLED"
    assert found[DAYS[4]]["summary"] == "Cancelled: flexi day off"
    cli(before, "--out", tmp_path / "old")
    old = {e["day"]: e["uid"] for e in events(tmp_path / "old" / "SW01.ics")}
    assert {d: found[d]["uid"] for d in (DAYS[4], DAYS[8])} == {
        d: old[d] for d in (DAYS[4], DAYS[8])
    }


@pytest.mark.parametrize("week_a, same", [(None, True), ("2027-01-04", False)])
def test_fortnights_follow_week_a(tmp_path, week_a, same):
    """Fri 15 and Mon 18 Jan share a fortnight only if 11 Jan starts a week A. Without week
    labels the rota's first Monday is week A, unless --week-a says otherwise."""
    one = hand_made(tmp_path / "one.xlsx", [("P1", "", "9DF", {DAYS[4]: "NWD"})])
    two = hand_made(tmp_path / "two.xlsx", [("P1", "", "9DF", {DAYS[5]: "NWD"})])
    extra = ["--week-a", week_a] if week_a else []
    assert cli(one, "--out", tmp_path / "a", *extra).exit_code == 0
    assert cli(two, "--out", tmp_path / "b", *extra).exit_code == 0
    (first,), (second,) = events(tmp_path / "a" / "P1.ics"), events(tmp_path / "b" / "P1.ics")
    assert (first["uid"] == second["uid"]) is same


def test_a_pattern_less_person_with_two_days_in_a_fortnight_is_keyed_by_week(tmp_path):
    path = hand_made(tmp_path / "rota.xlsx", [("P1", "", "", {DAYS[0]: "NWD", DAYS[5]: "NWD"})])
    assert cli(path, "--out", tmp_path / "out").exit_code == 0
    uids = [e["uid"] for e in events(tmp_path / "out" / "P1.ics")]
    assert uids == ["flexi-P1-20270111@workwell", "flexi-P1-20270118@workwell"]


def test_file_names_come_from_ids_never_names(tmp_path):
    path = hand_made(tmp_path / "rota.xlsx", [("SW 01/x", "Aisha Rahman", "9DF", {DAYS[0]: "NWD"})])
    assert cli(path, "--out", tmp_path / "out").exit_code == 0
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["SW_01_x.ics"]
    assert safe_id("../etc") == "_etc"


@pytest.mark.parametrize(
    "rows, extra, words",
    [
        ([("SW 01", "", "", {}), ("SW_01", "", "", {})], [], "same calendar file name"),
        ([("P1", "", "", {DAYS[0]: "X"})], [], "row 2, column D: found 'X'"),
        ([("P1", "", "", {})], ["--week-a", "2027-01-12"], "--week-a: 2027-01-12 is a Tuesday"),
        ([("P1", "", "", {})], ["--previous", "missing.xlsx"], "missing.xlsx: no such file"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(tmp_path, rows, extra, words):
    path = hand_made(tmp_path / "rota.xlsx", rows)
    result = cli(path, "--out", tmp_path / "out", *extra)
    assert result.exit_code == 2
    assert words in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_out_must_be_a_folder(tmp_path):
    path = hand_made(tmp_path / "rota.xlsx", [("P1", "", "", {})])
    result = cli(path, "--out", path)
    assert result.exit_code == 2 and "--out " in result.output and "not a folder" in result.output


def test_week_a_is_read_from_the_labels_workwell_writes(make, tmp_path):
    """A period that starts in week B: the rota's 'Week 1 (B)' label puts week A a week earlier."""
    problem = make.problem([make.person("P1"), make.person("P2")], weeks=2)
    problem = dataclasses.replace(
        problem, team=dataclasses.replace(problem.team, week_a_start=make.monday - dt.timedelta(7))
    )
    path = write_rota(tmp_path / "rota.xlsx", problem, plan(problem, SolveOptions(10)))
    rota = read_rota(path)
    week_a, stamp = rota.week_a, rota.saved_at
    assert week_a == make.monday - dt.timedelta(7)
    assert stamp.tzinfo is not None and abs(dt.datetime.now(dt.UTC) - stamp) < dt.timedelta(hours=1)
