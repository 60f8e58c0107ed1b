"""The CONSORT 2010 flow diagram drawn from a :class:`~trials.consort.Flow`: boxes, arrows
and the four phases (enrolment, allocation, follow-up, analysis) down the left."""

from __future__ import annotations

import textwrap

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyBboxPatch  # noqa: E402

from trials.consort import Flow  # noqa: E402
from trials.wording import count  # noqa: E402

PHASE = "#dceaf7"  # pale blue side labels, as in the CONSORT template
BOX_HEIGHT = 0.13


def _box(ax, x: float, y: float, width: float, text: str, chars: int) -> None:
    text = text.replace("n = ", "n\u00a0=\u00a0")  # never break inside a count
    lines = "\n".join(textwrap.fill(part, chars) for part in text.split("\n"))
    ax.add_patch(
        FancyBboxPatch(
            (x - width / 2, y - BOX_HEIGHT / 2),
            width,
            BOX_HEIGHT,
            boxstyle="square,pad=0",
            facecolor="white",
            edgecolor="black",
            linewidth=1,
        )
    )
    ax.text(x, y, lines, ha="center", va="center", fontsize=9, linespacing=1.25)


def _arrow(ax, start: tuple[float, float], end: tuple[float, float]) -> None:
    ax.annotate("", xy=end, xytext=start, arrowprops={"arrowstyle": "-|>", "lw": 1})


def _phase(ax, y: float, name: str) -> None:
    ax.text(
        0.015,
        y,
        name,
        rotation=90,
        ha="center",
        va="center",
        fontsize=9,
        fontweight="bold",
        bbox={"boxstyle": "round,pad=0.4", "facecolor": PHASE, "edgecolor": "none"},
    )


def _arm_texts(flow: Flow, arm) -> list[str]:
    name = arm.label
    texts = [f"Allocated to {name} (n = {arm.allocated:,})"]
    if flow.follow_up:
        why = "; ".join(f"{k} ({v:,})" for k, v in arm.lost_reasons.items())
        texts.append(
            f"Lost to follow-up: did not respond (n = {arm.lost:,})\n"
            + (f"Reasons: {why}" if why else "Reasons not recorded")
        )
    excluded = "; ".join(f"{k} ({v:,})" for k, v in arm.excluded_reasons.items())
    texts.append(
        f"Analysed (n = {arm.analysed:,})\n"
        f"Excluded from analysis (n = {arm.excluded:,})" + (f": {excluded}" if excluded else "")
    )
    return texts


def _chars(ax, width: float) -> int:
    """Characters of 9-point text that fit in a box ``width`` axes-fractions wide."""
    inches = width * ax.figure.get_size_inches()[0] * ax.get_position().width
    return max(12, int(inches / 0.075))


def _enrolment(ax, flow: Flow, ys: list[float], centre: float) -> None:
    middle = (ys[0] + ys[1]) / 2
    _box(ax, centre, ys[0], 0.36, f"Assessed for eligibility (n = {count(flow.assessed)})", 30)
    if flow.assessed is None:
        excluded = "Excluded before randomisation (n = not recorded)"
    else:
        excluded = f"Excluded before randomisation (n = {flow.assessed - flow.randomised:,})"
    _box(ax, 0.83, middle, 0.3, excluded, _chars(ax, 0.28))
    _arrow(ax, (centre, ys[0] - BOX_HEIGHT / 2), (centre, ys[1] + BOX_HEIGHT / 2))
    _arrow(ax, (centre, middle), (0.83 - 0.15, middle))
    _box(ax, centre, ys[1], 0.36, f"Randomised (n = {flow.randomised:,} {flow.unit})", 30)


def plot_consort(flow: Flow, ax=None):
    """Draw the flow diagram on ``ax`` (or a new figure sized to the arms) and return it."""
    k = len(flow.arms)
    if ax is None:
        ax = plt.subplots(figsize=(max(7.0, 2.6 * k + 1.5), 7.0))[1]
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")
    rows = 3 + (1 if flow.follow_up else 0) + 1
    ys = [0.93 - i * (0.86 / (rows - 1)) for i in range(rows)]
    centre = 0.45
    _enrolment(ax, flow, ys, centre)
    width = min(0.36, 0.94 / k - 0.04)
    xs = [0.06 + (i + 0.5) * (0.94 / k) for i in range(k)]
    split = (ys[1] + ys[2]) / 2
    ax.plot([xs[0], xs[-1]], [split, split], color="black", lw=1)
    ax.plot([centre, centre], [ys[1] - BOX_HEIGHT / 2, split], color="black", lw=1)
    for x, arm in zip(xs, flow.arms, strict=True):
        _arrow(ax, (x, split), (x, ys[2] + BOX_HEIGHT / 2))
        for j, text in enumerate(_arm_texts(flow, arm)):
            _box(ax, x, ys[2 + j], width, text, _chars(ax, width))
            if j:
                _arrow(ax, (x, ys[1 + j] - BOX_HEIGHT / 2), (x, ys[2 + j] + BOX_HEIGHT / 2))
    phases = ["Enrolment", "Allocation"] + (["Follow-up"] if flow.follow_up else []) + ["Analysis"]
    for y, name in zip([ys[0]] + ys[2:], phases, strict=True):
        _phase(ax, y, name)
    ax.set_title(f"Participant flow (CONSORT 2010), analysed for {flow.outcome}", fontsize=11)
    if flow.note:
        ax.text(0.5, -0.02, flow.note[0].upper() + flow.note[1:] + ".", ha="center", fontsize=8)
    return ax
