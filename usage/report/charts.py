"""Every usage chart written as a PNG: the uptake charts and the licence-decision charts."""

from __future__ import annotations

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


def save_charts(report: UsageReport, out_dir: Path) -> list[Path]:
    """Write every chart as a PNG in ``out_dir`` (atomically) and return the paths."""
    charts = {
        "funnel.png": plot_funnel,
        "minutes_per_person.png": plot_minutes_per_person,
        "weekly_active_users.png": plot_weekly_active_users,
        "survey_frequency.png": plot_survey_frequency,
        **DECISION_CHARTS,
    }
    paths = []
    with matplotlib.rc_context(STYLE):
        for name, plot in charts.items():
            paths.append(save_png(plot(report).figure, out_dir / name))
    return paths
