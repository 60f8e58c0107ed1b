"""Charts of the licence decisions: active-user rates, the power-user curve and the
retention heat map. Same conventions as :mod:`usage.report.plots` (draw on ``ax``, show n,
percentage axes end at 100%, colour-blind-safe colours with a second signal).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PatchCollection
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from usage.metrics.build import UsageReport
from usage.metrics.licences import ALL
from usage.report.figures import SIZE, legend_below
from usage.report.plots import DATE, USED, _axes, _no_data, _percent_axis, _wrapped
from usage.report.sheets import retention_table

ANNOTATED_CELLS = 60
ANNOTATED_WEEKS = 12  # wider than this, the numbers in the cells would overlap
WEEK_LABELS = 8
AGREE = "#D55E00"  # outline of the cells where report and logs agree
WINDOW_STYLE = {"last 7 days": ("#E69F00", "//"), "last 28 days": ("#0072B2", "")}


def plot_active_rates(report: UsageReport, ax: Axes | None = None) -> Axes:
    """Enabled licences active in the last 7 and 28 days, per group, with Wilson intervals."""
    ax = _axes(ax)
    rates = report.decisions.rates.dropna(subset=["percent"])
    groups = list(dict.fromkeys(rates["group"]))
    y = np.arange(len(groups))
    for offset, (window, (colour, hatch)) in zip((0.2, -0.2), WINDOW_STYLE.items(), strict=True):
        rows = rates[rates["window"] == window].set_index("group").reindex(groups)
        error = [
            (rows["percent"] - rows["ci_low"]).clip(lower=0),
            (rows["ci_high"] - rows["percent"]).clip(lower=0),
        ]
        ax.barh(
            y + offset,
            rows["percent"],
            height=0.4,
            xerr=error,
            capsize=3,
            color=colour,
            hatch=hatch,
            edgecolor="white",
            label=window,
        )
        for at, k, high in zip(y + offset, rows["active"], rows["ci_high"], strict=True):
            shown = k == k  # hidden with --suppress-cells: no bar, and said so
            label = f"{int(k)} active" if shown else "count hidden"
            ax.text(high + 1.5 if shown else 1.5, at, label, va="center", fontsize=8)
    enabled = rates.groupby("group")["enabled"].first()
    labels = [_wrapped(g, f"(n = {int(enabled[g])})") for g in groups]
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    _percent_axis(ax)
    ax.set_xlabel("Enabled licences that were active (%)")
    ax.set_title(f"Active users to {report.decisions.as_of:{DATE}}")
    if groups:  # below the panel: a bar near 100% would run under it
        legend_below(ax, ncol=2)
    else:
        _no_data(ax, "No group is large enough to show.")
    return ax


def plot_power_curve(report: UsageReport, ax: Axes | None = None) -> Axes:
    """How many users were active on 1, 2, ... 28 of the last 28 days."""
    ax = _axes(ax)
    curve = report.decisions.curve
    n = int(curve["people"].iloc[0]) if len(curve) else 0
    shown = curve[curve["active_days"] >= 1].dropna(subset=["users"])
    ax.bar(shown["active_days"], shown["users"], color=USED, label="users")
    ax.set_xlim(0.5, 28.5)
    ax.set_xticks([1, 7, 14, 21, 28])
    ax.set_xlabel("Days active in the last 28 days")
    ax.set_ylabel("Users (people)")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    never = curve.loc[curve["active_days"] == 0, "users"]
    idle = (
        f"; {int(never.iloc[0])} not active"
        if len(never) and never.iloc[0] == never.iloc[0]
        else ""
    )
    ax.set_title(f"Power-user curve to {report.decisions.as_of:{DATE}} (n = {n}{idle})")
    if shown.empty:
        _no_data(ax, "No session logs, or too few people to show.")
    return ax


def plot_retention(report: UsageReport, ax: Axes | None = None) -> Axes:
    """Heat map: share of each licence-start cohort active in each week since the start,
    everyone monitored first, then each authority; suppressed cells hatched."""
    table = retention_table(report)
    labels = _cohort_labels(table)
    lines = max((label.count("\n") for label in labels), default=0)
    # A row per cohort and authority: taller as they grow, to stay legible.
    ax = _axes(ax, (SIZE[0], max(SIZE[1], 1.6 + (0.22 + 0.15 * lines) * len(labels))))
    if table.empty:
        _no_data(ax, "No licence start dates in an authority with session logs.")
        ax.set_title("Weekly retention by licence start")
        return ax
    weeks = [c for c in table.columns if c.startswith("week ")]
    values = table[weeks].to_numpy(dtype=float)
    hidden = _suppressed_cells(report, len(weeks))
    cells = [Rectangle((c - 0.5, r - 0.5), 1, 1) for r, c in zip(*np.nonzero(hidden), strict=True)]
    ax.add_collection(
        PatchCollection(cells, hatch="///", facecolor="none", edgecolor="#999999", zorder=0)
    )
    image = ax.imshow(values, cmap="cividis", vmin=0, vmax=100, aspect="auto", zorder=1)
    # Numbers in the cells only while they stay legible.
    if values.size <= ANNOTATED_CELLS and len(weeks) <= ANNOTATED_WEEKS:
        for (r, c), value in np.ndenumerate(values):
            if value == value:
                colour = "black" if value > 55 else "white"
                ax.text(c, r, f"{value:.0f}%", ha="center", va="center", fontsize=8, color=colour)
    step = math.ceil(len(weeks) / WEEK_LABELS)
    ax.set_xticks(range(0, len(weeks), step), [w.split()[1] for w in weeks[::step]])
    ax.set_yticks(range(len(table)), labels)
    for row in np.flatnonzero(table["authority"].ne(table["authority"].shift())[1:]) + 1:
        ax.axhline(row - 0.5, color="white", linewidth=3)  # a gap between authorities
    everyone = int(table.loc[table["authority"] == ALL, "people"].sum())
    ax.set_xlabel("Weeks since the licence started\n(hatched: suppressed)")
    ax.set_ylabel("Licences starting the week of")
    ax.set_title(f"Weekly retention by authority\n(n = {everyone} licences)")
    # Its own axes, placed beside the panel by figures.lay_out.
    bar = ax.figure.add_axes((0.9, 0.1, 0.03, 0.8)) if ax.figure.axes == [ax] else None
    ax.figure.colorbar(image, ax=ax, cax=bar, label="Cohort active in the week (%)")
    return ax


def _cohort_labels(table: pd.DataFrame) -> list[str]:
    """Each row's authority, start week and n, a long authority name on two lines."""
    if table.empty:
        return []
    rows = zip(table["authority"], table["cohort"], table["people"], strict=True)
    return [_wrapped(f"{a}:", f"{d:{DATE}} (n = {n})", longest=40) for a, d, n in rows]


