"""Charts of the uptake report. Each ``plot_*`` draws on the ``ax`` it is given (or a
new one), labels it fully and returns it; :func:`usage.report.charts.save_charts` writes the PNGs.

Charts are sized to stay readable pasted at half a page width (5 x 3.4 inches,
10-point text), show their n, end percentage axes at 100%, write dates with the
year and use the Okabe-Ito palette (safe for red-green colour blindness) with a
second signal (hatching, markers) wherever colour tells series apart.
Figures are made, laid out and written by :mod:`usage.report.figures`.
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator, ScalarFormatter

from usage.metrics.build import UsageReport
from usage.model import FREQUENCIES, ONCE_A_WEEK_OR_LESS, frequency_scale
from usage.report.figures import SIZE, legend_below, new_panel

USED, UNUSED, REVIEW = "#0072B2", "#D55E00", "#555555"
AUTHORITY_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"]
MARKERS = ["o", "s", "^", "D", "v", "P"]
FREQUENCY_COLOURS = dict(
    zip(
        (*FREQUENCIES, ONCE_A_WEEK_OR_LESS),
        ["#08306b", "#2171b5", "#6baed6", "#c6dbef", "#d9d9d9", "#6baed6"],
        strict=True,
    )
)
STYLE = {
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    # Titles sit just above the panel (nothing is drawn there), so matplotlib need not
    # measure the axis again at every draw to find room for them.
    "axes.titley": 1.0,
}
DATE = "%d %b %Y"
MOST_DATE_LABELS = 12
LONGEST_LINE = 32  # characters of a group's name on one line, past that it wraps
LEGEND_LINE = 24  # the same in a legend (two columns of them fit the width)


def _axes(ax: Axes | None, size: tuple[float, float] = SIZE) -> Axes:
    """``ax``, or the panel of a new figure (placed when it is saved)."""
    return ax if ax is not None else new_panel(size)


def _percent_axis(ax: Axes, axis: str = "x") -> None:
    (ax.set_xlim if axis == "x" else ax.set_ylim)(0, 100)


def _wrapped(name: str, whole: str, longest: int = LONGEST_LINE) -> str:
    """A group's name (user-supplied, maybe long) and then ``whole`` (its n, never split),
    on lines short enough to leave the panel most of the width."""
    kept = whole.replace(" ", "\N{NO-BREAK SPACE}")
    lines = textwrap.fill(f"{name} {kept}", longest, break_long_words=False, break_on_hyphens=False)
    return lines.replace("\N{NO-BREAK SPACE}", " ")


def plot_funnel(report: UsageReport, ax: Axes | None = None, group: str = "All monitored") -> Axes:
    """Horizontal bars: share of licences reaching each stage, with Wilson 95% intervals."""
    ax = _axes(ax)
    rows = report.funnel[report.funnel["group"] == group].iloc[::-1]
    n = int(rows["n"].iloc[0]) if len(rows) else 0
    error = [
        (rows["percent"] - rows["ci_low"]).clip(lower=0),
        (rows["ci_high"] - rows["percent"]).clip(lower=0),
    ]
    labels = [
        f"{stage}\n{int(k)} of {n}" if k == k else f"{stage}\n{text.split(':')[0].split(' (')[0]}"
        for stage, k, text in zip(rows["stage"], rows["k"], rows["text"], strict=True)
    ]
    # Numeric positions with tick labels: string categories make matplotlib try each label
    # as a date or number, which costs more than the whole chart.
    positions = range(len(labels))
    ax.barh(
        positions,
        rows["percent"],
        xerr=error,
        color=USED,
        capsize=3,
        label="share of licences",
        error_kw={"label": "Wilson 95% interval"},
    )
    ax.set_yticks(positions, labels)
    _percent_axis(ax)
    ax.set_xlabel("Licences reaching the stage (%)")
    ax.set_title(f"Uptake funnel: {group}\n(n = {n} licences)")
    legend_below(ax, ncol=2)
    return ax


def plot_minutes_per_person(report: UsageReport, ax: Axes | None = None) -> Axes:
    """Minutes per licensed person, highest first, zero-use licences drawn as markers at 0."""
    ax = _axes(ax)
    people = report.people[report.people["monitored"] & report.people["minutes"].notna()]
    minutes = people["minutes"].sort_values(ascending=False).to_numpy(dtype=float)
    # One filled step outline, not one patch per person: stays fast for thousands of licences
    # (fill_between, not stairs: a step patch finds its limits one segment at a time).
    if len(minutes):
        edges, heights = np.arange(len(minutes) + 1), np.append(minutes, minutes[-1])
        ax.fill_between(edges, heights, step="post", color=USED, label="used the app")
        ax.set_xlim(0, len(minutes))
    zero_x = [i + 0.5 for i, m in enumerate(minutes) if m == 0]
    ax.scatter(
        zero_x,
        [0] * len(zero_x),
        marker="x",
        color=UNUSED,
        zorder=3,
        clip_on=False,
        label=f"never used ({len(zero_x)})",
    )
    ax.axhline(
        report.options.review_minutes,
        color=REVIEW,
        linestyle="--",
        label=f"review line ({report.options.review_minutes:g} min)",
    )
    ax.set_yscale("symlog", linthresh=10)
    ax.yaxis.set_major_formatter(ScalarFormatter())
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("Licences, most use first")
    ax.set_ylabel("Minutes in the period")
    ax.set_ylim(bottom=0)
    ax.set_title(f"Minutes per licence (n = {len(minutes)})")
    # Below the axes: with thousands of licences the bars fill the whole panel.
    legend_below(ax, ncol=3)
    return ax


def plot_weekly_active_users(report: UsageReport, ax: Axes | None = None) -> Axes:
    """Share of licences active in each week of the period, one line per authority."""
    ax = _axes(ax)
    weekly = report.weekly[report.weekly["days"] == 7]  # a short last week is not a drop
    groups = weekly.groupby("authority")
    weeks = sorted(set(weekly["week_start"]))
    position = {week: i for i, week in enumerate(weeks)}
    for colour, marker, (authority, rows) in zip(
        AUTHORITY_COLOURS * 4, MARKERS * 4, groups, strict=False
    ):
        share = 100 * rows["active_users"] / rows["licensed"]
        ax.plot(
            [position[week] for week in rows["week_start"]],
            share,
            marker=marker,
            color=colour,
            label=_wrapped(authority, f"(n = {int(rows['licensed'].iloc[0])})", LEGEND_LINE),
        )
    # A label for every week would overlap on a long period.
    step = max(1, math.ceil(len(weeks) / MOST_DATE_LABELS))
    ax.set_xticks(range(0, len(weeks), step), [f"{d:{DATE}}" for d in weeks[::step]])
    _percent_axis(ax, "y")
    ax.set_xlabel(
        "Week starting" if len(weekly) == len(report.weekly) else "Week starting (whole weeks)"
    )
    ax.set_ylabel("Licences active in the week (%)")
    gaps = weekly["active_users"].isna().any()  # --suppress-cells: those weeks are not drawn
    ax.set_title("Weekly active users" + ("\n(gaps: small counts hidden)" if gaps else ""))
    ax.tick_params(axis="x", rotation=30)
    if len(weekly):  # below the panel: a line near the top would run under it
        legend_below(ax, ncol=3)
    elif len(report.weekly):
        _no_data(ax, "The period is shorter than a week.")
    else:
        _no_data(ax, "No authority with session logs is large enough to show.")
    return ax


def plot_survey_frequency(report: UsageReport, ax: Axes | None = None) -> Axes:
    """Self-reported frequency of use as ordered stacked bars (% of respondents) per group."""
    ax = _axes(ax)
    table = report.survey.frequency.dropna(subset=["percent"])
    shares = table.pivot(index="group", columns="answer", values="percent")
    scale = frequency_scale(table["answer"])
    shares = shares.reindex(columns=list(scale)).fillna(0)
    answered = table.groupby("group")["answered"].first()
    labels = [_wrapped(g, f"(n = {int(answered[g])})") for g in shares.index]
    left = [0.0] * len(shares)
    positions = range(len(labels))
    for answer in scale:
        colour = FREQUENCY_COLOURS[answer]
        ax.barh(positions, shares[answer], left=left, color=colour, label=answer, edgecolor="white")
        left = [a + b for a, b in zip(left, shares[answer], strict=True)]
    hidden = [max(0.0, 100 - a) if len(shares) else 0.0 for a in left]
    if any(h > 1e-9 for h in hidden):  # --suppress-cells: the answers it hides, as a whole
        what = f"hidden (counts under {report.options.min_group}, or giving one away)"
        ax.barh(
            positions, hidden, left=left, color="white", hatch="///", edgecolor=REVIEW, label=what
        )
    ax.set_yticks(positions, labels)
    _percent_axis(ax)
    ax.set_xlabel("Finished responses (%)")
    ax.set_title("Self-reported frequency of use")
    if shares.empty:  # no key to bars that are not there (its colours would be wrong)
        _no_data(ax, "No survey group is large enough to show.")
    else:
        legend_below(ax, ncol=3, title="How often")
    return ax


def _no_data(ax: Axes, text: str) -> None:
    """Say why a chart is empty, on a blank panel (no axes that read as zero)."""
    ax.set_axis_off()
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", wrap=True)
