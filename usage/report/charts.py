"""Every usage chart written as a PNG: the uptake charts and the licence-decision charts."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import matplotlib

from usage.metrics.build import UsageReport
from usage.report.decision_plots import DECISION_CHARTS
from usage.report.plots import (
    STYLE,
    plot_funnel,
    plot_minutes_per_person,
    plot_survey_frequency,
    plot_weekly_active_users,
    save_png,
)

CHARTS = {
    "funnel.png": plot_funnel,
    "minutes_per_person.png": plot_minutes_per_person,
    "weekly_active_users.png": plot_weekly_active_users,
    "survey_frequency.png": plot_survey_frequency,
    **DECISION_CHARTS,
}


def save_charts(
    report: UsageReport, out_dir: Path, names: Iterable[str] = tuple(CHARTS)
) -> list[Path]:
    """Write the charts named (every chart by default) as PNGs in ``out_dir``, atomically,
    and return their paths."""
    paths = []
    with matplotlib.rc_context(STYLE):
        for name in names:
            paths.append(save_png(CHARTS[name](report).figure, out_dir / name))
    return paths
