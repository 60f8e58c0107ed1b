"""A rota read back from a workbook (one workwell wrote, or a hand-made one): who, which
days, each person's status each day, and what the workbook says of how it was planned.
Plain data: ``rota.io.rotaread`` builds it; gaps, re-planning and calendars take it, and
never see the workbook."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from common.errors import InputError
from rota.domain.plan import Status
from rota.domain.service import Service

# team -> duty day -> the staff IDs of the duty group on duty, or None for the whole team
PlannedDuty = dict[str, dict[dt.date, frozenset[str] | None]]


@dataclass(frozen=True)
class RotaPerson:
    """One person's row: ``row`` is where the reader found it, for messages."""

    team: str
    id: str
    name: str
    pattern: str
    row: int
    standing: str = ""  # as the rota shows it, e.g. 'Fri (week A)' or 'every Wed'


@dataclass
class Rota:
    """A rota as read: ``source`` and ``sheet`` name where it was read, and ``day_columns``
    the column letter of each day, so a message can point at a cell."""

    source: str
    title: str
    staff: list[RotaPerson]
    days: list[dt.date]
    statuses: dict[tuple[str, dt.date], Status]
    day_columns: dict[dt.date, str]
    planned_duty: PlannedDuty | None = None  # the On duty rows; None: a rota without them
    sheet: str = "Rota"
    week_a_label: dt.date | None = None  # Monday of a week A, from the 'Week n (A)' labels
    saved_at: dt.datetime | None = None  # when the workbook was last saved, in UTC
    rules: Service | None = None  # the rules it was planned with, when asked for and carried
    rules_problems: list[str] = field(default_factory=list)  # carried rules edited badly

    @property
    def teams(self) -> list[str]:
        return list(dict.fromkeys(p.team for p in self.staff))

    def team_statuses(self, team: str) -> dict[tuple[str, dt.date], Status]:
        ids = {p.id for p in self.staff if p.team == team}
        return {key: s for key, s in self.statuses.items() if key[0] in ids}

    @property
    def week_a(self) -> dt.date:
        """Monday of a week A: from the rota's labels, else the Monday of its first day."""
        if self.week_a_label is not None:
            return self.week_a_label
        first = self.days[0]
        return first - dt.timedelta(days=first.weekday())


class RotaError(InputError):
    """A rota that does not fit the rules it is checked against; ``problems`` says where."""