def _suppressed_cells(report: UsageReport, weeks: int) -> np.ndarray:
    """Cells of the retention table hidden by suppression (not weeks still to come)."""
    long = report.decisions.retention
    rows = ["authority", "cohort", "people"]
    hidden = long.assign(hidden=long["percent"].isna()).pivot(
        index=rows, columns="week", values="hidden"
    )
    hidden = hidden.reindex(pd.MultiIndex.from_frame(long[rows].drop_duplicates()))
    return hidden.reindex(columns=range(weeks)).fillna(False).to_numpy(dtype=bool)


def plot_agreement(report: UsageReport, ax: Axes | None = None) -> Axes:
    """Matched people by reported frequency (rows) and logged use (columns); the diagonal,
    where the two agree, is outlined."""
    ax = _axes(ax)
    agreement = report.agreement
    ax.set_title("Reported frequency against logged use")
    if agreement.table.empty:
        _no_data(ax, agreement.reason or "No matched people.")
        return ax
    logged = [c for c in agreement.table.columns if c.startswith("logged: ")]
    numeric = agreement.table[logged].map(lambda v: v if isinstance(v, int | float) else np.nan)
    counts = numeric.groupby(agreement.table["reported frequency"], sort=False).sum(min_count=1)
    values = counts.to_numpy(dtype=float)
    ax.imshow(values, cmap="Blues", aspect="auto", vmin=0)
    top = np.nanmax(values) if np.isfinite(values).any() else 0
    for (r, c), value in np.ndenumerate(values):
        dark = value == value and value > top / 2
        text = "hidden" if value != value else f"{value:.0f}"
        ax.text(c, r, text, ha="center", va="center", color="white" if dark else "black")
        if r == c:
            corner = (c - 0.45, r - 0.45)
            ax.add_patch(Rectangle(corner, 0.9, 0.9, fill=False, ec=AGREE, lw=2, ls="--"))
    ax.set_xticks(range(len(logged)), [c[8:] for c in logged], rotation=30, ha="right")
    ax.set_yticks(range(len(counts)), list(counts.index))
    ax.set_xlabel("Logged use")
    ax.set_ylabel("Reported in the survey")
    summary = agreement.summary.dropna(subset=["percent"])
    n, agree = int(summary["matched"].sum()), int(summary["agree"].sum())
    ax.set_title(f"Reported against logged use\n(n = {n}; {agree} agree: dashed cells)")
    return ax


DECISION_CHARTS = {
    "active_users.png": plot_active_rates,
    "power_users.png": plot_power_curve,
    "retention.png": plot_retention,
    "agreement.png": plot_agreement,
}
