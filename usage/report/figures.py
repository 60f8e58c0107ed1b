"""The figure of every usage chart: a panel on a shared Agg canvas, laid out by one
measuring pass of our own, and written as a PNG.

:func:`new_panel` makes the figure, :func:`legend_below` puts a legend at its foot,
:func:`save_png` lays it out (:func:`lay_out`), draws it once and writes it.
Figures are built without pyplot, so nothing ever opens a window.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from common.files import atomic_path

SIZE, DPI = (5, 3.4), 150
MARGIN = 5  # points kept free between the figure's edge, the panel's labels and the legend
COLOUR_BAR = (0.08, 0.15)  # inches: the gap between the panel and its colour bar, its width
MIN_PANEL = 1.5  # inches: the least height of the panel (the figure grows to keep it)


def new_panel(size: tuple[float, float] = SIZE) -> Axes:
    """The panel of a new figure, on a :class:`Canvas` at the printed dpi (so text
    measured while laying it out is not measured again to draw it)."""
    figure = Figure(figsize=size, dpi=DPI)
    Canvas(figure)
    return figure.subplots()


class Canvas(FigureCanvasAgg):
    """An Agg canvas drawing on one renderer per size, shared by every chart drawn in this
    process, so that text measured for one chart (tick labels, each font's line height)
    is not measured again for the next. Charts are drawn one at a time (a process each):
    two threads drawing at once would share a renderer."""

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


def legend_below(ax: Axes, ncol: int, **kwargs) -> None:
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


def lay_out(figure: Figure, renderer: RendererAgg) -> None:
    """Place the panel (the figure's first axes) and its colour bar (any next axes) so that
    ticks, labels, titles and the legend at the foot all lie inside the figure, a margin
    from its edge, covering nothing. Measured once, at the panel's first place (constrained
    layout measures twice, and clips long names). A figure too short for its legend and
    labels grows taller, never narrower: it keeps its width on the page."""
    margin = MARGIN * figure.dpi / 72
    outer = [
        axes.get_tightbbox(renderer, bbox_extra_artists=_unclipped(axes), for_layout_only=True)
        for axes in figure.axes
    ]
    x0, x1, beside = _across(figure, outer, renderer, margin)
    y0, y1 = _upright(figure, outer, renderer, margin, x0)
    width, height = figure.bbox.width, figure.bbox.height
    figure.axes[0].set_position((x0 / width, y0 / height, (x1 - x0) / width, (y1 - y0) / height))
    for bar, at in zip(figure.axes[1:], beside, strict=True):
        bar.set_position(
            ((x1 + at) / width, y0 / height, COLOUR_BAR[1] * figure.dpi / width, (y1 - y0) / height)
        )


def _across(figure: Figure, outer: list[Bbox], renderer: RendererAgg, margin: float):
    """The panel's left and right edges and where each colour bar starts from its right
    edge, in pixels: room for the labels either side, and the title and x label (centred
    on the panel) inside the width."""
    panel, *bars = figure.axes
    width = figure.bbox.width
    pairs = list(zip(bars, outer[1:], strict=True))
    beside, right = _colour_bars(pairs, outer[0].x1 - panel.bbox.x1, figure.dpi)
    x0, x1 = panel.bbox.x0 - min(box.x0 for box in outer) + margin, width - margin - right
    across = [panel.title] + ([panel.xaxis.label] if panel.axison else [])
    x0, x1 = _centred(x0, x1, _longest(across, renderer, "width"), margin, width - margin)
    return x0, max(x1, x0 + width / 5), beside  # names too long to fit: the panel stays


def _upright(figure: Figure, outer: list[Bbox], renderer: RendererAgg, margin: float, x0: float):
    """The panel's bottom and top in pixels: above the legends, with room for the labels
    below and above it; the y labels within the height. The figure grows taller if need be."""
    panel, *bars = figure.axes
    legends = [legend.get_window_extent(renderer) for legend in figure.legends]
    floor = margin + max((box.y1 for box in legends), default=0)
    pairs = list(zip(figure.axes, outer, strict=True))
    below = max(axes.bbox.y0 - box.y0 for axes, box in pairs)
    above = max(box.y1 - axes.bbox.y1 for axes, box in pairs)
    labels = [a.yaxis.label for a in figure.axes if a.axison and a.yaxis.label.get_text()]
    along = _longest(labels, renderer, "height")
    # The panel's y label, left of the legends, may reach lower than their top.
    reach = x0 - panel.bbox.x0 + panel.yaxis.label.get_window_extent(renderer).x1
    aside = not any(a.yaxis.label.get_text() for a in bars) and all(
        box.x0 >= reach + margin for box in legends
    )
    lowest = margin if aside else floor
    room = figure.bbox.height - margin - floor
    need = max(_least_height(panel, renderer) + below + above, along - (floor - lowest))
    if need > room:  # the legends are anchored at the foot: they stay where they are
        figure.set_size_inches(
            figure.get_figwidth(), figure.get_figheight() + (need - room) / figure.dpi
        )
    y0, y1 = floor + below, figure.bbox.height - margin - above
    # Centred on the panel where they fit, else as near its middle as they do.
    middle = min(max((y0 + y1) / 2, lowest + along / 2), figure.bbox.height - margin - along / 2)
    for label in labels:
        label.set_y((middle - y0) / (y1 - y0))
    return y0, y1


def _unclipped(axes: Axes) -> list[Artist]:
    """What a panel draws that may stand out of it, besides its axes and titles: its texts
    and anything drawn unclipped (not its spines, bars or clipped lines: measuring those
    would cost more than the rest)."""
    drawn = (*axes.lines, *axes.collections, *axes.patches, *axes.images)
    return [*axes.texts, *(artist for artist in drawn if not artist.get_clip_on())]


def _colour_bars(bars: list[tuple[Axes, Bbox]], overhang: float, dpi: float):
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
    shown = panel.get_yticklabels() if panel.axison else []
    labels = [t for t in shown if t.get_visible() and t.get_text()]
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
    """Lay out (a figure made by :func:`new_panel`; others keep their own layout) and draw
    ``figure`` once on an Agg canvas and write the pixels as PNG, atomically (``savefig``
    would draw it twice: once to lay it out, once to print)."""
    figure.set_dpi(dpi)
    canvas = figure.canvas
    if not isinstance(canvas, FigureCanvasAgg):
        canvas = FigureCanvasAgg(figure)
    if isinstance(canvas, Canvas):
        lay_out(figure, canvas.get_renderer())
    canvas.draw()
    data = png(np.asarray(canvas.buffer_rgba()), dpi)
    with atomic_path(path) as temporary:
        temporary.write_bytes(data)
    return path


def png(pixels: np.ndarray, dpi: int) -> bytes:
    """RGBA pixels (rows top first) as a PNG file: rows unfiltered, deflated at zlib's
    fastest level. Half the time of Pillow's encoder, which tries five filters on every
    row, and no larger on the flat colours of a chart. No text chunks."""
    height, width, _ = pixels.shape
    rows = np.zeros((height, 1 + 4 * width), np.uint8)  # each row: filter 0 (none), pixels
    rows[:, 1:] = pixels.reshape(height, -1)
    per_metre = round(dpi / 0.0254)
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)),
            _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
            _chunk(b"IDAT", zlib.compress(rows, 1)),
            _chunk(b"IEND", b""),
        )
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, kind, data and the CRC of kind and data."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
