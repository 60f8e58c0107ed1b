"""The Team sheet's settings for where plans meet, and for sickness on a non-working day.

Their own block of label-value rows below the others. Each may be missing altogether (a
workbook made before them plans as it did), and each empty value has a stated default.
"""

from __future__ import annotations

from rota.domain.problem import LastPart, Pattern, Problem, SickDay, Team
from rota.io import layout
from rota.io.cells import CellError, Problems, choice, parsed, text

SEAM_SETTINGS = {  # label on the Team sheet -> Team field
    "9DF day already taken the week before": "taken_before_start",
    "Part fortnight at the end": "last_part",
    "Sick on a non-working day": "sick_on_non_working_day",
}
LAST_PART_CHOICES = {p.value: p for p in LastPart}
SICK_DAY_CHOICES = {s.value: s for s in SickDay}
NOBODY = "none"


def staff_ids(value) -> frozenset[str]:
    """'SW01, SW03' (commas or semicolons), or 'none' for nobody."""
    if layout.normalise(value) == NOBODY:
        return frozenset()
    ids = [p.strip() for p in text(value).replace(";", ",").split(",")]
    if not all(ids):
        raise CellError("expected staff IDs separated by commas, e.g. 'SW01, SW03', or 'none'")
    return frozenset(ids)


PARSERS = {
    "taken_before_start": staff_ids,
    "last_part": choice(LAST_PART_CHOICES),
    "sick_on_non_working_day": choice(SICK_DAY_CHOICES),
}


def read_seam_settings(sheet, problems: Problems) -> tuple[dict, dict[str, int]]:
    """({Team field: value}, {Team field: row}) for the settings found on ``sheet``."""
    labels = {layout.normalise(label): f for label, f in SEAM_SETTINGS.items()}
    values, rows = {}, {}
    for row in range(1, sheet.max_row + 1):
        field_name = labels.get(layout.normalise(sheet.cell(row, 1).value or ""))
        if field_name is None:
            continue
        if field_name in rows:
            label = text(sheet.cell(row, 1).value)
            problems.add(sheet.title, f"{label!r} is given twice", row, 1, "Setting")
        rows[field_name] = row
        value = sheet.cell(row, 2).value
        if text(value) == "":
            continue
        try:
            values[field_name] = parsed(PARSERS[field_name], value)
        except CellError as error:
            problems.add(sheet.title, f"found {text(value)!r}; {error}", row, 2, "Value")
            problems.reported_cells.add((sheet.title, row, 2))
    return values, rows


def check_named(sheet, teams: list[Problem], problems: Problems) -> None:
    """Every ID under '9DF day already taken the week before' is a 9DF worker of a team."""
    _, rows = read_seam_settings(sheet, Problems(problems.path))
    named = teams[0].team.taken_before_start if teams else None
    if not named or "taken_before_start" not in rows:
        return
    staff = {p.id: p for problem in teams for p in problem.staff}
    for staff_id in sorted(named):
        person = staff.get(staff_id)
        if person is None:
            message = f"{staff_id!r} is not on the Staff sheet"
        elif person.pattern is not Pattern.NINE_DAY_FORTNIGHT:
            message = f"{staff_id} works {person.pattern.value}, not 9DF: only 9DF has fortnights"
        else:
            continue
        problems.add(sheet.title, message, rows["taken_before_start"], 2, "Value")


def seam_values(team: Team) -> dict[str, str]:
    """The settings as the Team sheet writes them (an empty cell for 'not said')."""
    taken = team.taken_before_start
    return {
        "taken_before_start": "" if taken is None else ", ".join(sorted(taken)) or NOBODY,
        "last_part": team.last_part.value,
        "sick_on_non_working_day": team.sick_on_non_working_day.value,
    }
