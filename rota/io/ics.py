"""One iCalendar file per person from a rota workbook: flexi days off and duty days.

Event ids (UIDs) are stable, so importing the calendar of a re-planned rota updates the
events already imported rather than adding copies:

- a flexi day off is keyed by the person and the week (4DW) or A/B fortnight (9DF) it
  belongs to, so a day that moves within its week or fortnight keeps its event;
- a duty day is keyed by the person and the date.

Every event carries DTSTAMP and SEQUENCE taken from the rota workbook's last-saved time,
so a later rota's events supersede an earlier one's. Given the previous rota, events that
have gone (a day off no longer taken that fortnight, a duty day moved away) are sent as
cancelled; without it, the calendar cannot know what was imported before.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from icalendar import Calendar, Event

from common.errors import InputError
from common.files import write_atomically
from rota.domain.plan import Status
from rota.domain.rota import Rota

SUMMARIES = {Status.NON_WORKING_DAY: "Flexi day off", Status.DUTY: "Team on duty"}
SEQUENCE_EPOCH = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
UID_DOMAIN = "workwell"


@dataclass(frozen=True)
class CalendarDay:
    """One all-day event of one person's calendar."""

    day: dt.date
    status: Status
    uid: str
    cancelled: bool = False

    def __post_init__(self):
        if self.status not in SUMMARIES:
            raise ValueError(f"calendar days are days off or duty days, not {self.status.value}")
        if not self.uid:
            raise ValueError(f"event on {self.day} needs a uid")

    @property
    def summary(self) -> str:
        words = SUMMARIES[self.status]
        return f"Cancelled: {words.lower()}" if self.cancelled else words


@dataclass
class PersonCalendar:
    staff_id: str
    name: str
    team: str
    file_name: str
    days: list[CalendarDay] = field(default_factory=list)

    def __post_init__(self):
        uids = [d.uid for d in self.days]
        if len(set(uids)) != len(uids):
            raise ValueError(f"calendar of {self.staff_id} holds an event id twice")

    def count(self, status: Status) -> int:
        return sum(d.status is status and not d.cancelled for d in self.days)


def safe_id(staff_id: str) -> str:
    """The staff id with anything but letters, digits, '.', '_' and '-' made '_'."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", staff_id.strip()).strip(".") or "_"


def calendars(grid: Rota, week_a: dt.date, previous: Rota | None = None) -> list[PersonCalendar]:
    """Each person's days off and duty days; with ``previous`` (an earlier rota), the
    events it held that this one no longer does are added as cancelled."""
    _check_file_names(grid)
    out = []
    for person in grid.staff:
        days = person_days(grid, person.id, person.pattern, week_a)
        if previous is not None:
            days += _cancelled(previous, person.id, week_a, {d.uid for d in days})
        days.sort(key=lambda d: (d.day, d.uid))
        out.append(PersonCalendar(person.id, person.name, person.team, safe_id(person.id), days))
    return out


def person_days(grid: Rota, staff_id: str, pattern: str, week_a: dt.date):
    """Days off (one stable id per week or fortnight) and duty days (one per date)."""
    nwd = [d for d in grid.days if grid.statuses[staff_id, d] is Status.NON_WORKING_DAY]
    span = _span(pattern, nwd, week_a)
    days, used = [], set()
    for day in nwd:
        uid = _unique(f"flexi-{safe_id(staff_id)}-{_period_start(day, span, week_a):%Y%m%d}", used)
        days.append(CalendarDay(day, Status.NON_WORKING_DAY, uid))
    for day in grid.days:
        if grid.statuses[staff_id, day] is Status.DUTY:
            uid = _unique(f"duty-{safe_id(staff_id)}-{day:%Y%m%d}", used)
            days.append(CalendarDay(day, Status.DUTY, uid))
    return days


def _span(pattern: str, nwd: list[dt.date], week_a: dt.date) -> int:
    """Weeks per day off: from the Pattern column, else 1 if any fortnight holds two days."""
    words = pattern.upper().replace(" ", "")
    if "9DF" in words or "NINEDAY" in words:
        return 2
    if "4DW" in words or "FOURDAY" in words:
        return 1
    fortnights = [_period_start(d, 2, week_a) for d in nwd]
    return 1 if len(set(fortnights)) < len(fortnights) else 2


def _period_start(day: dt.date, weeks: int, week_a: dt.date) -> dt.date:
    monday = day - dt.timedelta(days=day.weekday())
    if weeks == 1:
        return monday
    return monday - dt.timedelta(weeks=((monday - week_a).days // 7) % 2)


def _unique(stem: str, used: set[str]) -> str:
    """A second day off in one period (a hand-made rota) gets its own id."""
    uid, n = f"{stem}@{UID_DOMAIN}", 1
    while uid in used:
        n += 1
        uid = f"{stem}-{n}@{UID_DOMAIN}"
    used.add(uid)
    return uid


def _cancelled(previous: Rota, staff_id: str, week_a: dt.date, uids):
    person = next((p for p in previous.staff if p.id == staff_id), None)
    if person is None:
        return []
    return [
        CalendarDay(d.day, d.status, d.uid, cancelled=True)
        for d in person_days(previous, staff_id, person.pattern, week_a)
        if d.uid not in uids
    ]


def _check_file_names(grid: Rota) -> None:
    seen: dict[str, object] = {}
    problems = []
    for person in grid.staff:
        name = safe_id(person.id).lower()
        if name in seen:
            problems.append(
                f"{grid.source}: row {person.row}: staff id {person.id!r} gives the same "
                f"calendar file name as {seen[name].id!r} (row {seen[name].row})"
            )
        seen[name] = person
    if problems:
        raise InputError(problems)


def to_ical(calendar: PersonCalendar, stamp: dt.datetime) -> bytes:
    """The calendar as iCalendar bytes; ``stamp`` (UTC) sets DTSTAMP and SEQUENCE."""
    stamp = stamp.astimezone(dt.UTC).replace(microsecond=0)
    sequence = max(int((stamp - SEQUENCE_EPOCH).total_seconds() // 60), 0)
    cal = Calendar()
    cal.add("prodid", "-//workwell//rota calendar//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"Rota: {calendar.name or calendar.staff_id} ({calendar.team})")
    for day in calendar.days:
        cal.add_component(_event(day, calendar.team, stamp, sequence))
    return cal.to_ical()


def _event(day: CalendarDay, team: str, stamp: dt.datetime, sequence: int) -> Event:
    event = Event()
    event.add("uid", day.uid)
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("sequence", sequence)
    event.add("dtstart", day.day)
    event.add("dtend", day.day + dt.timedelta(days=1))
    event.add("summary", day.summary)
    off = day.status is Status.NON_WORKING_DAY
    event.add("description", f"{team}: {'flexi non-working day' if off else 'team on duty'}")
    event.add("categories", ["Rota"])
    busy = "OOF" if off and not day.cancelled else "FREE"
    event.add("transp", "OPAQUE" if busy == "OOF" else "TRANSPARENT")
    event.add("x-microsoft-cdo-busystatus", busy)
    event.add("x-microsoft-cdo-alldayevent", "TRUE")
    event.add("status", "CANCELLED" if day.cancelled else "CONFIRMED")
    return event


def write_calendars(out_dir: Path, found: list[PersonCalendar], stamp: dt.datetime):
    """Write every calendar (all built first), each file atomically; return the paths."""
    files = [(Path(out_dir) / f"{c.file_name}.ics", to_ical(c, stamp)) for c in found]
    return [
        write_atomically(path, lambda tmp, data=data: tmp.write_bytes(data)) for path, data in files
    ]
