"""The cover-gaps job: `rota gaps` for the web page, from the same library calls."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from web.results import Outcome, bad_input, save_upload

GAPS_FILES = ("gaps.xlsx", "gaps.png", "summary.txt")
GAPS_ASK = "upload the team or service workbook with its rules, or give the minimum present"


def check_gaps(rota_name: str, rota_data: bytes, rules_name: str | None,
               rules_data: bytes | None, threshold: float | None,
               minimums: tuple = (None, None)) -> Outcome:  # fmt: skip
    """Find cover gaps in a rota as `rota gaps` does: against a team or service workbook,
    or (none given) the rules a workwell rota carries; ``minimums`` (present, senior)
    override the rules' where given."""
    from rota.gaps.find import DEFAULT_THRESHOLD, closed_team_days, find_gaps
    from rota.gaps.report import GapsContext, summary_text, write_gaps_report
    from rota.gaps.setup import read_gaps_inputs

    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        rota_path = save_upload(folder, rota_name, rota_data, "rota")
        rules_path = save_upload(folder, rules_name, rules_data, "rules") if rules_name else None
        problems: list[str] = []
        inputs = read_gaps_inputs(problems, rota_path, rules_path, *minimums, ask=GAPS_ASK)
        if inputs is None:
            problems = list(dict.fromkeys(problems))
            count = f" ({len(problems)} problems)" if len(problems) > 1 else ""
            return bad_input("gaps", f"Cannot check the rota{count}:", problems)
        grid, rules = inputs.grid, inputs.rules
        found = find_gaps(grid, rules, duty_slots=inputs.duty_slots, threshold=threshold,
                          duty_groups=inputs.duty_groups)  # fmt: skip
        closed = frozenset(closed_team_days(grid, rules))
        context = GapsContext(rota_name, inputs.words, grid.teams, grid.days, threshold, closed)
        write_gaps_report(folder / "out", found, context)
        return Outcome(
            "gaps",
            "gaps" if found else "done",
            f"{len(found)} gap(s) found" if found else "No cover gaps found",
            lines=summary_text(found, context).splitlines(),
            files={n: (folder / "out" / n).read_bytes() for n in GAPS_FILES},
            table=[_gap_row(g) for g in found],
            heat=_heat(found, grid.teams, grid.days, closed),
        )


def _gap_row(gap) -> list[str]:
    return [
        gap.team,
        gap.date.isoformat(),
        f"{gap.date:%a %d %b %Y}",
        gap.kind,
        str(gap.shortfall),
        "" if gap.cases_per_present_worker is None else f"{gap.cases_per_present_worker:.1f}",
        ", ".join(gap.people),
        gap.detail,
    ]


def _heat(gaps, teams: list[str], days: list[dt.date], closed) -> dict:
    """Teams by dates: staff short per team-day (None on bank holidays) and its gaps."""
    import math

    from rota.gaps.plot import heatmap_rows, shortfall_matrix

    rows = heatmap_rows(gaps, teams)
    matrix = shortfall_matrix(gaps, rows, days, set(closed))
    details: dict[tuple[str, str], list[str]] = {}
    for gap in gaps:
        details.setdefault((gap.team, gap.date.isoformat()), []).append(f"{gap.kind}: {gap.detail}")
    return {
        "rows": rows,
        "days": [d.isoformat() for d in days],
        "labels": [f"{d:%a %d %b}" for d in days],
        "cells": [
            [
                {
                    "short": None if math.isnan(value) else int(value),
                    "gaps": details.get((row, day.isoformat()), []),
                }
                for value, day in zip(line, days, strict=True)
            ]
            for row, line in zip(rows, matrix, strict=True)
        ],
    }
