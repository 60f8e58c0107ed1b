"""Figures: each function draws on the ``ax`` it is given (or a new one) and returns it.

Every interval drawn is a 95% confidence interval; every series has its own colour from
the Okabe-Ito palette (safe for red-green colour blindness) and its own marker or line
style; legends sit outside the data; labels are words, not column names.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from scipy import stats  # noqa: E402

from trials.analysis import Results  # noqa: E402
from trials.wording import words  # noqa: E402

COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
MARKERS = ["o", "s", "^", "D", "v", "P"]
LINES = ["-", "--", ":", "-."]
INTERVAL = "bars are 95% confidence intervals"
plt.rcParams.update({"font.size": 10, "axes.titlesize": 10.5, "axes.spines.top": False})
plt.rcParams["axes.spines.right"] = False


def _ax(ax, size=(4.6, 3.6)):
    return ax if ax is not None else plt.subplots(figsize=size)[1]


def _half_width(se: float, df: float) -> float:
    return float(stats.t.ppf(0.975, df)) * se


def plot_arm_means(effects: pd.DataFrame, outcome: str, scale: str = "", ax=None, labels=None):
    """Adjusted arm means with 95% intervals for one outcome, one point per arm."""
    ax = _ax(ax)
    rows = effects[effects["outcome"] == outcome]
    arms: dict[str, tuple[float, float, int, float]] = {}
    for row in rows.itertuples():
        arms.setdefault(row.vs, (row.mean_vs, row.se_vs, row.n_vs, row.df_vs))
        arms.setdefault(row.arm, (row.mean_arm, row.se_arm, row.n_arm, row.df_arm))
    for i, (mean, se, _, df) in enumerate(arms.values()):
        ax.errorbar(
            i,
            mean,
            yerr=_half_width(se, df),
            fmt=MARKERS[i % 6],
            color=COLOURS[i % 6],
            markersize=8,
            capsize=6,
            linewidth=1.5,
        )
    ticks = [f"{words(name, labels)}\n(n = {n:,})" for name, (_, _, n, _) in arms.items()]
    ax.set_xticks(range(len(arms)), ticks)
    ax.set_xlim(-0.6, len(arms) - 0.4)
    ax.set_ylabel(f"Adjusted mean ({scale})" if scale else "Adjusted mean")
    ax.set_title(f"{rows['label'].iloc[0]}: adjusted mean by arm\n(points; {INTERVAL})")
    ax.grid(axis="y", color="0.9")
    return ax


def plot_progression(cell_rates: pd.DataFrame, ax=None, labels=None):
    """Progression rates (%) by condition and candidate ethnicity, with 95% intervals."""
    ax = _ax(ax, (4.8, 3.9))
    levels = list(dict.fromkeys(cell_rates["level"]))
    conditions = list(dict.fromkeys(cell_rates["condition"]))
    offset = 0.12
    for j, level in enumerate(levels):
        part = cell_rates[cell_rates["level"] == level].set_index("condition").loc[conditions]
        x = [i + (j - (len(levels) - 1) / 2) * 2 * offset for i in range(len(conditions))]
        bars = [part["rate"] - part["ci_low"], part["ci_high"] - part["rate"]]
        ax.errorbar(
            x,
            part["rate"],
            yerr=bars,
            fmt=MARKERS[j],
            color=COLOURS[j],
            linestyle=LINES[j],
            markersize=8,
            capsize=5,
            label=words(level, labels),
        )
    n = cell_rates.groupby("condition", sort=False)["n"].max()
    ax.set_xticks(
        range(len(conditions)),
        [f"{words(c, labels)}\n(n = {n[c]:,} participants)" for c in conditions],
    )
    ax.set_xlim(-0.5, len(conditions) - 0.5)
    ax.set_ylabel("Progressed to interview (%)")
    ax.set_xlabel("Evaluation condition")
    ax.set_title(f"Progression rate by condition and candidate name\n(points; {INTERVAL})")
    ax.grid(axis="y", color="0.9")
    ax.legend(title="Candidate", loc="upper center", bbox_to_anchor=(0.5, -0.3), ncol=2)
    return ax


def _period_ticks(table: pd.DataFrame) -> list[str]:
    ticks = []
    for period, part in table.groupby("period"):
        low, high = int(part["n"].min()), int(part["n"].max())
        n = f"{low:,}" if low == high else f"{low:,}-{high:,}"
        ticks.append(f"{period}\n{n}")
    return ticks


def plot_attenuation(table: pd.DataFrame, ax=None):
    """Benefit-signed standardised effect per response period: each outcome with its 95%
    interval, and the average across outcomes as a thick line."""
    ax = _ax(ax, (5.4, 4.4))
    outcomes = [o for o in dict.fromkeys(table["outcome"]) if not o.startswith("average")]
    width = 0.5 / max(len(outcomes), 1)
    for i, outcome in enumerate(outcomes):
        part = table[table["outcome"] == outcome]
        shift = (i - (len(outcomes) - 1) / 2) * width
        ax.errorbar(
            part["period"] + shift,
            part["standardised"],
            yerr=[
                part["standardised"] - part["std_ci_low"],
                part["std_ci_high"] - part["standardised"],
            ],
            fmt=MARKERS[i % 6],
            color=COLOURS[i % 6],
            linestyle=LINES[i % 4],
            linewidth=1,
            markersize=6,
            capsize=3,
            label=part["label"].iloc[0],
        )
    average = table[table["outcome"].str.startswith("average")]
    ax.plot(
        average["period"],
        average["standardised"],
        color="black",
        linewidth=3,
        marker="X",
        markersize=9,
        label="Average across outcomes (no interval)",
    )
    ax.axhline(0, color="grey", linewidth=0.8)
    periods = sorted(table["period"].unique())
    ax.set_xticks(periods, _period_ticks(table))
    ax.set_xlabel(
        "Response period (working weeks after the survey opened);\n"
        "below it, the responders analysed (n, lowest-highest across outcomes)"
    )
    ax.set_ylabel("Treatment effect (SD, + = benefit)")
    ax.set_title(f"Effects by response period (exploratory)\n(points; {INTERVAL})")
    ax.legend(fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=2)
    return ax


Drawing = Callable[[Any], Any]  # draw(ax, or None for a new figure) -> the ax drawn on


def _drawings(results: Results) -> list[tuple[str, Drawing]]:
    """(file stem, draw(ax)) for every figure of these results, in the report's order."""
    from trials.flowchart import plot_consort
    from trials.forest import forest_rows, plot_forest

    drawings: list[tuple[str, Drawing]] = []
    labels = results.spec.label_map
    flow = results.flow
    if flow is not None:
        drawings.append(("consort", lambda ax: plot_consort(flow, ax)))
    if "cell_rates" in results.tables:
        drawings.append(
            ("progression", lambda ax: plot_progression(results.tables["cell_rates"], ax, labels))
        )
    else:
        for o in results.spec.outcomes:
            drawings.append(
                (
                    f"means_{o.name}",
                    partial(plot_arm_means, results.effects, o.name, o.scale, labels=labels),
                )
            )
    rows = forest_rows(results)
    drawings.append(("forest", lambda ax: plot_forest(rows, ax)))
    if "attenuation" in results.tables:
        drawings.append(
            ("attenuation", lambda ax: plot_attenuation(results.tables["attenuation"], ax))
        )
    return drawings


def save_figures(results: Results, folder: Path) -> list[Path]:
    """Write every figure for these results as PNG files; return their paths."""
    from common.files import write_atomically

    folder = Path(folder)
    paths = []
    for stem, draw in _drawings(results):
        figure = draw(None).figure
        path = folder / f"{results.spec.name}_{stem}.png"
        write_atomically(path, partial(_save_png, figure))
        plt.close(figure)
        paths.append(path)
    return paths


def _save_png(figure, path: Path) -> None:
    figure.savefig(path, format="png", dpi=200, bbox_inches="tight")
