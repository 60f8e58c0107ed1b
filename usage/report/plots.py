"""Charts of the uptake report. Each ``plot_*`` draws on the ``ax`` it is given (or a
new one), labels it fully and returns it; :func:`usage.report.charts.save_charts` writes the PNGs.

Charts are sized to stay readable pasted at half a page width (5 x 3.4 inches,
10-point text), show their n, end percentage axes at 100%, write dates with the
year and use the Okabe-Ito palette (safe for red-green colour blindness) with a
second signal (hatching, markers) wherever colour tells series apart.
Figures are built without pyplot, so nothing ever opens a window.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

import matplotlib
import numpy as np

matplotlib.use("Agg")

from matplotlib.artist import Artist  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.image import imsave  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from matplotlib.ticker import MaxNLocator, ScalarFormatter  # noqa: E402
from matplotlib.transforms import Bbox  # noqa: E402

from common.files import atomic_path  # noqa: E402
from usage.metrics.build import UsageReport  # noqa: E402
from usage.model import FREQUENCIES, ONCE_A_WEEK_OR_LESS, frequency_scale  # noqa: E402

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
SIZE, DPI = (5, 3.4), 150
MARGIN = 5  # points kept free between the figure's edge, the panel's labels and the legend
COLOUR_BAR = (0.08, 0.15)  # inches: the gap between the panel and its colour bar, its width
MIN_PANEL = 1.5  # inches: the least height of the panel (the figure grows to keep it)
LONGEST_LINE = 32  # characters of a group's name on one line, past that it wraps
LEGEND_LINE = 24  # the same in a legend (two columns of them fit the width)


def _axes(ax: Axes | None, size: tuple[float, float] = SIZE) -> Axes:
    """``ax``, or the panel of a new figure (on an Agg canvas, at the printed dpi, so
    text measured while drawing is measured once); :func:`lay_out` places it."""
    if ax is not None:
        return ax
    figure = Figure(figsize=size, dpi=DPI)
    _Canvas(figure)
    return figure.subplots()


class _Canvas(FigureCanvasAgg):
    """An Agg canvas drawing on one renderer per size, shared by every chart drawn in this
    process, so that text measured for one chart (tick labels, each font's line height)
    is not measured again for the next."""

    renderers: dict[tuple[int, int, float], RendererAgg] = {}
    KEPT = 3  # sizes (a retention chart's height varies): the last few are kept

    def get_renderer(self) -> RendererAgg:
        key = (*self.get_width_height(physical=True), self.figure.dpi)
        if key not in self.renderers:
            while len(self.renderers) >= self.KEPT:
                del self.renderers[next(iter(self.renderers))]
            self.renderers[key] = RendererAgg(*key)
        self.renderer = self.renderers[key]
        return self.renderer


def _wrapped(name: str, whole: str, longest: int = LONGEST_LINE) -> str:
    """A group's name (user-supplied, maybe long) and then ``whole`` (its n, never split),
    on lines short enough to leave the panel most of the width."""
    kept = whole.replace(" ", "\N{NO-BREAK SPACE}")
    lines = textwrap.fill(f"{name} {kept}", longest, break_long_words=False, break_on_hyphens=False)
    return lines.replace("\N{NO-BREAK SPACE}", " ")


def _legend_below(ax: Axes, ncol: int, **kwargs) -> None:
    """The panel's legend centred at the foot of the figure (:func:`lay_out` keeps room
    for it), in as many of ``ncol`` columns as fit the figure's width."""
    figure = ax.figure
    handles, labels = ax.get_legend_handles_labels()
    room = figure.bbox.width - 2 * MARGIN * figure.dpi / 72
    for columns in range(ncol, 0, -1):
        legend = figure.legend(
            handles,
            labels,
            loc="lower center",
            bbox_to_anchor=(0.5, 0),
            ncol=columns,
            **kwargs,
        )
        renderer = getattr(figure.canvas, "get_renderer", None)
        if columns == 1 or renderer is None or legend.get_window_extent(renderer()).width <= room:
            return
        legend.remove()


def _percent_axis(ax: Axes, axis: str = "x") -> None:
    (ax.set_xlim if axis == "x" else ax.set_ylim)(0, 100)


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
    _legend_below(ax, ncol=2)
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
    _legend_below(ax, ncol=3)
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
    ax.set_title("Weekly active users")
    ax.tick_params(axis="x", rotation=30)
    if len(weekly):  # below the panel: a line near the top would run under it
        _legend_below(ax, ncol=3)
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
    ax.set_yticks(positions, labels)
    _percent_axis(ax)
    ax.set_xlabel("Finished responses (%)")
    ax.set_title("Self-reported frequency of use")
    _legend_below(ax, ncol=3, title="How often")
    if shares.empty:
        _no_data(ax, "No survey group is large enough to show.")
    return ax


def _no_data(ax: Axes, text: str) -> None:
    """Say why a chart is empty, on a blank panel (no axes that read as zero)."""
    ax.set_axis_off()
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", wrap=True)


