"""Charts of the uptake report. Each ``plot_*`` draws on the ``ax`` it is given (or a
new one), labels it fully and returns it; :func:`save_charts` writes the PNGs.
Figures are built without pyplot, so nothing ever opens a window.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from usage.model import FREQUENCIES  # noqa: E402
from usage.report import UsageReport  # noqa: E402

# Colour-blind-safe (Okabe-Ito) for categories; an ordered blue ramp for frequency.
USED, UNUSED, REVIEW = "#0072B2", "#D55E00", "#999999"
AUTHORITY_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"]
FREQUENCY_COLOURS = ["#08306b", "#2171b5", "#6baed6", "#c6dbef", "#d9d9d9"]


def _axes(ax: Axes | None) -> Axes:
    return ax if ax is not None else Figure(figsize=(8, 4.5), layout="constrained").subplots()


def plot_funnel(report: UsageReport, ax: Axes | None = None, group: str = "All monitored") -> Axes:
    """Horizontal bars: share of licences reaching each stage, with Wilson 95% intervals."""
    ax = _axes(ax)
    rows = report.funnel[report.funnel["group"] == group].iloc[::-1]
    error = [
        (rows["percent"] - rows["ci_low"]).clip(lower=0),
        (rows["ci_high"] - rows["percent"]).clip(lower=0),
    ]
    ax.barh(
        rows["stage"],
        rows["percent"],
        xerr=error,
        color=USED,
        capsize=4,
        label="share of licences",
        error_kw={"label": "Wilson 95% interval"},
    )
    for y, (high, text) in enumerate(zip(rows["ci_high"], rows["text"], strict=True)):
        label = text.split(";")[0] + ")" if ";" in text else text
        ax.text((0 if high != high else high) + 2, y, label, va="center", fontsize=8)
    ax.set_xlim(0, 140)
    ax.set_xlabel("Licences reaching the stage (%)")
    ax.set_ylabel("Stage")
    ax.set_title(f"Dictation app uptake funnel: {group}")
    ax.legend(loc="lower right", fontsize=8)
    return ax


def plot_minutes_per_person(report: UsageReport, ax: Axes | None = None) -> Axes:
    """Minutes per licensed person, highest first, zero-use licences drawn as markers at 0."""
    ax = _axes(ax)
    people = report.people[report.people["monitored"]].sort_values("minutes", ascending=False)
    minutes = people["minutes"].to_numpy()
    # One filled step outline, not one patch per person: stays fast for thousands of licences.
    ax.stairs(minutes, range(len(minutes) + 1), fill=True, color=USED, label="used the app")
    zero_x = [i + 0.5 for i, m in enumerate(minutes) if m == 0]
    ax.scatter(
        zero_x,
        [0] * len(zero_x),
        marker="x",
        color=UNUSED,
        zorder=3,
        label=f"never used ({len(zero_x)})",
    )
    ax.axhline(
        report.options.review_minutes,
        color=REVIEW,
        linestyle="--",
        label=f"licence review line ({report.options.review_minutes:g} min)",
    )
    ax.set_yscale("symlog", linthresh=10)
    ax.set_xlabel("Licensed people, most use first (one bar per person)")
    ax.set_ylabel("Minutes dictated in the period (min)")
    ax.set_title("Minutes per licensed person, zero-use licences included")
    ax.legend(fontsize=8)
    return ax


def plot_weekly_active_users(report: UsageReport, ax: Axes | None = None) -> Axes:
    """Active people in each week of the period, one line per authority."""
    ax = _axes(ax)
    for colour, (authority, rows) in zip(
        AUTHORITY_COLOURS * 4, report.weekly.groupby("authority"), strict=False
    ):
        labels = [d.strftime("%d %b") for d in rows["week_start"]]
        ax.plot(
            labels,
            rows["active_users"],
            marker="o",
            color=colour,
            label=f"{authority} ({int(rows['licensed'].iloc[0])} licences)",
        )
    ax.set_ylim(bottom=0)
    ax.set_xlabel("Week starting")
    ax.set_ylabel("Active users (people)")
    ax.set_title("Weekly active users of the dictation app")
    if len(report.weekly):
        ax.legend(fontsize=8)
    return ax


def plot_survey_frequency(report: UsageReport, ax: Axes | None = None) -> Axes:
    """Self-reported frequency of use as ordered stacked bars (% of respondents) per group."""
    ax = _axes(ax)
    table = report.survey.frequency.dropna(subset=["percent"])
    shares = table.pivot(index="group", columns="answer", values="percent")
    shares = shares.reindex(columns=list(FREQUENCIES)).fillna(0)
    left = [0.0] * len(shares)
    for answer, colour in zip(FREQUENCIES, FREQUENCY_COLOURS, strict=True):
        ax.barh(
            shares.index, shares[answer], left=left, color=colour, label=answer, edgecolor="white"
        )
        left = [a + b for a, b in zip(left, shares[answer], strict=True)]
    ax.set_xlim(0, 100)
    ax.set_xlabel("Respondents (%)")
    ax.set_ylabel("Group")
    ax.set_title("Self-reported frequency of using the dictation app")
    ax.legend(
        title="How often", fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=3
    )
    return ax


CHARTS = {
    "funnel.png": plot_funnel,
    "minutes_per_person.png": plot_minutes_per_person,
    "weekly_active_users.png": plot_weekly_active_users,
    "survey_frequency.png": plot_survey_frequency,
}


def save_charts(report: UsageReport, out_dir: Path) -> list[Path]:
    """Write every chart as a PNG in ``out_dir`` and return the paths."""
    paths = []
    for name, plot in CHARTS.items():
        ax = plot(report)
        path = out_dir / name
        ax.figure.savefig(path, dpi=120)
        paths.append(path)
    return paths
