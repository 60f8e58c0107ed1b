"""Which team, and which of its duty groups, a rota was planned to have on duty each day.

A rota shows duty by its D codes, but on a day everyone of the group on duty is away
nobody can be marked D, and ``rota gaps`` could not tell the team was on duty (and so
needed its duty-day minimum). The writer therefore states the duty it planned in a row
of each team's cover rows, labelled ON_DUTY in the Name column: 'all' where the whole team
is on duty, the IDs of the duty group on duty where the team is split into groups, blank
on other days. A hand-made rota without that row keeps reading duty from its D codes.
"""

from __future__ import annotations

import datetime as dt

from rota.domain.rota import PlannedDuty
from rota.io.cells import text

ON_DUTY = "On duty (duty group IDs)"
WHOLE_TEAM = "all"

__all__ = ["ON_DUTY", "WHOLE_TEAM", "PlannedDuty", "duty_words", "read_duty_row"]


def duty_words(duty_days, duty_pool: dict, day: dt.date) -> str:
    """The On duty row's cell for ``day``: '', 'all' or the duty group's IDs."""
    if day not in duty_days:
        return ""
    pool = duty_pool.get(day)
    return WHOLE_TEAM if pool is None else ", ".join(sorted(pool))


def read_duty_row(
    cells: dict, known: set[str], where: str, problems: list[str]
) -> dict[dt.date, frozenset[str] | None]:
    """One team's planned duty from its On duty row (``cells``: day -> cell; ``known``:
    the team's IDs); an ID not on the team is added to ``problems``, located."""
    found = {}
    for day, cell in cells.items():
        words = text(cell.value)
        if not words:
            continue
        if words.lower() == WHOLE_TEAM:
            found[day] = None
            continue
        ids = frozenset(i.strip() for i in words.split(",") if i.strip())
        unknown = sorted(ids - known)
        if unknown:
            problems.append(
                f"{where}, column {cell.column_letter}: {ON_DUTY!r} names "
                f"{', '.join(unknown)}, not on the team; expected {WHOLE_TEAM!r}, "
                "IDs of the team's staff, or blank"
            )
        found[day] = ids
    return found
