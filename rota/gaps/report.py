"""Write what the gaps checker found: a sortable workbook, a heatmap PNG and a text summary.

Every file is written atomically into the output folder: a failed run leaves the old files.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from common.files import write_atomically
from common.sheets import DATE_WIDTH, fit_row_heights, print_layout, put_date, put_text
from rota.domain.rules import describe_day
from rota.domain.words import plural
from rota.gaps.find import KINDS, Gap
from rota.gaps.plot import STAFFING_KINDS, plot_gap_heatmap
from rota.io.layout import TEAM_WIDTH_MOST

WORKBOOK, HEATMAP, SUMMARY = "gaps.xlsx", "gaps.png", "summary.txt"
HEADERS = (  # header -> column width
    ("Team", 22),
    ("Date", DATE_WIDTH),
    ("Day", 6),
    ("Gap", 24),
    ("Staff short", 8),
    ("Cases per present worker", 11),
    ("People", 40),
    ("Detail", 90),
)
MEANINGS = {
    "below minimum present": "fewer staff in (working or on duty) than the team's minimum",
    "below minimum senior": "fewer senior staff in than the team's minimum",
    "cover buddy also absent": "a worker is away and so is the colleague who covers their cases",
    "flexi day on a duty day": "someone takes a flexi day while their team is on duty",
    "duty not covered": "a duty slot with nobody marked on duty (D), or fewer than the team "
    "must name",
    "displaced workload": "absent colleagues' cases per present worker above the threshold; "
    "People are those who carry them",
}
WORST_LISTED = 5


@dataclass(frozen=True)
class GapsContext:
    """What was checked, for the headings of the outputs."""

    rota_name: str
    rules_source: str  # e.g. 'team.xlsx' or 'options: at least 7 present, 1 senior'
    teams: list[str]
    days: list[dt.date]
    threshold: float
    closed: frozenset[tuple[str, dt.date]] = frozenset()  # bank holidays per team


def write_gaps_report(out_dir: str | Path, gaps: list[Gap], context: GapsContext) -> list[Path]:
    """Write gaps.xlsx, gaps.png and summary.txt into ``out_dir``; return their paths."""
    out_dir = Path(out_dir)
    return [
        write_gaps_workbook(out_dir / WORKBOOK, gaps, context),
        write_heatmap(out_dir / HEATMAP, gaps, context),
        write_atomically(
            out_dir / SUMMARY, lambda p: p.write_text(summary_text(gaps, context) + "\n")
        ),
    ]


def write_gaps_workbook(path: Path, gaps: list[Gap], context: GapsContext) -> Path:
    """One row per gap on a 'Gaps' sheet, sortable and filterable; an 'About' sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Gaps"
    for column, (header, width) in enumerate(HEADERS, start=1):
        cell = sheet.cell(1, column, header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal=_across(column))
        sheet.column_dimensions[get_column_letter(column)].width = width
    for row, gap in enumerate(gaps, start=2):
        _gap_row(sheet, row, gap)
    longest = max((len(team) for team in context.teams), default=0)
    sheet.column_dimensions["A"].width = min(max(HEADERS[0][1], longest + 2), TEAM_WIDTH_MOST)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(HEADERS))}{max(len(gaps) + 1, 2)}"
    fit_row_heights(sheet, 2)
    sheet.row_dimensions[1].height = 45  # three lines of heading
    print_layout(sheet, "1:1")
    _about_sheet(book.create_sheet("About"), gaps, context)
    return write_atomically(path, book.save)


def _gap_row(sheet, row: int, gap: Gap) -> None:
    values = (
        gap.team,
        gap.date,
        f"{gap.date:%a}",
        gap.kind,
        gap.shortfall,
        gap.cases_per_present_worker,
        ", ".join(gap.people),
        gap.detail,
    )
    for column, value in enumerate(values, start=1):
        put_text(sheet.cell(row, column), value)
        sheet.cell(row, column).alignment = Alignment(
            wrap_text=column >= 7, vertical="top", horizontal=_across(column)
        )
    put_date(sheet.cell(row, 2), gap.date)