def lay_out(figure: Figure, renderer: RendererAgg) -> None:
    """Place the panel (the figure's first axes) and its colour bar (any next axes) so that
    ticks, labels, titles and the legend at the foot all lie inside the figure, a margin
    from its edge, covering nothing. Measured once, at the panel's first place (constrained
    layout measures twice, and clips long names). A figure too short for its legend and
    labels grows taller, never narrower: it keeps its width on the page."""
    panel, *bars = figure.axes
    margin = MARGIN * figure.dpi / 72
    floor = margin + max((g.get_window_extent(renderer).y1 for g in figure.legends), default=0)
    outer = [
        axes.get_tightbbox(renderer, bbox_extra_artists=_unclipped(axes), for_layout_only=True)
        for axes in figure.axes
    ]
    pairs = list(zip(figure.axes, outer, strict=True))
    beside, right = _colour_bars(panel, pairs[1:], outer[0].x1 - panel.bbox.x1, figure.dpi)
    below = max(axes.bbox.y0 - box.y0 for axes, box in pairs)
    above = max(box.y1 - axes.bbox.y1 for axes, box in pairs)
    along = _longest([a.yaxis.label for a in figure.axes if a.axison], renderer, "height")
    room = figure.bbox.height - margin - floor  # for the panel and its labels
    # The y labels are centred on the panel: they need more room where it sits off centre.
    shortfall = max(_least_height(panel, renderer) + below + above, along + abs(below - above))
    shortfall -= room
    if shortfall > 0:  # the legend is anchored at the foot: it stays where it is
        figure.set_size_inches(
            figure.get_figwidth(), figure.get_figheight() + shortfall / figure.dpi
        )
    width, height = figure.bbox.width, figure.bbox.height
    x0, x1 = panel.bbox.x0 - min(box.x0 for box in outer) + margin, width - margin - right
    # The title and the x label are centred on the panel, the y labels on its height.
    across = [panel.title] + ([panel.xaxis.label] if panel.axison else [])
    x0, x1 = _centred(x0, x1, _longest(across, renderer, "width"), margin, width - margin)
    y0, y1 = _centred(floor + below, height - margin - above, along, floor, height - margin)
    x1 = max(x1, x0 + width / 5)  # names too long to fit: the panel stays visible
    panel.set_position((x0 / width, y0 / height, (x1 - x0) / width, (y1 - y0) / height))
    for bar, at in zip(bars, beside, strict=True):
        bar.set_position(
            ((x1 + at) / width, y0 / height, COLOUR_BAR[1] * figure.dpi / width, (y1 - y0) / height)
        )


def _unclipped(axes: Axes) -> list[Artist]:
    """What a panel draws that may stand out of it, besides its axes and titles: its texts
    and anything drawn unclipped (not its spines, bars or clipped lines: measuring those
    would cost more than the rest)."""
    drawn = (*axes.lines, *axes.collections, *axes.patches, *axes.images)
    return [*axes.texts, *(artist for artist in drawn if not artist.get_clip_on())]


def _colour_bars(panel: Axes, bars: list[tuple[Axes, Bbox]], overhang: float, dpi: float):
    """Where each colour bar starts, from the panel's right edge, and the room the panel's
    right side needs in all, in pixels (``overhang``: its own labels past its edge)."""
    gap, bar_width = (dpi * size for size in COLOUR_BAR)
    beside, right = [], overhang
    for bar, box in bars:
        beside.append(max(right, 0) + gap)
        right = beside[-1] + bar_width + box.x1 - bar.bbox.x1
    return beside, right


def _least_height(panel: Axes, renderer: RendererAgg) -> float:
    """The panel's least height in pixels: ``MIN_PANEL``, or more where its y tick labels
    (evenly spaced, some on two lines) need it to stay apart."""
    labels = [t for t in panel.get_yticklabels() if t.get_visible() and t.get_text()]
    tallest = max((t.get_window_extent(renderer).height for t in labels), default=0)
    return max(MIN_PANEL * panel.figure.dpi, 1.15 * tallest * (len(labels) + 1))


def _longest(texts: list[Text], renderer: RendererAgg, side: str) -> float:
    """The widest (or tallest) of ``texts`` that has words, in pixels."""
    sizes = [getattr(t.get_window_extent(renderer), side) for t in texts if t.get_text()]
    return max(sizes, default=0)


def _centred(low: float, high: float, extent: float, lowest: float, highest: float):
    """Narrow [low, high] until a text of ``extent`` centred on it lies within
    [lowest, highest]."""
    centre = (low + high) / 2
    high -= 2 * max(0, centre + extent / 2 - highest)
    low += 2 * max(0, lowest - (centre - extent / 2))
    return low, high


def save_png(figure: Figure, path: Path, dpi: int = DPI) -> Path:
    """Lay out (unless the figure has a layout engine of its own) and draw ``figure`` once
    on an Agg canvas and write the pixels as PNG (``savefig`` would draw it twice: once to
    lay it out, once to print)."""
    figure.set_dpi(dpi)
    canvas = figure.canvas
    if not isinstance(canvas, FigureCanvasAgg):
        canvas = FigureCanvasAgg(figure)
    if figure.get_layout_engine() is None:
        lay_out(figure, canvas.get_renderer())
    canvas.draw()
    with atomic_path(path) as temporary:
        imsave(
            temporary,
            canvas.buffer_rgba(),
            format="png",
            dpi=dpi,
            metadata={"Software": None},
            pil_kwargs={"compress_level": 1},  # a third of the time of the default, a little larger
        )
    return path
