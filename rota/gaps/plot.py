"""The cover-gaps heatmap: teams by dates, coloured by how many staff short each team-day is.

``plot_gap_heatmap`` draws on the ``ax`` it is given (or a new one) and returns it; figures
are built without pyplot, so nothing ever opens a window.
"""

from __future__ import annotations

import datetime as dt
import math

import matplotlib

matplotlib.use("Agg")

from matplotlib import colormaps  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.colors import ListedColormap  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from rota.gaps.find import BELOW_MINIMUM, BELOW_SENIOR, DUTY_UNCOVERED, SERVICE, Gap  # noqa: E402

STAFFING_KINDS = (BELOW_MINIMUM, BELOW_SENIOR, DUTY_UNCOVERED)  # counted in people short
CLOSED_GREY = "#BFBFBF"
CLEAR_GREEN = "#DFF0D8"


def heatmap_rows(gaps: list[Gap], teams: list[str]) -> list[str]:
    """The rota's teams, then a service-duty row when a duty slot went uncovered."""
    return teams + [SERVICE] if any(g.team == SERVICE for g in gaps) else list(teams)


def shortfall_matrix(
    gaps: list[Gap], rows: list[str], days: list[dt.date], closed: set[tuple[str, dt.date]]
) -> list[list[float]]:
    """Staff short per row and day (the worst staffing gap); NaN on bank holidays."""
    worst = {}
    for gap in gaps:
        if gap.kind in STAFFING_KINDS:
            key = (gap.team, gap.date)
            worst[key] = max(worst.get(key, 0), gap.shortfall)
    return [
        [math.nan if (row, day) in closed else worst.get((row, day), 0) for day in days]
        for row in rows
    ]


def plot_gap_heatmap(
    gaps: list[Gap],
    teams: list[str],
    days: list[dt.date],
    closed: set[tuple[str, dt.date]] = frozenset(),
    ax: Axes | None = None,
) -> Axes:
    """Teams by dates, red by staff short; a dot marks a team-day with any other gap. With
    no gaps at all, pale green with 'All clear' across it, so it reads at a glance."""
    ax = ax if ax is not None else _figure(len(teams), len(days)).subplots()
    if not gaps:
        return _all_clear(ax, teams, days, closed)
    rows = heatmap_rows(gaps, teams)
    matrix = shortfall_matrix(gaps, rows, days, closed)
    peak = max([v for line in matrix for v in line if not math.isnan(v)], default=0)
    cmap = colormaps["Reds"].with_extremes(bad=CLOSED_GREY)
    image = ax.imshow(
        matrix, aspect="auto", cmap=cmap, vmin=0, vmax=max(peak, 1), interpolation="nearest"
    )
    colour_bar = ax.figure.colorbar(image, ax=ax, pad=0.01)
    colour_bar.set_label("Staff short of the minimum (people)")
    colour_bar.locator = MaxNLocator(integer=True)
    colour_bar.update_ticks()
    _mark_other_gaps(ax, gaps, rows, days)
    _label(ax, rows, days)
    return ax


def _all_clear(ax: Axes, teams: list[str], days: list[dt.date], closed) -> Axes:
    matrix = shortfall_matrix([], teams, days, closed)
    cmap = ListedColormap([CLEAR_GREEN]).with_extremes(bad=CLOSED_GREY)
    ax.imshow(matrix, aspect="auto", cmap=cmap, interpolation="nearest")
    ax.text(
        0.5,
        0.5,
        "\u2713 All clear: no cover gaps",
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=18,
        fontweight="bold",
        color="#1B5E20",
        bbox={"facecolor": "white", "edgecolor": "#1B5E20", "boxstyle": "round,pad=0.5"},
    )
    _label(ax, teams, days, title="No cover gaps: every team-day meets the rules")
    ax.legend(
        handles=[Patch(color=CLOSED_GREY, label="bank holiday")],
        loc="lower right",
        bbox_to_anchor=(1, 1.01),
        borderaxespad=0,
        fontsize=8,
        frameon=False,
    )
    return ax


def _mark_other_gaps(ax: Axes, gaps: list[Gap], rows: list[str], days: list[dt.date]) -> None:
    column = {day: i for i, day in enumerate(days)}
    cells = {
        (column[g.date], rows.index(g.team))
        for g in gaps
        if g.kind not in STAFFING_KINDS and g.date in column and g.team in rows
    }
    if cells:
        x, y = zip(*sorted(cells), strict=True)
        ax.scatter(x, y, s=12, color="black", marker="o", linewidths=0)


def _label(
    ax: Axes, rows: list[str], days: list[dt.date], title: str = "Cover gaps by team and day"
) -> None:
    mondays = [i for i, day in enumerate(days) if day.weekday() == 0] or [0]
    ax.set_xticks(mondays, [f"{days[i]:%d %b}" for i in mondays], rotation=45, ha="right")
    ax.set_yticks(range(len(rows)), rows)
    ax.set_xlabel("Date (weekdays; ticks on Mondays)")
    ax.set_ylabel("Team")
    span = f"{days[0]:%d %b %Y} to {days[-1]:%d %b %Y}" if days else ""
    ax.set_title(f"{title}\n{span}", loc="left")
    ax.legend(
        handles=[
            Line2D(
                [],
                [],
                color="black",
                marker="o",
                linestyle="",
                markersize=4,
                label="other gap: buddy, flexi on duty or workload",
            ),
            Patch(color=CLOSED_GREY, label="bank holiday"),
        ],
        loc="lower right",
        bbox_to_anchor=(1, 1.01),
        borderaxespad=0,
        fontsize=8,
        frameon=False,
    )


def _figure(rows: int, columns: int) -> Figure:
    width = min(max(8.0, 3 + columns * 0.12), 24.0)
    height = 2.8 + 0.45 * rows
    return Figure(figsize=(width, height), layout="constrained")