def _across(column: int) -> str:
    """Counts centred under their headings; words from the left."""
    return "center" if column in (5, 6) else "left"


def _about_sheet(sheet, gaps: list[Gap], context: GapsContext) -> None:
    lines = [
        ("Rota", context.rota_name),
        ("Rules", context.rules_source),
        ("Displaced workload threshold (cases per present worker)", context.threshold),
        ("Gaps found", len(gaps)),
        ("", ""),
        ("Gap", "Meaning"),
        *MEANINGS.items(),
        ("", ""),
        ("Bank holidays are never gaps. Sort or filter the Gaps sheet with the header arrows.", ""),
    ]
    for row, (label, value) in enumerate(lines, start=1):
        put_text(sheet.cell(row, 1), label)
        put_text(sheet.cell(row, 2), value)
    for row in (1, 2, 3, 4, 6):
        sheet.cell(row, 1).font = Font(bold=True)
    sheet.cell(6, 2).font = Font(bold=True)
    for row in range(1, len(lines) + 1):
        sheet.cell(row, 2).alignment = Alignment(horizontal="left")
    sheet.column_dimensions["A"].width = 56
    sheet.column_dimensions["B"].width = 90
    print_layout(sheet)


def write_heatmap(path: Path, gaps: list[Gap], context: GapsContext) -> Path:
    ax = plot_gap_heatmap(gaps, context.teams, context.days, set(context.closed))
    return write_atomically(path, lambda p: ax.figure.savefig(p, format="png", dpi=120))


def summary_text(gaps: list[Gap], context: GapsContext) -> str:
    """A few lines: what was checked, gaps per kind and per team, the worst team-days."""
    days = context.days
    teams = context.teams
    lines = [
        f"Cover gaps in {context.rota_name}: {plural(len(teams), 'team')}, "
        f"{plural(len(days), 'weekday')}, "
        f"{describe_day(days[0])} to {describe_day(days[-1])}.",
        f"Rules: {context.rules_source}; displaced workload above {context.threshold:g} "
        "cases per present worker.",
    ]
    if not gaps:
        return "\n".join([*lines, "No cover gaps found: all clear."])
    team_days = {(g.team, g.date) for g in gaps}
    lines.append(f"{plural(len(gaps), 'gap')} on {plural(len(team_days), 'team-day')}:")
    by_kind = Counter(g.kind for g in gaps)
    lines += [f"  {kind:<26}{by_kind[kind]:>4}" for kind in KINDS]
    if len(teams) > 1:
        by_team = Counter(g.team for g in gaps)
        lines.append("By team: " + "; ".join(f"{t} {n}" for t, n in by_team.most_common()))
    lines.append("Worst team-days:")
    lines += [f"  {line}" for line in _worst(gaps)]
    return "\n".join(lines)


def _worst(gaps: list[Gap]) -> list[str]:
    """The team-days with the most staff short of a minimum, then the most gaps."""
    per_day: dict[tuple[str, dt.date], list[Gap]] = {}
    for gap in gaps:
        per_day.setdefault((gap.team, gap.date), []).append(gap)
    ranked = sorted(
        per_day.items(),
        key=lambda item: (-_staff_short(item[1]), -len(item[1]), item[0][1]),
    )
    return [
        f"{describe_day(day)}, {team}: " + "; ".join(_short_words(g) for g in found)
        for (team, day), found in ranked[:WORST_LISTED]
    ]


def _staff_short(gaps: list[Gap]) -> int:
    return max((g.shortfall for g in gaps if g.kind in STAFFING_KINDS), default=0)


def _short_words(gap: Gap) -> str:
    if gap.cases_per_present_worker is not None:
        return f"{gap.kind} ({gap.cases_per_present_worker:.1f} cases each)"
    if gap.kind in STAFFING_KINDS:
        return f"{gap.kind} ({gap.shortfall} short)"
    return f"{gap.kind} ({', '.join(gap.people)})"
